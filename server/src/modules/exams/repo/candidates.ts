import { Type } from '@sinclair/typebox';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { jsonColumn } from '../../../db/json.js';
import {
  candidateEligibility,
  candidates,
  examParts,
  examPositions,
  gradeEquivalences,
  rooms,
  seatAssignments,
  sittings,
  users,
} from '../../../db/schema.js';
import { q, writer } from '../../../db/tx.js';
import { codesColumn, partIdsColumn } from '../../papers/repo.js';

export const exemptionsColumn = codesColumn('candidates.exemptions');
/** candidates.extra: promotion extras (rating, discipline, years of service …), an object. */
export const extraColumn = jsonColumn('candidates.extra', Type.Record(Type.String(), Type.Unknown()));
/** candidate_eligibility.data: the record's data as stored (each field checked by the service). */
export const eligibilityDataColumn = jsonColumn('candidate_eligibility.data', Type.Record(Type.String(), Type.Unknown()));
/** candidate_eligibility.reasons: { reasons, notes, gradeVia } as stored. */
export const reasonsColumn = jsonColumn('candidate_eligibility.reasons', Type.Record(Type.String(), Type.Unknown()));

export type NewCandidate = Omit<typeof candidates.$inferInsert, 'id' | 'createdAt' | 'pinHash'>;

/**
 * Candidates, their eligibility records, the grade equivalences and what the exam's documents print
 * (docs/ARCHITECTURE.md, "Data layer"). Writes run inside transaction().
 */
export class CandidatesRepo {
  constructor(private readonly db: Db) {}

  // ---------- candidates ----------

