import { type IncidentDto, PROCTOR_ACTIONS } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { and, asc, count, desc, eq, inArray, max, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { jsonColumn } from '../../db/json.js';
import {
  absences,
  answers,
  attemptFlags,
  attempts,
  candidateDevices,
  candidates,
  exams,
  incidents,
  roomClosures,
  roomInvigilators,
  roomOpenings,
  rooms,
  sanctions,
  seatAssignments,
  sittingExports,
  sittings,
  users,
} from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';
import { ProctorExportRepo } from './exportRepo.js';

/** candidates.exemptions: the exemption codes a candidate holds. */
export const exemptionsColumn = jsonColumn('candidates.exemptions', Type.Array(Type.String()));
/** sittings.part_ids: the sitting's parts, in the order they are sat. */
export const partIdsColumn = jsonColumn('sittings.part_ids', Type.Array(Type.Integer()));
/** incidents.details: what the action recorded (minutes, level, text, …). */
export const detailsColumn = jsonColumn('incidents.details', Type.Record(Type.String(), Type.Unknown()));

const DINH_CHI = 'dinh_chi';

/** Which seats of a room a read covers: all, or these candidates. */
function seatFilter(sittingId: number, roomId: number, only: readonly number[] | null): SQL | undefined {
  return and(
    eq(seatAssignments.sittingId, sittingId),
    eq(seatAssignments.roomId, roomId),
    only ? inArray(seatAssignments.candidateId, [...only]) : undefined,
  );
}

/**
 * All SQL of invigilation (docs/ARCHITECTURE.md, "Data layer"): reads through `q(db)`, writes
 * through `writer(db)` inside transaction().
 */
export class ProctorRepo {
  /** the reads of the sealed export (exportRepo.ts) */
  readonly exports: ProctorExportRepo;

  constructor(private readonly db: Db) {
    this.exports = new ProctorExportRepo(db);
  }

  // ---------- where, who ----------

  /** The candidate's room in their first sitting. */
  async locate(candidateId: number): Promise<{ sittingId: number; roomId: number } | undefined> {
    const rows = await q(this.db)
      .select({ sittingId: seatAssignments.sittingId, roomId: seatAssignments.roomId })
      .from(seatAssignments)
      .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
      .where(eq(seatAssignments.candidateId, candidateId))
      .orderBy(asc(sittings.startsAt))
      .limit(1);
    return rows[0];
  }

  /** The rooms of these candidates in a sitting, in one read (an opening's batch). */
  async seatRoomsOf(sittingId: number, candidateIds: readonly number[]): Promise<Map<number, number>> {
    const wanted = new Set(candidateIds);
    const rows = await q(this.db)
      .select({ candidateId: seatAssignments.candidateId, roomId: seatAssignments.roomId })
      .from(seatAssignments)
      .where(eq(seatAssignments.sittingId, sittingId));
    return new Map(rows.filter((r) => wanted.has(r.candidateId)).map((r) => [r.candidateId, r.roomId]));
  }

  async sitting(sittingId: number) {
    const rows = await q(this.db)
      .select({
        id: sittings.id,
        examId: sittings.examId,
        name: sittings.name,
        startsAt: sittings.startsAt,
        openedAt: sittings.openedAt,
        partIds: sittings.partIds,
        examName: exams.name,
        examCode: exams.code,
        organisingBody: exams.organisingBody,
        timeZone: exams.timeZone,
      })
      .from(sittings)
      .innerJoin(exams, eq(exams.id, sittings.examId))
      .where(eq(sittings.id, sittingId))
      .limit(1);
    const s = rows[0];
    return s ? { ...s, partIds: partIdsColumn.parse(s.partIds) } : undefined;
  }

  async roomExamId(roomId: number): Promise<number | undefined> {
    const rows = await q(this.db).select({ examId: rooms.examId }).from(rooms).where(eq(rooms.id, roomId)).limit(1);
    return rows[0]?.examId;
  }

  async roomLocation(roomId: number): Promise<string> {
    const rows = await q(this.db).select({ location: rooms.location }).from(rooms).where(eq(rooms.id, roomId)).limit(1);
    return rows[0]?.location ?? '';
  }

  async invigilates(userId: number, sittingId: number, roomId: number | null): Promise<boolean> {
    const rows = await q(this.db)
      .select({ userId: roomInvigilators.userId })
      .from(roomInvigilators)
      .where(
        and(
          eq(roomInvigilators.sittingId, sittingId),
          roomId === null ? undefined : eq(roomInvigilators.roomId, roomId),
          eq(roomInvigilators.userId, userId),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  async invigilatorNames(sittingId: number, roomId: number): Promise<string[]> {
    const rows = await q(this.db)
      .select({ name: users.fullName })
      .from(roomInvigilators)
      .innerJoin(users, eq(users.id, roomInvigilators.userId))
      .where(and(eq(roomInvigilators.sittingId, sittingId), eq(roomInvigilators.roomId, roomId)))
      .orderBy(asc(users.fullName));
    return rows.map((r) => r.name);
  }

  /** The rooms a user may watch in exams that are ready or under way (every seated room for the board). */
  async watchableRooms(userId: number | null): Promise<{ sittingId: number; roomId: number }[]> {
    const live = inArray(exams.status, ['ready', 'running', 'finished']);
    if (userId === null)
      return q(this.db)
        .selectDistinct({ sittingId: seatAssignments.sittingId, roomId: seatAssignments.roomId })
        .from(seatAssignments)
        .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
        .innerJoin(exams, eq(exams.id, sittings.examId))
        .where(live)
        .orderBy(asc(sittings.startsAt), asc(seatAssignments.sittingId), asc(seatAssignments.roomId));
    return q(this.db)
      .selectDistinct({ sittingId: roomInvigilators.sittingId, roomId: roomInvigilators.roomId })
      .from(roomInvigilators)
      .innerJoin(sittings, eq(sittings.id, roomInvigilators.sittingId))
      .innerJoin(exams, eq(exams.id, sittings.examId))
      .where(and(eq(roomInvigilators.userId, userId), live))
      .orderBy(asc(sittings.startsAt), asc(roomInvigilators.sittingId), asc(roomInvigilators.roomId));
  }

  // ---------- rooms ----------

  async room(sittingId: number, roomId: number) {
    const seated = q(this.db)
      .select({ n: count() })
      .from(seatAssignments)
      .where(and(eq(seatAssignments.sittingId, sittingId), eq(seatAssignments.roomId, roomId)));
    const rows = await q(this.db)
      .select({
        code: rooms.code,
        name: rooms.name,
        seats: rooms.seats,
        seatsPerRow: rooms.seatsPerRow,
        openedAt: roomOpenings.openedAt,
      })
      .from(rooms)
      .leftJoin(roomOpenings, and(eq(roomOpenings.sittingId, sittingId), eq(roomOpenings.roomId, rooms.id)))
      .where(eq(rooms.id, roomId))
      .limit(1);
    const r = rows[0];
    if (!r) return undefined;
    return { ...r, candidates: (await seated)[0]?.n ?? 0 };
  }

  async roomCodes(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await q(this.db)
      .select({ id: rooms.id, code: rooms.code })
      .from(rooms)
      .where(inArray(rooms.id, [...ids]));
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  /** The rooms with seated candidates in a sitting. */
  async seatedRooms(sittingId: number): Promise<number[]> {
    const rows = await q(this.db)
      .selectDistinct({ roomId: seatAssignments.roomId })
      .from(seatAssignments)
      .where(eq(seatAssignments.sittingId, sittingId))
      .orderBy(asc(seatAssignments.roomId));
    return rows.map((r) => r.roomId);
  }

  async roomCandidates(sittingId: number, roomId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ id: seatAssignments.candidateId })
      .from(seatAssignments)
      .where(and(eq(seatAssignments.sittingId, sittingId), eq(seatAssignments.roomId, roomId)))
      .orderBy(asc(seatAssignments.seatNo));
    return rows.map((r) => r.id);
  }

  async sealed(sittingId: number) {
    const rows = await q(this.db)
      .select({ sha256: sittingExports.sha256, sealedAt: sittingExports.sealedAt })
      .from(sittingExports)
      .where(eq(sittingExports.sittingId, sittingId))
      .limit(1);
    return rows[0] ?? null;
  }

  /** The seal's summary (sealing twice returns the first). */
  async sealSummary(sittingId: number) {
    const rows = await q(this.db)
      .select({
        sha256: sittingExports.sha256,
        bytes: sql<number>`length(${sittingExports.data})`,
        sealedAt: sittingExports.sealedAt,
        attempts: sittingExports.attempts,
        answers: sittingExports.answers,
      })
      .from(sittingExports)
      .where(eq(sittingExports.sittingId, sittingId))
      .limit(1);
    return rows[0];
  }

  async sealedFile(sittingId: number) {
    const rows = await q(this.db)
      .select({ data: sittingExports.data, sha256: sittingExports.sha256 })
      .from(sittingExports)
      .where(eq(sittingExports.sittingId, sittingId))
      .limit(1);
    return rows[0];
  }

  // ---------- seats ----------

  /** The seats of a room (or some of them) with the candidate and their bound PC, in seat order. */
  async seatRows(sittingId: number, roomId: number, only: readonly number[] | null) {
    const rows = await q(this.db)
      .select({
        id: seatAssignments.candidateId,
        seatNo: seatAssignments.seatNo,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        exemptions: candidates.exemptions,
        deviceId: candidateDevices.deviceId,
        ip: candidateDevices.ip,
        userAgent: candidateDevices.userAgent,
        boundAt: candidateDevices.boundAt,
        moveAllowed: candidateDevices.moveAllowed,
      })
      .from(seatAssignments)
      .innerJoin(candidates, eq(candidates.id, seatAssignments.candidateId))
      .leftJoin(candidateDevices, eq(candidateDevices.candidateId, seatAssignments.candidateId))
      .where(seatFilter(sittingId, roomId, only))
      .orderBy(asc(seatAssignments.seatNo));
    return rows.map((r) => ({ ...r, exemptions: exemptionsColumn.parse(r.exemptions) }));
  }

  /** The attempts of a room's candidates (or some of them) in the sitting. */
  async roomAttempts(sittingId: number, roomId: number, only: readonly number[] | null) {
    return q(this.db)
      .select({
        id: attempts.id,
        candidateId: attempts.candidateId,
        partId: attempts.partId,
        status: attempts.status,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
        passed: attempts.passed,
      })
      .from(attempts)
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, attempts.sittingId), eq(seatAssignments.candidateId, attempts.candidateId)),
      )
      .where(and(eq(attempts.sittingId, sittingId), seatFilter(sittingId, roomId, only)));
  }

  /** The sanctions of a room's candidates (or some of them), oldest first. */
  async roomSanctions(sittingId: number, roomId: number, only: readonly number[] | null) {
    return q(this.db)
      .select({ id: sanctions.candidateId, code: sanctions.code })
      .from(sanctions)
      .innerJoin(seatAssignments, eq(seatAssignments.candidateId, sanctions.candidateId))
      .where(seatFilter(sittingId, roomId, only))
      .orderBy(asc(sanctions.id));
  }

  /** Per attempt of the room's candidates (or some): answers saved and the last save. */
  async roomAnswerCounts(sittingId: number, roomId: number, only: readonly number[] | null) {
    return q(this.db)
      .select({ id: answers.attemptId, n: count(), last: max(answers.savedAt) })
      .from(answers)
      .innerJoin(attempts, eq(attempts.id, answers.attemptId))
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, attempts.sittingId), eq(seatAssignments.candidateId, attempts.candidateId)),
      )
      .where(and(eq(attempts.sittingId, sittingId), seatFilter(sittingId, roomId, only)))
      .groupBy(answers.attemptId);
  }

  async roomFlagCounts(sittingId: number, roomId: number, only: readonly number[] | null) {
    return q(this.db)
      .select({ id: attemptFlags.attemptId, n: count() })
      .from(attemptFlags)
      .innerJoin(attempts, eq(attempts.id, attemptFlags.attemptId))
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, attempts.sittingId), eq(seatAssignments.candidateId, attempts.candidateId)),
      )
      .where(and(eq(attempts.sittingId, sittingId), seatFilter(sittingId, roomId, only)))
      .groupBy(attemptFlags.attemptId);
  }

  /** The parts each candidate of a room was confirmed absent from. */
  async roomAbsences(sittingId: number, roomId: number) {
    return q(this.db)
      .select({ candidateId: absences.candidateId, partId: absences.partId })
      .from(absences)
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, absences.sittingId), eq(seatAssignments.candidateId, absences.candidateId)),
      )
      .where(and(eq(absences.sittingId, sittingId), seatFilter(sittingId, roomId, null)))
      .orderBy(asc(absences.partId));
  }

  async runningIn(sittingId: number, roomId: number): Promise<number> {
    const rows = await q(this.db)
      .select({ n: count() })
      .from(attempts)
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, attempts.sittingId), eq(seatAssignments.candidateId, attempts.candidateId)),
      )
      .where(and(eq(attempts.sittingId, sittingId), eq(seatAssignments.roomId, roomId), eq(attempts.status, 'running')));
    return rows[0]?.n ?? 0;
  }

  async runningAttempt(sittingId: number, candidateId: number): Promise<number | null> {
    const rows = await q(this.db)
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(eq(attempts.sittingId, sittingId), eq(attempts.candidateId, candidateId), eq(attempts.status, 'running')))
      .limit(1);
    return rows[0]?.id ?? null;
  }

  async hasAttempt(sittingId: number, candidateId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(eq(attempts.sittingId, sittingId), eq(attempts.candidateId, candidateId)))
      .limit(1);
    return rows.length > 0;
  }

  async attemptPart(attemptId: number): Promise<number | null> {
    const rows = await q(this.db).select({ partId: attempts.partId }).from(attempts).where(eq(attempts.id, attemptId)).limit(1);
    return rows[0]?.partId ?? null;
  }

  async deviceBound(candidateId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: candidateDevices.candidateId })
      .from(candidateDevices)
      .where(eq(candidateDevices.candidateId, candidateId))
      .limit(1);
    return rows.length > 0;
  }

  async suspended(candidateId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: sanctions.id })
      .from(sanctions)
      .where(and(eq(sanctions.candidateId, candidateId), eq(sanctions.code, DINH_CHI)))
      .limit(1);
    return rows.length > 0;
  }

  // ---------- the incident log ----------

  /** Incidents of a room (or the sitting), newest first; `latest`: only the last N; `id`: one. */
  async incidents(sittingId: number, roomId: number | null, opts: { latest?: number; id?: number }): Promise<IncidentDto[]> {
    const base = q(this.db)
      .select({
        id: incidents.id,
        at: incidents.at,
        sittingId: incidents.sittingId,
        roomId: incidents.roomId,
        candidateId: incidents.candidateId,
        action: incidents.action,
        reason: incidents.reason,
        details: incidents.details,
        invigilator: incidents.userName,
        seatNo: seatAssignments.seatNo,
        candidateNumber: candidates.number,
        candidateName: candidates.fullName,
      })
      .from(incidents)
      .leftJoin(candidates, eq(candidates.id, incidents.candidateId))
      .leftJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, incidents.sittingId), eq(seatAssignments.candidateId, incidents.candidateId)),
      )
      .where(
        and(
          eq(incidents.sittingId, sittingId),
          roomId === null ? undefined : eq(incidents.roomId, roomId),
          opts.id === undefined ? undefined : eq(incidents.id, opts.id),
        ),
      )
      .orderBy(desc(incidents.at), desc(incidents.id));
    const rows = await (opts.latest === undefined ? base : base.limit(opts.latest));
    return rows.map((r) => ({ ...r, action: incidentAction(r.action), details: detailsColumn.parse(r.details) }));
  }

  async incidentPlace(id: number): Promise<{ sittingId: number; roomId: number } | undefined> {
    const rows = await q(this.db)
      .select({ sittingId: incidents.sittingId, roomId: incidents.roomId })
      .from(incidents)
      .where(eq(incidents.id, id))
      .limit(1);
    return rows[0];
  }

  async incidentCountsByRoom(sittingId: number): Promise<Map<number, number>> {
    const rows = await q(this.db)
      .select({ id: incidents.roomId, n: count() })
      .from(incidents)
      .where(eq(incidents.sittingId, sittingId))
      .groupBy(incidents.roomId);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async insertIncident(row: typeof incidents.$inferInsert): Promise<number> {
    const out = await writer(this.db).insert(incidents).values(row).returning({ id: incidents.id });
    const id = out[0]?.id;
    if (id === undefined) throw new Error('incident not written');
    return id;
  }

  // ---------- writes of the actions ----------

  async insertOpening(row: typeof roomOpenings.$inferInsert): Promise<void> {
    await writer(this.db).insert(roomOpenings).values(row);
  }

  async insertClosure(row: typeof roomClosures.$inferInsert): Promise<void> {
    await writer(this.db).insert(roomClosures).values(row);
  }

  async insertAbsence(row: typeof absences.$inferInsert): Promise<void> {
    await writer(this.db).insert(absences).values(row).onConflictDoNothing();
  }

  async insertSanction(row: typeof sanctions.$inferInsert): Promise<void> {
    await writer(this.db).insert(sanctions).values(row);
  }

  async insertExport(row: typeof sittingExports.$inferInsert): Promise<void> {
    await writer(this.db).insert(sittingExports).values(row);
  }

  /** Candidates of a room suspended (đình chỉ thi). */
  async suspendedIn(sittingId: number, roomId: number): Promise<Set<number>> {
    const rows = await q(this.db)
      .select({ id: sanctions.candidateId })
      .from(sanctions)
      .innerJoin(seatAssignments, eq(seatAssignments.candidateId, sanctions.candidateId))
      .where(and(eq(sanctions.code, DINH_CHI), seatFilter(sittingId, roomId, null)));
    return new Set(rows.map((r) => r.id));
  }
}

const ACTIONS: readonly IncidentDto['action'][] = [...PROCTOR_ACTIONS, 'seal'];

/** incidents.action, checked against the actions the minutes know. */
function incidentAction(action: string): IncidentDto['action'] {
  const found = ACTIONS.find((a) => a === action);
  if (!found) throw new Error(`incidents.action holds an unknown action: ${action}`);
  return found;
}
