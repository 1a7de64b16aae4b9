import { type AttemptEvent, type AttemptEventKind, isQuestionTypeId, type QuestionTypeId } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { and, asc, desc, eq, inArray, notLike, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError, jsonColumn } from '../../db/json.js';
import {
  answers,
  attemptEvents,
  attemptFlags,
  attempts,
  candidateDevices,
  candidateEligibility,
  candidates,
  exams,
  images,
  incidents,
  papers,
  questionVersions,
  roomClosures,
  roomOpenings,
  rooms,
  sanctions,
  seatAssignments,
  signinLockouts,
  sittingExports,
  sittings,
} from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';

/** answers.choice: the option ids chosen, checked where they leave the database. */
export const choiceColumn = jsonColumn('answers.choice', Type.Array(Type.String()));
/** candidates.exemptions and exam_parts.exemptible_by: exemption codes. */
export const exemptionsColumn = jsonColumn('candidates.exemptions', Type.Array(Type.String()));
export const exemptibleByColumn = jsonColumn('exam_parts.exemptible_by', Type.Array(Type.String()));
/** sittings.part_ids: the parts sat, in order. */
export const partIdsColumn = jsonColumn('sittings.part_ids', Type.Array(Type.Integer()));
/** question_versions.options: the options (with the key; it never leaves the server). */
export const optionsColumn = jsonColumn(
  'question_versions.options',
  Type.Array(
    Type.Object({ id: Type.String(), text: Type.String(), correct: Type.Boolean(), pinned: Type.Optional(Type.Boolean()) }),
  ),
);
/** exam_parts.pass_rule, as the exams service hands it on (already parsed). */
export const passRuleColumn = jsonColumn(
  'exam_parts.pass_rule',
  Type.Union([
    Type.Object({ kind: Type.Literal('min_percent'), percent: Type.Number() }),
    Type.Object({ kind: Type.Literal('min_score'), score: Type.Number() }),
    Type.Object({ kind: Type.Literal('none') }),
  ]),
);
/** attempt_events.data: who and why, and `ms` for an extension. */
const eventDataColumn = jsonColumn('attempt_events.data', Type.Object({ ms: Type.Optional(Type.Number()) }));

const EVENT_KINDS: readonly AttemptEventKind[] = ['open', 'start', 'pause', 'resume', 'extend', 'device_switch', 'submit'];
function isEventKind(v: string): v is AttemptEventKind {
  return EVENT_KINDS.some((k) => k === v);
}

/** One stored clock event as the timing function reads it. */
export function toEvent(r: { kind: string; at: number; data: string }): AttemptEvent {
  if (!isEventKind(r.kind)) throw new CorruptColumnError('attempt_events.kind', r.kind);
  if (r.kind === 'extend') return { kind: 'extend', at: r.at, ms: Number(eventDataColumn.parse(r.data).ms ?? 0) };
  return { kind: r.kind, at: r.at };
}

export function questionTypeOf(type: string): QuestionTypeId {
  if (!isQuestionTypeId(type)) throw new CorruptColumnError('question_versions.type', type);
  return type;
}

export function attemptStatusOf(status: string): 'running' | 'submitted' {
  if (status === 'running' || status === 'submitted') return status;
  throw new CorruptColumnError('attempts.status', status);
}

const p = sql.placeholder;

/**
 * All SQL of the candidates' side (docs/ARCHITECTURE.md, "Data layer"): sign-in and devices,
 * the seat, attempts and their clock, answers, flags, grading. Writes run inside transaction().
 *
 * The candidate's start and paper fetch and the answer path read through statements prepared
 * once here (a sitting's opening runs them thousands of times a second; the query builder
 * rebuilt and recompiled each one: issue 15's cold path). Their rows are typed from the schema.
 */
export class DeliveryRepo {
  // ---- prepared once: every candidate request, the start, the paper fetch, the answer path ----
  private readonly deviceOf;
  private readonly candidateOf;
  private readonly seatsOf;
  private readonly attemptsOf;
  private readonly suspensionOf;
  private readonly eligibilityOf;
  private readonly chairAdmittedOf;
  private readonly paperOf;
  private readonly attemptOf;
  private readonly clockOf;
  private readonly versionOf;
  private readonly eventsOf;
  private readonly answersOf;
  private readonly flagsOf;
  private readonly storedOf;
  // the start's writes (a burst at the opening; run inside transaction())
  private readonly closedFor;
  private readonly insertAttemptStmt;
  private readonly attemptIdOf;
  private readonly insertEventStmt;