  async list(examId: number) {
    const rows = await q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        gender: candidates.gender,
        idNumber: candidates.idNumber,
        ethnicity: candidates.ethnicity,
        positionId: candidates.positionId,
        positionCode: examPositions.code,
        positionName: examPositions.name,
        priorityCategory: candidates.priorityCategory,
        exemptions: candidates.exemptions,
        pinHash: candidates.pinHash,
      })
      .from(candidates)
      .innerJoin(examPositions, eq(examPositions.id, candidates.positionId))
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
    // each candidate's room and seat in their first sitting (lowest sitting id)
    const seats = await q(this.db)
      .select({ candidateId: seatAssignments.candidateId, roomName: rooms.name, seatNo: seatAssignments.seatNo })
      .from(seatAssignments)
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .innerJoin(candidates, eq(candidates.id, seatAssignments.candidateId))
      .where(eq(candidates.examId, examId))
      .orderBy(desc(seatAssignments.sittingId));
    const first = new Map(seats.map((s) => [s.candidateId, s]));
    return rows.map(({ pinHash, exemptions, ...r }) => ({
      ...r,
      exemptions: exemptionsColumn.parse(exemptions),
      hasPin: pinHash !== null,
      roomName: first.get(r.id)?.roomName ?? null,
      seatNo: first.get(r.id)?.seatNo ?? null,
    }));
  }

  async idNumbers(examId: number): Promise<Set<string>> {
    const rows = await q(this.db).select({ idNumber: candidates.idNumber }).from(candidates).where(eq(candidates.examId, examId));
    return new Set(rows.map((r) => r.idNumber));
  }

  async insertCandidates(rows: NewCandidate[]): Promise<void> {
    // 14 bound values a row
    for (let i = 0; i < rows.length; i += 1_000)
      await writer(this.db)
        .insert(candidates)
        .values(rows.slice(i, i + 1_000));
  }

  async numbering(examId: number) {
    return q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        idNumber: candidates.idNumber,
        positionId: candidates.positionId,
        pinHash: candidates.pinHash,
      })
      .from(candidates)
      .where(eq(candidates.examId, examId));
  }

  async setNumber(id: number, number: string): Promise<void> {
    await writer(this.db).update(candidates).set({ number }).where(eq(candidates.id, id));
  }

  async pinRows(examId: number, onlyMissing: boolean) {
    return q(this.db)
      .select({ id: candidates.id, number: candidates.number, fullName: candidates.fullName })
      .from(candidates)
      .where(onlyMissing ? and(eq(candidates.examId, examId), isNull(candidates.pinHash)) : eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
  }

  async setPinHash(id: number, pinHash: string): Promise<void> {
    await writer(this.db).update(candidates).set({ pinHash }).where(eq(candidates.id, id));
  }

  async examOf(candidateId: number): Promise<number | undefined> {
    const rows = await q(this.db)
      .select({ examId: candidates.examId })
      .from(candidates)
      .where(eq(candidates.id, candidateId))
      .limit(1);
    return rows[0]?.examId;
  }

  async updateCandidate(
    id: number,
    set: { ethnicity: string; currentGrade: string | null; yearsInGrade: number | null; extra: string },
  ): Promise<void> {
    await writer(this.db).update(candidates).set(set).where(eq(candidates.id, id));
  }

  // ---------- eligibility ----------

  async equivalences(examId: number) {
    return q(this.db)
      .select({
        code: gradeEquivalences.code,
        name: gradeEquivalences.name,
        equivalentTo: gradeEquivalences.equivalentTo,
        source: gradeEquivalences.source,
      })
      .from(gradeEquivalences)
      .where(eq(gradeEquivalences.examId, examId))
      .orderBy(asc(gradeEquivalences.code));
  }

  async upsertEquivalence(v: {
    examId: number;
    code: string;
    name: string;
    equivalentTo: string;
    source: string;
    createdBy: number | null;
  }) {
    await writer(this.db)
      .insert(gradeEquivalences)
      .values(v)
      .onConflictDoUpdate({
        target: [gradeEquivalences.examId, gradeEquivalences.code],
        set: { name: v.name, equivalentTo: v.equivalentTo, source: v.source },
      });
  }

  /** The exam's candidates (or one) with their position's target grade, in candidate-number order. */
  async eligibilityCandidates(examId: number, candidateId?: number) {
    return q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        ethnicity: candidates.ethnicity,
        currentGrade: candidates.currentGrade,
        yearsInGrade: candidates.yearsInGrade,
        extra: candidates.extra,
        targetGrade: examPositions.grade,
      })
      .from(candidates)
      .innerJoin(examPositions, eq(examPositions.id, candidates.positionId))
      .where(
        candidateId === undefined
          ? eq(candidates.examId, examId)
          : and(eq(candidates.examId, examId), eq(candidates.id, candidateId)),
      )
      .orderBy(asc(candidates.number));
  }

  async record(candidateId: number) {
    const rows = await q(this.db)
      .select({
        data: candidateEligibility.data,
        status: candidateEligibility.status,
        reasons: candidateEligibility.reasons,
        overrideStatus: candidateEligibility.overrideStatus,
        overrideReason: candidateEligibility.overrideReason,
        overrideRef: candidateEligibility.overrideRef,
        overrideByName: users.username,
        overrideAt: candidateEligibility.overrideAt,
      })
      .from(candidateEligibility)
      .leftJoin(users, eq(users.id, candidateEligibility.overrideBy))
      .where(eq(candidateEligibility.candidateId, candidateId))
      .limit(1);
    return rows[0];
  }

  async storeRecord(v: { candidateId: number; data: string; status: string; reasons: string; updatedAt: string }): Promise<void> {
    await writer(this.db)
      .insert(candidateEligibility)
      .values(v)
      .onConflictDoUpdate({
        target: candidateEligibility.candidateId,
        set: { data: v.data, status: v.status, reasons: v.reasons, updatedAt: v.updatedAt },
      });
  }

  async setOverride(
    candidateId: number,
    set: {
      overrideStatus: string | null;
      overrideReason: string | null;
      overrideRef: string | null;
      overrideBy: number | null;
      overrideAt: string | null;
    },
  ): Promise<void> {
    await writer(this.db).update(candidateEligibility).set(set).where(eq(candidateEligibility.candidateId, candidateId));
  }

  async records(examId: number) {
    return q(this.db)
      .select({
        id: candidateEligibility.candidateId,
        status: candidateEligibility.status,
        reasons: candidateEligibility.reasons,
        overrideStatus: candidateEligibility.overrideStatus,
        overrideReason: candidateEligibility.overrideReason,
      })
      .from(candidateEligibility)
      .innerJoin(candidates, eq(candidates.id, candidateEligibility.candidateId))
      .where(eq(candidates.examId, examId));
  }

  // ---------- documents ----------

  async partNames(examId: number): Promise<Map<number, string>> {
    const rows = await q(this.db)
      .select({ id: examParts.id, name: examParts.name })
      .from(examParts)
      .where(eq(examParts.examId, examId));
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  /** Every seat of the exam with its sitting and room, sittings in start order. */
  async seatsWithSittings(examId: number) {
    const rows = await q(this.db)
      .select({
        candidateId: seatAssignments.candidateId,
        name: sittings.name,
        startsAt: sittings.startsAt,
        partIds: sittings.partIds,
        roomName: rooms.name,
        roomLocation: rooms.location,
        seatNo: seatAssignments.seatNo,
      })
      .from(seatAssignments)
      .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .where(eq(sittings.examId, examId))
      .orderBy(asc(sittings.startsAt));
    return rows.map((r) => ({ ...r, partIds: partIdsColumn.parse(r.partIds) }));
  }

  async slipCandidates(examId: number) {
    return q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        gender: candidates.gender,
        idNumber: candidates.idNumber,
        positionName: examPositions.name,
      })
      .from(candidates)
      .innerJoin(examPositions, eq(examPositions.id, candidates.positionId))
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
  }

  async sitting(sittingId: number) {
    const rows = await q(this.db)
      .select({ examId: sittings.examId, name: sittings.name, startsAt: sittings.startsAt })
      .from(sittings)
      .where(eq(sittings.id, sittingId))
      .limit(1);
    return rows[0];
  }

  async roomsOf(examId: number) {
    return q(this.db)
      .select({ id: rooms.id, name: rooms.name, location: rooms.location })
      .from(rooms)
      .where(eq(rooms.examId, examId))
      .orderBy(asc(rooms.code));
  }

  async roomRows(sittingId: number) {
    return q(this.db)
      .select({
        roomId: seatAssignments.roomId,
        seatNo: seatAssignments.seatNo,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        gender: candidates.gender,
      })
      .from(seatAssignments)
      .innerJoin(candidates, eq(candidates.id, seatAssignments.candidateId))
      .where(eq(seatAssignments.sittingId, sittingId))
      .orderBy(asc(seatAssignments.roomId), asc(seatAssignments.seatNo));
  }

  /** Each seat of the exam, the latest sitting first (the caller keeps the last one seen per candidate). */
  async seatsLatestFirst(examId: number) {
    return q(this.db)
      .select({ candidateId: seatAssignments.candidateId, roomName: rooms.name, seatNo: seatAssignments.seatNo })
      .from(seatAssignments)
      .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .where(eq(sittings.examId, examId))
      .orderBy(desc(sittings.startsAt));
  }
}
