import { type KeyCorrection, KeyCorrectionReport, MarkingRuleBody, SANCTION_CODES, type SanctionCode } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError, jsonColumn } from '../../db/json.js';
import {
  absences,
  answers,
  attempts,
  candidates,
  examPositions,
  exams,
  keyCorrections,
  markingRules,
  papers,
  partMarks,
  questionVersions,
  reviewRequests,
  rooms,
  sanctions,
  seatAssignments,
  sittingExports,
  sittings,
  tieDecisions,
  users,
} from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';
import { choicesColumn, idListColumn, optionIdsColumn, questionVersionRow } from './columns.js';
import { PublicationsRepo } from './publicationsRepo.js';

/** candidates.exemptions, kiem_dinh and extra: checked where they leave the database. */
const exemptionsColumn = jsonColumn(
  'candidates.exemptions',
  Type.Array(Type.Union([Type.Literal('foreign_language'), Type.Literal('it'), Type.Literal('kiem_dinh')])),
);
const kiemDinhColumn = jsonColumn(
  'candidates.kiem_dinh',
  Type.Object({ resultDate: Type.String(), correct: Type.Number(), total: Type.Number(), passed: Type.Boolean() }),
);
/** the promotion extras compute() reads; other keys stay as they are */
const extraColumn = jsonColumn(
  'candidates.extra',
  Type.Object({
    yearsOfService: Type.Optional(Type.Unknown()),
    serviceMonths: Type.Optional(Type.Unknown()),
    achievementLevel: Type.Optional(Type.Unknown()),
    choices: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
);
const reportColumn = jsonColumn('key_corrections.report', KeyCorrectionReport);
/** marking_rules rows, checked against the body they were written from */
const markingRuleRow = jsonColumn('marking_rules', MarkingRuleBody);

const isSanctionCode = (v: string): v is SanctionCode => SANCTION_CODES.some((c) => c === v);

/**
 * The SQL of results (docs/ARCHITECTURE.md, "Data layer"): marks, the inputs of the computation,
 * tie decisions, sanctions the board records, key corrections and the candidate's lookup.
 * Publications are in PublicationsRepo (`this.publications`). Writes run inside transaction().
 */
export class ResultsRepo {
  readonly publications: PublicationsRepo;

  constructor(private readonly db: Db) {
    this.publications = new PublicationsRepo(db);
  }

  // ---------- marking ----------

  async markingRule(partId: number): Promise<MarkingRuleBody | undefined> {
    const row = (
      await q(this.db)
        .select({ markers: markingRules.markers, maxDifference: markingRules.maxDifference, combine: markingRules.combine })
        .from(markingRules)
        .where(eq(markingRules.partId, partId))
        .limit(1)
    )[0];
    return row ? markingRuleRow.check(row) : undefined;
  }

  async saveMarkingRule(partId: number, body: MarkingRuleBody): Promise<void> {
    const set = { markers: body.markers, maxDifference: body.maxDifference, combine: body.combine };
    await writer(this.db)
      .insert(markingRules)
      .values({ partId, ...set })
      .onConflictDoUpdate({ target: markingRules.partId, set });
  }

  /** Every mark of the exam's parts. */
  async marks(examId: number) {
    return await q(this.db)
      .select({ partId: partMarks.partId, candidateId: partMarks.candidateId, marker: partMarks.marker, score: partMarks.score })
      .from(partMarks)
      .innerJoin(candidates, eq(candidates.id, partMarks.candidateId))
      .where(eq(candidates.examId, examId));
  }

  async markScore(partId: number, candidateId: number, marker: number): Promise<{ score: number | null } | undefined> {
    return (
      await q(this.db)
        .select({ score: partMarks.score })
        .from(partMarks)
        .where(and(eq(partMarks.partId, partId), eq(partMarks.candidateId, candidateId), eq(partMarks.marker, marker)))
        .limit(1)
    )[0];
  }

  async saveMark(m: {
    partId: number;
    candidateId: number;
    marker: number;
    score: number | null;
    reason: string | null;
    enteredBy: number;
    enteredAt: string;
  }): Promise<void> {
    await writer(this.db)
      .insert(partMarks)
      .values(m)
      .onConflictDoUpdate({
        target: [partMarks.partId, partMarks.candidateId, partMarks.marker],
        set: { score: m.score, reason: m.reason, enteredBy: m.enteredBy, enteredAt: m.enteredAt },
      });
  }

  /** The exam's candidates by number, for the entry screens, with a room they are seated in. */
  async candidatesForMarking(examId: number) {
    const list = await q(this.db)
      .select({ candidateId: candidates.id, number: candidates.number, fullName: candidates.fullName })
      .from(candidates)
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
    const seats = await q(this.db)
      .select({ candidateId: seatAssignments.candidateId, code: rooms.code })
      .from(seatAssignments)
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .where(eq(rooms.examId, examId))
      .orderBy(asc(seatAssignments.id));
    const room = new Map<number, string>();
    for (const s of seats) if (!room.has(s.candidateId)) room.set(s.candidateId, s.code);
    return list.map((c) => ({ ...c, roomCode: room.get(c.candidateId) ?? null }));
  }

  /** Candidate ids by number (as stored). */
  async candidateNumbers(examId: number) {
    return await q(this.db)
      .select({ number: candidates.number, id: candidates.id })
      .from(candidates)
      .where(eq(candidates.examId, examId));
  }

  // ---------- what compute() reads ----------

  /** The exam's candidates with their position, JSON columns checked. */
  async candidates(examId: number) {
    const rows = await q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        gender: candidates.gender,
        ethnicity: candidates.ethnicity,
        priorityCategory: candidates.priorityCategory,
        exemptions: candidates.exemptions,
        kiemDinh: candidates.kiemDinh,
        extra: candidates.extra,
        positionId: examPositions.id,
        grade: examPositions.grade,
        requiresForeignLanguage: examPositions.requiresForeignLanguage,
      })
      .from(candidates)
      .innerJoin(examPositions, eq(examPositions.id, candidates.positionId))
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
    return rows.map((r) => ({
      ...r,
      exemptions: exemptionsColumn.parse(r.exemptions),
      kiemDinh: kiemDinhColumn.parseNullable(r.kiemDinh),
      extra: extraColumn.parse(r.extra),
    }));
  }

  async positions(examId: number) {
    return await q(this.db)
      .select({ id: examPositions.id, code: examPositions.code, name: examPositions.name, quota: examPositions.quota })
      .from(examPositions)
      .where(eq(examPositions.examId, examId))
      .orderBy(asc(examPositions.code));
  }

  /** The exam's sittings in time order: the parts each schedules and whether its data is sealed. */
  async sittings(examId: number) {
    const rows = await q(this.db)
      .select({ id: sittings.id, name: sittings.name, startsAt: sittings.startsAt, partIds: sittings.partIds })
      .from(sittings)
      .where(eq(sittings.examId, examId))
      .orderBy(asc(sittings.startsAt), asc(sittings.id));
    const ids = rows.map((r) => r.id);
    const sealed = new Set(
      ids.length === 0
        ? []
        : (
            await q(this.db)
              .select({ id: sittingExports.sittingId })
              .from(sittingExports)
              .where(inArray(sittingExports.sittingId, ids))
          ).map((x) => x.id),
    );
    return rows.map((r) => ({ ...r, partIds: idListColumn('sittings.part_ids').parse(r.partIds), sealed: sealed.has(r.id) }));
  }

  /** Absences confirmed when rooms closed. */
  async absences(examId: number) {
    return await q(this.db)
      .select({ partId: absences.partId, candidateId: absences.candidateId })
      .from(absences)
      .innerJoin(candidates, eq(candidates.id, absences.candidateId))
      .where(eq(candidates.examId, examId));
  }

  async roomCodes(examId: number): Promise<Map<number, string>> {
    const rows = await q(this.db).select({ id: rooms.id, code: rooms.code }).from(rooms).where(eq(rooms.examId, examId));
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  async attemptScores(examId: number) {
    return await q(this.db)
      .select({
        candidateId: attempts.candidateId,
        partId: attempts.partId,
        status: attempts.status,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
      })
      .from(attempts)
      .innerJoin(candidates, eq(candidates.id, attempts.candidateId))
      .where(eq(candidates.examId, examId));
  }

  async sanctions(examId: number): Promise<{ candidateId: number; partId: number | null; code: SanctionCode }[]> {
    const rows = await q(this.db)
      .select({ candidateId: sanctions.candidateId, partId: sanctions.partId, code: sanctions.code })
      .from(sanctions)
      .where(eq(sanctions.examId, examId))
      .orderBy(asc(sanctions.id));
    return rows.map((s) => {
      const code = s.code;
      if (!isSanctionCode(code)) throw new CorruptColumnError('sanctions.code', code);
      return { ...s, code };
    });
  }

  /** The room each candidate is seated in; of several sittings, the earliest one's (rows come latest first). */
  async latestRooms(examId: number): Promise<Map<number, string>> {
    const rows = await q(this.db)
      .select({ id: seatAssignments.candidateId, code: rooms.code })
      .from(seatAssignments)
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .innerJoin(sittings, eq(sittings.id, seatAssignments.sittingId))
      .where(eq(sittings.examId, examId))
      .orderBy(desc(sittings.startsAt));
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  async tieDecisions(examId: number) {
    const rows = await q(this.db)
      .select({
        positionId: tieDecisions.positionId,
        ids: tieDecisions.candidateIds,
        reason: tieDecisions.reason,
        byName: users.username,
        at: tieDecisions.createdAt,
        decisionNumber: tieDecisions.decisionNumber,
        decisionDate: tieDecisions.decisionDate,
        signer: tieDecisions.signer,
      })
      .from(tieDecisions)
      .leftJoin(users, eq(users.id, tieDecisions.createdBy))
      .where(eq(tieDecisions.examId, examId))
      .orderBy(asc(tieDecisions.id));
    return rows.map((r) => ({ ...r, ids: idListColumn('tie_decisions.candidate_ids').parse(r.ids) }));
  }

  /** The marks that stand after phúc khảo (issue 13), by "partId:candidateId". */
  async reviewedMarks(examId: number): Promise<Map<string, number>> {
    const rows = await q(this.db)
      .select({ partId: reviewRequests.partId, candidateId: reviewRequests.candidateId, final: reviewRequests.final })
      .from(reviewRequests)
      .where(and(eq(reviewRequests.examId, examId), inArray(reviewRequests.status, ['marked', 'republished'])));
    const out = new Map<string, number>();
    for (const r of rows) if (r.final !== null) out.set(`${r.partId}:${r.candidateId}`, r.final);
    return out;
  }

  // ---------- ties, sanctions, status ----------

  async insertTieDecision(d: {
    examId: number;
    positionId: number;
    candidateIds: number[];
    reason: string;
    createdBy: number;
    decisionNumber: string;
    decisionDate: string;
    signer: string;
  }): Promise<void> {
    await writer(this.db)
      .insert(tieDecisions)
      .values({ ...d, candidateIds: JSON.stringify(d.candidateIds) });
  }

  async candidateInExam(candidateId: number, examId: number): Promise<boolean> {
    return !!(
      await q(this.db)
        .select({ id: candidates.id })
        .from(candidates)
        .where(and(eq(candidates.id, candidateId), eq(candidates.examId, examId)))
        .limit(1)
    )[0];
  }

  async resultCancelled(candidateId: number): Promise<boolean> {
    return !!(
      await q(this.db)
        .select({ id: sanctions.id })
        .from(sanctions)
        .where(and(eq(sanctions.candidateId, candidateId), eq(sanctions.code, 'huy_ket_qua')))
        .limit(1)
    )[0];
  }

  async insertCancellation(examId: number, candidateId: number, reason: string, userId: number): Promise<void> {
    await writer(this.db)
      .insert(sanctions)
      .values({ examId, candidateId, partId: null, attemptId: null, code: 'huy_ket_qua', reason, userId, at: Date.now() });
  }

  async setExamStatus(examId: number, status: 'published' | 'finished'): Promise<void> {
    await writer(this.db).update(exams).set({ status }).where(eq(exams.id, examId));
  }

  // ---------- key corrections ----------

  async corrections(examId: number) {
    const rows = await q(this.db)
      .select({
        id: keyCorrections.id,
        versionId: keyCorrections.versionId,
        questionId: questionVersions.questionId,
        kind: keyCorrections.kind,
        correct: keyCorrections.correct,
        mode: keyCorrections.mode,
        reason: keyCorrections.reason,
        report: keyCorrections.report,
        byName: users.username,
        at: keyCorrections.createdAt,
      })
      .from(keyCorrections)
      .innerJoin(questionVersions, eq(questionVersions.id, keyCorrections.versionId))
      .leftJoin(users, eq(users.id, keyCorrections.createdBy))
      .where(eq(keyCorrections.examId, examId))
      .orderBy(asc(keyCorrections.id));
    return rows.map((k) => ({
      ...k,
      kind: k.kind === 'rekey' ? ('rekey' as const) : ('void' as const),
      mode: k.mode === 'drop' ? ('drop' as const) : k.mode === 'full_marks' ? ('full_marks' as const) : null,
      correct: optionIdsColumn.parseNullable(k.correct),
      report: reportColumn.parse(k.report),
    }));
  }

  /** A question version's content for scoring; undefined when there is no such version. */
  async questionVersion(id: number) {
    const row = (
      await q(this.db)
        .select({
          type: questionVersions.type,
          stem: questionVersions.stem,
          options: questionVersions.options,
          partialCredit: questionVersions.partialCredit,
        })
        .from(questionVersions)
        .where(eq(questionVersions.id, id))
        .limit(1)
    )[0];
    return row ? questionVersionRow(row) : undefined;
  }

  /** Every attempt of the exam with its paper and candidate. */
  async attemptsWithPapers(examId: number) {
    return await q(this.db)
      .select({
        id: attempts.id,
        status: attempts.status,
        partId: attempts.partId,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
        passed: attempts.passed,
        items: papers.items,
        number: candidates.number,
        fullName: candidates.fullName,
      })
      .from(attempts)
      .innerJoin(papers, eq(papers.id, attempts.paperId))
      .innerJoin(candidates, eq(candidates.id, attempts.candidateId))
      .where(eq(candidates.examId, examId));
  }

  /** An attempt's answers by question number. */
  async answers(attemptId: number): Promise<Map<number, string[]>> {
    const rows = await q(this.db)
      .select({ no: answers.questionNo, choice: answers.choice })
      .from(answers)
      .where(eq(answers.attemptId, attemptId));
    return new Map(rows.map((r) => [r.no, choicesColumn.parse(r.choice)]));
  }

  /** Inserts a correction and returns its id; its report is written once it is known. */
  async insertKeyCorrection(k: {
    examId: number;
    versionId: number;
    kind: 'rekey' | 'void';
    correct: string[] | null;
    mode: 'full_marks' | 'drop' | null;
    reason: string;
    createdBy: number;
  }): Promise<number> {
    const [row] = await writer(this.db)
      .insert(keyCorrections)
      .values({ ...k, correct: k.correct ? JSON.stringify(k.correct) : null, report: '{}' })
      .returning({ id: keyCorrections.id });
    if (!row) throw new Error('key_corrections: the insert returned no row');
    return row.id;
  }

  async setCorrectionReport(id: number, report: KeyCorrectionReport): Promise<void> {
    await writer(this.db)
      .update(keyCorrections)
      .set({ report: JSON.stringify(report) })
      .where(eq(keyCorrections.id, id));
  }

  async updateAttemptScore(u: { id: number; correct: number; total: number; score: number; passed: boolean }): Promise<void> {
    await writer(this.db)
      .update(attempts)
      .set({ correct: u.correct, total: u.total, score: u.score, passed: u.passed })
      .where(eq(attempts.id, u.id));
  }

  // ---------- lookup ----------

  /** The candidates of every exam holding this number, newest exam first. */
  async candidatesByNumber(number: string) {
    return await q(this.db)
      .select({ id: candidates.id, examId: candidates.examId, pinHash: candidates.pinHash, secret: exams.secret })
      .from(candidates)
      .innerJoin(exams, eq(exams.id, candidates.examId))
      .where(eq(candidates.number, number))
      .orderBy(desc(candidates.examId));
  }
}

/** The columns of key_corrections that grading applies. */
const correctionColumns = {
  versionId: keyCorrections.versionId,
  kind: keyCorrections.kind,
  correct: keyCorrections.correct,
  mode: keyCorrections.mode,
};

/** Rows of key_corrections (oldest first) by question version id, the latest per version winning. */
function correctionsByVersion(
  rows: { versionId: number; kind: string; correct: string | null; mode: string | null }[],
): Map<number, KeyCorrection> {
  const map = new Map<number, KeyCorrection>();
  for (const k of rows)
    map.set(
      k.versionId,
      k.kind === 'rekey'
        ? { kind: 'rekey', correct: optionIdsColumn.parseNullable(k.correct) ?? [] }
        : { kind: 'void', mode: k.mode === 'drop' ? 'drop' : 'full_marks' },
    );
  return map;
}

/** An exam's key corrections by question version id (see examCorrections), on either database. */
export async function examCorrectionsOf(db: Db, examId: number): Promise<Map<number, KeyCorrection>> {
  const rows = await q(db)
    .select(correctionColumns)
    .from(keyCorrections)
    .where(eq(keyCorrections.examId, examId))
    .orderBy(asc(keyCorrections.id));
  return correctionsByVersion(rows);
}

// sqlite-only: begin (scripts/gen-pg-repos.mjs leaves this out of the PostgreSQL copy)
/**
 * An exam's key corrections by question version id, the latest per version winning: what grading
 * at submission, re-scoring and item analysis all apply. Synchronous on purpose: grading at
 * submission (delivery) reads it inside its SQLite transaction; on PostgreSQL use examCorrectionsOf.
 */
export function examCorrections(db: Db, examId: number): Map<number, KeyCorrection> {
  const rows = db
    .select(correctionColumns)
    .from(keyCorrections)
    .where(eq(keyCorrections.examId, examId))
    .orderBy(asc(keyCorrections.id))
    .all();
  return correctionsByVersion(rows);
}
// sqlite-only: end