  constructor(private readonly db: Db) {
    this.deviceOf = db
      .select({
        deviceId: candidateDevices.deviceId,
        moveAllowed: candidateDevices.moveAllowed,
        ack: candidateDevices.rulesAcknowledgedAt,
      })
      .from(candidateDevices)
      .where(eq(candidateDevices.candidateId, p('id')))
      .prepare();
    this.candidateOf = db
      .select({
        id: candidates.id,
        examId: candidates.examId,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        exemptions: candidates.exemptions,
        ack: candidateDevices.rulesAcknowledgedAt,
      })
      .from(candidates)
      .leftJoin(candidateDevices, eq(candidateDevices.candidateId, candidates.id))
      .where(eq(candidates.id, p('id')))
      .prepare();
    this.seatsOf = db
      .select({
        sittingId: sittings.id,
        name: sittings.name,
        startsAt: sittings.startsAt,
        openedAt: sittings.openedAt,
        partIds: sittings.partIds,
        examId: sittings.examId,
        roomId: rooms.id,
        roomName: rooms.name,
        seatNo: seatAssignments.seatNo,
        roomOpenedAt: roomOpenings.openedAt,
        closedAt: roomClosures.closedAt,
        sealed: sql<number>`EXISTS (SELECT 1 FROM ${sittingExports} WHERE ${sittingExports.sittingId} = ${sittings.id})`,
      })
      .from(seatAssignments)
      .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .leftJoin(
        roomOpenings,
        and(eq(roomOpenings.sittingId, seatAssignments.sittingId), eq(roomOpenings.roomId, seatAssignments.roomId)),
      )
      .leftJoin(
        roomClosures,
        and(eq(roomClosures.sittingId, seatAssignments.sittingId), eq(roomClosures.roomId, seatAssignments.roomId)),
      )
      .where(eq(seatAssignments.candidateId, p('id')))
      .orderBy(asc(sittings.startsAt), asc(sittings.id))
      .prepare();
    this.attemptsOf = db
      .select({
        id: attempts.id,
        partId: attempts.partId,
        status: attempts.status,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
        passed: attempts.passed,
      })
      .from(attempts)
      .where(eq(attempts.candidateId, p('id')))
      .prepare();
    this.suspensionOf = db
      .select({ reason: sanctions.reason })
      .from(sanctions)
      .where(and(eq(sanctions.candidateId, p('id')), eq(sanctions.code, 'dinh_chi')))
      .orderBy(asc(sanctions.id))
      .limit(1)
      .prepare();
    this.eligibilityOf = db
      .select({ status: sql<string>`COALESCE(${candidateEligibility.overrideStatus}, ${candidateEligibility.status})` })
      .from(candidateEligibility)
      .where(eq(candidateEligibility.candidateId, p('id')))
      .prepare();
    this.chairAdmittedOf = db
      .select({ id: incidents.id })
      .from(incidents)
      .where(
        and(
          eq(incidents.sittingId, p('sittingId')),
          eq(incidents.candidateId, p('candidateId')),
          eq(incidents.action, 'admit_late'),
        ),
      )
      .limit(1)
      .prepare();
    this.paperOf = db
      .select({ id: papers.id })
      .from(papers)
      .where(and(eq(papers.partId, p('partId')), eq(papers.candidateId, p('candidateId'))))
      .prepare();
    this.attemptOf = db
      .select({
        id: attempts.id,
        candidateId: attempts.candidateId,
        partId: attempts.partId,
        status: attempts.status,
        sittingId: attempts.sittingId,
        items: papers.items,
        examId: candidates.examId,
      })
      .from(attempts)
      .innerJoin(papers, eq(papers.id, attempts.paperId))
      .innerJoin(candidates, eq(candidates.id, attempts.candidateId))
      .where(eq(attempts.id, p('id')))
      .prepare();
    this.clockOf = db
      .select({
        startsAt: sittings.startsAt,
        openedAt: sittings.openedAt,
        partIds: sittings.partIds,
        roomOpenedAt: roomOpenings.openedAt,
      })
      .from(sittings)
      .leftJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, sittings.id), eq(seatAssignments.candidateId, p('candidateId'))),
      )
      .leftJoin(roomOpenings, and(eq(roomOpenings.sittingId, sittings.id), eq(roomOpenings.roomId, seatAssignments.roomId)))
      .where(eq(sittings.id, p('sittingId')))
      .prepare();
    this.versionOf = db
      .select({
        type: questionVersions.type,
        stem: questionVersions.stem,
        options: questionVersions.options,
        partialCredit: questionVersions.partialCredit,
      })
      .from(questionVersions)
      .where(eq(questionVersions.id, p('id')))
      .prepare();
    this.eventsOf = db
      .select({ kind: attemptEvents.kind, at: attemptEvents.at, data: attemptEvents.data })
      .from(attemptEvents)
      .where(eq(attemptEvents.attemptId, p('id')))
      .orderBy(asc(attemptEvents.id))
      .prepare();
    this.answersOf = db
      .select({ no: answers.questionNo, choice: answers.choice, seq: answers.seq })
      .from(answers)
      .where(eq(answers.attemptId, p('id')))
      .prepare();
    this.flagsOf = db
      .select({ no: attemptFlags.questionNo })
      .from(attemptFlags)
      .where(eq(attemptFlags.attemptId, p('id')))
      .orderBy(asc(attemptFlags.questionNo))
      .prepare();
    this.storedOf = db
      .select({ choice: answers.choice, seq: answers.seq })
      .from(answers)
      .where(and(eq(answers.attemptId, p('attemptId')), eq(answers.questionNo, p('questionNo'))))
      .prepare();
    this.closedFor = db
      .select({ at: roomClosures.closedAt })
      .from(roomClosures)
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.sittingId, roomClosures.sittingId), eq(seatAssignments.roomId, roomClosures.roomId)),
      )
      .where(and(eq(seatAssignments.candidateId, p('candidateId')), eq(roomClosures.sittingId, p('sittingId'))))
      .limit(1)
      .prepare();
    this.insertAttemptStmt = db
      .insert(attempts)
      .values({
        candidateId: p('candidateId'),
        partId: p('partId'),
        sittingId: p('sittingId'),
        paperId: p('paperId'),
        status: 'running',
        startedAt: p('at'),
      })
      .onConflictDoNothing()
      .returning({ id: attempts.id })
      .prepare();
    this.attemptIdOf = db
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(eq(attempts.candidateId, p('candidateId')), eq(attempts.partId, p('partId'))))
      .prepare();
    this.insertEventStmt = db
      .insert(attemptEvents)
      .values({ attemptId: p('attemptId'), kind: p('kind'), at: p('at'), data: p('data') })
      .prepare();
  }

  /** The database file: the answer writer thread opens its own connection to it (db/answerWriter.ts). */
  get file(): string {
    return this.db.$client.name;
  }

  // ---------- sign-in and devices ----------

  /** The candidate with this number in the newest exam that is ready or later. */
  async signInCandidate(number: string) {
    const rows = await q(this.db)
      .select({ id: candidates.id, pinHash: candidates.pinHash, secret: exams.secret, status: exams.status })
      .from(candidates)
      .innerJoin(exams, eq(exams.id, candidates.examId))
      .where(and(eq(candidates.number, number), inArray(exams.status, ['ready', 'running', 'finished', 'published'])))
      .orderBy(desc(exams.id))
      .limit(1);
    return rows[0];
  }

  async device(candidateId: number) {
    return this.deviceOf.get({ id: candidateId });
  }

  /** The device the candidate is bound to now (every candidate request asks). */
  activeDevice(candidateId: number): string | null {
    return this.deviceOf.get({ id: candidateId })?.deviceId ?? null;
  }

  async bindDevice(candidateId: number, deviceId: string, ip: string, userAgent: string, at: number): Promise<void> {
    await writer(this.db).insert(candidateDevices).values({ candidateId, deviceId, ip, userAgent, boundAt: at });
  }

  async rebindDevice(candidateId: number, deviceId: string, ip: string, userAgent: string, at: number): Promise<void> {
    await writer(this.db)
      .update(candidateDevices)
      .set({ deviceId, ip, userAgent, boundAt: at, moveAllowed: false })
      .where(eq(candidateDevices.candidateId, candidateId));
  }

  /** Cuts the current device off (its id no longer matches) and lets the next sign-in take over; true if it changed. */
  async allowMove(candidateId: number): Promise<boolean> {
    const rows = await writer(this.db)
      .update(candidateDevices)
      .set({ moveAllowed: true, deviceId: sql`'moved:' || ${candidateDevices.deviceId}` })
      .where(and(eq(candidateDevices.candidateId, candidateId), notLike(candidateDevices.deviceId, 'moved:%')))
      .returning({ id: candidateDevices.candidateId });
    return rows.length > 0;
  }

  async acknowledgeRules(candidateId: number, at: number): Promise<void> {
    await writer(this.db)
      .update(candidateDevices)
      .set({ rulesAcknowledgedAt: at })
      .where(eq(candidateDevices.candidateId, candidateId));
  }

  async hasAttempt(candidateId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: attempts.id })
      .from(attempts)
      .where(eq(attempts.candidateId, candidateId))
      .limit(1);
    return rows.length > 0;
  }

  async runningAttemptIds(candidateId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(eq(attempts.candidateId, candidateId), eq(attempts.status, 'running')));
    return rows.map((r) => r.id);
  }

  // ---------- what the candidate sees ----------

  candidate(candidateId: number) {
    return this.candidateOf.get({ id: candidateId });
  }

  /** The candidate's sittings with room, seat, opening, closure and whether the sitting is sealed. */
  seats(candidateId: number) {
    return this.seatsOf.all({ id: candidateId });
  }

  /** Every attempt of the candidate (one lookup for all parts). */
  candidateAttempts(candidateId: number) {
    return this.attemptsOf.all({ id: candidateId });
  }

  suspensionReason(candidateId: number): string | null {
    return this.suspensionOf.get({ id: candidateId })?.reason ?? null;
  }

  /** The effective eligibility status (the board's override when there is one), or undefined without a record. */
  eligibility(candidateId: number): string | undefined {
    return this.eligibilityOf.get({ id: candidateId })?.status;
  }

  chairAdmitted(sittingId: number, candidateId: number): boolean {
    return this.chairAdmittedOf.get({ sittingId, candidateId }) !== undefined;
  }

  paperId(partId: number, candidateId: number): number | undefined {
    return this.paperOf.get({ partId, candidateId })?.id;
  }

  async image(id: string) {
    const rows = await q(this.db)
      .select({ mime: images.mime, bytes: images.bytes })
      .from(images)
      .where(eq(images.id, id))
      .limit(1);
    return rows[0];
  }

  // ---------- attempts ----------

  attempt(attemptId: number) {
    return this.attemptOf.get({ id: attemptId });
  }

  /** The sitting's clock as the candidate's room sees it. */
  sittingClock(candidateId: number, sittingId: number) {
    return this.clockOf.get({ candidateId, sittingId });
  }

  version(versionId: number) {
    return this.versionOf.get({ id: versionId });
  }

  events(attemptId: number): AttemptEvent[] {
    return this.eventsOf.all({ id: attemptId }).map(toEvent);
  }

  async attemptIdsOf(candidateId: number): Promise<number[]> {
    const rows = await q(this.db).select({ id: attempts.id }).from(attempts).where(eq(attempts.candidateId, candidateId));
    return rows.map((r) => r.id);
  }

  async runningIds(): Promise<number[]> {
    const rows = await q(this.db).select({ id: attempts.id }).from(attempts).where(eq(attempts.status, 'running'));
    return rows.map((r) => r.id);
  }

  async addEvent(attemptId: number, kind: AttemptEventKind, at: number, data: string): Promise<void> {
    writer(this.db);
    this.insertEventStmt.run({ attemptId, kind, at, data });
  }

  /**
   * Starts attempts (one transaction for a burst of starts): never into a room that has closed, and
   * a second start of the same part finds the first attempt (even once the room has closed).
   * Returns each start's attempt id and whether this start made it, or undefined where the room
   * had closed before the part was started. Runs inside transaction().
   */
  async insertAttempts(
    rows: readonly { candidateId: number; partId: number; sittingId: number; paperId: number; at: number }[],
  ): Promise<({ id: number; created: boolean } | undefined)[]> {
    writer(this.db);
    return rows.map((r) => {
      const closed = this.closedFor.get({ candidateId: r.candidateId, sittingId: r.sittingId }) !== undefined;
      const made = closed ? undefined : this.insertAttemptStmt.get(r);
      if (made) {
        this.insertEventStmt.run({ attemptId: made.id, kind: 'start', at: r.at, data: '{}' });
        return { id: made.id, created: true };
      }
      const id = this.attemptIdOf.get({ candidateId: r.candidateId, partId: r.partId })?.id;
      return id === undefined ? undefined : { id, created: false };
    });
  }

  // ---------- answers and flags ----------

  answers(attemptId: number) {
    return this.answersOf.all({ id: attemptId });
  }

  flags(attemptId: number): number[] {
    return this.flagsOf.all({ id: attemptId }).map((r) => r.no);
  }

  storedAnswer(attemptId: number, questionNo: number) {
    return this.storedOf.get({ attemptId, questionNo });
  }

  async setFlag(attemptId: number, questionNo: number, flagged: boolean): Promise<void> {
    const w = writer(this.db);
    if (flagged) await w.insert(attemptFlags).values({ attemptId, questionNo }).onConflictDoNothing();
    else await w.delete(attemptFlags).where(and(eq(attemptFlags.attemptId, attemptId), eq(attemptFlags.questionNo, questionNo)));
  }

  // ---------- submission ----------

  async submission(attemptId: number) {
    const rows = await q(this.db)
      .select({
        status: attempts.status,
        submittedAt: attempts.submittedAt,
        reason: attempts.submitReason,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
        passed: attempts.passed,
      })
      .from(attempts)
      .where(eq(attempts.id, attemptId))
      .limit(1);
    return rows[0];
  }

  async markSubmitted(
    attemptId: number,
    r: { at: number; reason: string; correct: number; total: number; score: number; passed: boolean },
  ): Promise<void> {
    await writer(this.db)
      .update(attempts)
      .set({
        status: 'submitted',
        submittedAt: r.at,
        submitReason: r.reason,
        correct: r.correct,
        total: r.total,
        score: r.score,
        passed: r.passed,
      })
      .where(eq(attempts.id, attemptId));
  }
}

/** The SQL of the per-number sign-in lock-out (signinLock.ts). Writes run inside transaction(). */
export class SignInLockRepo {
  /** read at every sign-in and on the invigilator's seat map: prepared once */
  private readonly lockoutOf;

  constructor(private readonly db: Db) {
    this.lockoutOf = db
      .select({ failures: signinLockouts.failures, lockedUntil: signinLockouts.lockedUntil })
      .from(signinLockouts)
      .where(eq(signinLockouts.candidateId, p('id')))
      .prepare();
  }

  /** Read at every sign-in and on the invigilator's seat map. */
  lockout(candidateId: number) {
    return this.lockoutOf.get({ id: candidateId });
  }

  async recordFailure(candidateId: number, lockedUntil: number, now: number): Promise<void> {
    await writer(this.db)
      .insert(signinLockouts)
      .values({ candidateId, failures: 1, lockedUntil, lastFailedAt: now })
      .onConflictDoUpdate({
        target: signinLockouts.candidateId,
        set: { failures: sql`${signinLockouts.failures} + 1`, lockedUntil, lastFailedAt: now },
      });
  }

  /** true when there was a row */
  async clearLockout(candidateId: number): Promise<boolean> {
    const rows = await writer(this.db)
      .delete(signinLockouts)
      .where(eq(signinLockouts.candidateId, candidateId))
      .returning({ id: signinLockouts.candidateId });
    return rows.length > 0;
  }
}
