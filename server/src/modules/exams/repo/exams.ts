import { EXAM_STATUSES, type ExamStatus } from '@exam/shared';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { CorruptColumnError } from '../../../db/json.js';
import { candidates, examParts, examPositions, exams, papers, subjects } from '../../../db/schema.js';
import { q, writer } from '../../../db/tx.js';

const examColumns = {
  id: exams.id,
  code: exams.code,
  name: exams.name,
  kind: exams.kind,
  profileId: exams.profileId,
  overrides: exams.overrides,
  organisingBody: exams.organisingBody,
  status: exams.status,
  secret: exams.secret,
  examDate: exams.examDate,
  timeZone: exams.timeZone,
  applicationDeadline: exams.applicationDeadline,
  profileOutOfForceReason: exams.profileOutOfForceReason,
  frozenAt: exams.frozenAt,
  createdAt: exams.createdAt,
};

const selectExams = (db: Db) => q(db).select(examColumns).from(exams);
type ExamSelect = Awaited<ReturnType<typeof selectExams>>[number];

/** An exam's row; the status narrowed to the exam statuses. */
export type ExamRow = Omit<ExamSelect, 'status'> & { status: ExamStatus };

const isStatus = (s: string): s is ExamStatus => (EXAM_STATUSES as readonly string[]).includes(s);

function examRow<R extends { status: string }>(r: R): Omit<R, 'status'> & { status: ExamStatus } {
  if (!isStatus(r.status)) throw new CorruptColumnError('exams.status', r.status);
  return { ...r, status: r.status };
}

export const partColumns = {
  id: examParts.id,
  examId: examParts.examId,
  code: examParts.code,
  name: examParts.name,
  subjectId: examParts.subjectId,
  mode: examParts.mode,
  round: examParts.round,
  questionCount: examParts.questionCount,
  durationMin: examParts.durationMin,
  scoreScale: examParts.scoreScale,
  passRule: examParts.passRule,
  role: examParts.role,
  coefficient: examParts.coefficient,
  exemptibleBy: examParts.exemptibleBy,
  blueprint: examParts.blueprint,
  sortOrder: examParts.sortOrder,
  bankVersion: examParts.bankVersion,
  frozenPool: examParts.frozenPool,
};

/** The rule columns of a part (what the effective profile reads). */
const ruleColumns = {
  code: examParts.code,
  name: examParts.name,
  round: examParts.round,
  questionCount: examParts.questionCount,
  durationMin: examParts.durationMin,
  scoreScale: examParts.scoreScale,
  passRule: examParts.passRule,
  role: examParts.role,
  coefficient: examParts.coefficient,
  exemptibleBy: examParts.exemptibleBy,
};

export type PartValues = Omit<typeof examParts.$inferInsert, 'id' | 'examId' | 'code'>;

/**
 * The exams, their parts and positions (docs/ARCHITECTURE.md, "Data layer"). Writes run inside
 * transaction().
 *
 * The reads marked SYNCHRONOUS (exam, parts, part, part rules) are the ones other modules call from
 * synchronous code today: delivery's exam cache (`examInfo`, read by the timing of every answer),
 * proctor's sitting info and results. They are typed from the schema; they become async when those
 * callers await them (issue 17). Everything else here is async.
 */
export class ExamsRepo {
  constructor(private readonly db: Db) {}

  // ---------- synchronous reads (see the class comment) ----------

  examSync(id: number): ExamRow | undefined {
    const r = selectExams(this.db).where(eq(exams.id, id)).get();
    return r ? examRow(r) : undefined;
  }

  partRulesSync(examId: number) {
    return q(this.db)
      .select(ruleColumns)
      .from(examParts)
      .where(eq(examParts.examId, examId))
      .orderBy(asc(examParts.sortOrder), asc(examParts.id))
      .all();
  }

  partsSync(examId: number) {
    return q(this.db)
      .select(partColumns)
      .from(examParts)
      .where(eq(examParts.examId, examId))
      .orderBy(asc(examParts.sortOrder), asc(examParts.id))
      .all();
  }

  partSync(id: number) {
    return q(this.db).select(partColumns).from(examParts).where(eq(examParts.id, id)).get();
  }

  /** Papers generated per part of the exam. */
  paperCountsSync(examId: number): Map<number, number> {
    const rows = q(this.db)
      .select({ partId: papers.partId, n: count() })
      .from(papers)
      .innerJoin(examParts, eq(examParts.id, papers.partId))
      .where(eq(examParts.examId, examId))
      .groupBy(papers.partId)
      .all();
    return new Map(rows.map((r) => [r.partId, r.n]));
  }

  // ---------- exams ----------

  async list() {
    const { secret: _s, overrides: _o, ...cols } = examColumns;
    const rows = await q(this.db).select(cols).from(exams).orderBy(desc(exams.id));
    return rows.map(examRow);
  }

  async codeTaken(code: string): Promise<boolean> {
    return (await q(this.db).select({ id: exams.id }).from(exams).where(eq(exams.code, code)).limit(1)).length > 0;
  }

  async insertExam(values: Omit<typeof exams.$inferInsert, 'id'>): Promise<number> {
    const row = (await writer(this.db).insert(exams).values(values).returning({ id: exams.id }))[0];
    if (!row) throw new Error('exams insert returned no row');
    return row.id;
  }

  async updateExam(id: number, set: Partial<Omit<typeof exams.$inferInsert, 'id'>>): Promise<void> {
    if (Object.keys(set).length === 0) return;
    await writer(this.db).update(exams).set(set).where(eq(exams.id, id));
  }

  async setReady(id: number): Promise<void> {
    await writer(this.db)
      .update(exams)
      .set({ status: 'ready', frozenAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')` })
      .where(eq(exams.id, id));
  }

  async candidateCount(examId: number): Promise<number> {
    return (await q(this.db).select({ n: count() }).from(candidates).where(eq(candidates.examId, examId)))[0]?.n ?? 0;
  }

  // ---------- parts ----------

  async partCodes(examId: number): Promise<Set<string>> {
    const rows = await q(this.db).select({ code: examParts.code }).from(examParts).where(eq(examParts.examId, examId));
    return new Set(rows.map((r) => r.code));
  }

  async subjects() {
    return q(this.db).select({ id: subjects.id, code: subjects.code }).from(subjects);
  }

  async subjectExists(id: number): Promise<boolean> {
    return (await q(this.db).select({ id: subjects.id }).from(subjects).where(eq(subjects.id, id)).limit(1)).length > 0;
  }

  async insertPart(examId: number, code: string, values: PartValues): Promise<void> {
    await writer(this.db)
      .insert(examParts)
      .values({ ...values, examId, code });
  }

  async updatePartByCode(examId: number, code: string, set: Partial<PartValues>): Promise<void> {
    await writer(this.db)
      .update(examParts)
      .set(set)
      .where(and(eq(examParts.examId, examId), eq(examParts.code, code)));
  }

  async deletePart(examId: number, code: string): Promise<void> {
    await writer(this.db)
      .delete(examParts)
      .where(and(eq(examParts.examId, examId), eq(examParts.code, code)));
  }

  async updatePart(id: number, set: Partial<PartValues>): Promise<void> {
    if (Object.keys(set).length === 0) return;
    await writer(this.db).update(examParts).set(set).where(eq(examParts.id, id));
  }

  /** The exam's computer parts, as paper generation reads them. */
  async computerParts(examId: number) {
    return q(this.db)
      .select(partColumns)
      .from(examParts)
      .where(and(eq(examParts.examId, examId), eq(examParts.mode, 'computer_mc')))
      .orderBy(asc(examParts.sortOrder), asc(examParts.id));
  }

  /** The exam's candidates with their exemptions, and which (part, candidate) already hold a paper. */
  async paperCoverage(examId: number, partIds: number[]) {
    const cands = await q(this.db)
      .select({ id: candidates.id, exemptions: candidates.exemptions })
      .from(candidates)
      .where(eq(candidates.examId, examId));
    const held =
      partIds.length === 0
        ? []
        : await q(this.db)
            .select({ partId: papers.partId, candidateId: papers.candidateId })
            .from(papers)
            .where(inArray(papers.partId, partIds));
    return { candidates: cands, held: new Set(held.map((h) => `${h.partId}:${h.candidateId}`)) };
  }

  // ---------- positions ----------

  async positions(examId: number) {
    const rows = await q(this.db)
      .select({
        id: examPositions.id,
        code: examPositions.code,
        name: examPositions.name,
        quota: examPositions.quota,
        grade: examPositions.grade,
      })
      .from(examPositions)
      .where(eq(examPositions.examId, examId))
      .orderBy(asc(examPositions.code));
    const counts = await q(this.db)
      .select({ positionId: candidates.positionId, n: count() })
      .from(candidates)
      .where(eq(candidates.examId, examId))
      .groupBy(candidates.positionId);
    const byPosition = new Map(counts.map((c) => [c.positionId, c.n]));
    return rows.map((p) => ({ ...p, candidates: byPosition.get(p.id) ?? 0 }));
  }

  async position(examId: number, id: number) {
    const rows = await q(this.db)
      .select({
        id: examPositions.id,
        code: examPositions.code,
        name: examPositions.name,
        quota: examPositions.quota,
        grade: examPositions.grade,
      })
      .from(examPositions)
      .where(and(eq(examPositions.id, id), eq(examPositions.examId, examId)))
      .limit(1);
    return rows[0];
  }

  async positionCodeTaken(examId: number, code: string): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: examPositions.id })
      .from(examPositions)
      .where(and(eq(examPositions.examId, examId), eq(examPositions.code, code)))
      .limit(1);
    return rows.length > 0;
  }

  async insertPosition(values: {
    examId: number;
    code: string;
    name: string;
    quota: number;
    grade: string | null;
  }): Promise<number> {
    const row = (await writer(this.db).insert(examPositions).values(values).returning({ id: examPositions.id }))[0];
    if (!row) throw new Error('exam_positions insert returned no row');
    return row.id;
  }

  async updatePosition(id: number, set: { name: string; quota: number; grade: string | null }): Promise<void> {
    await writer(this.db).update(examPositions).set(set).where(eq(examPositions.id, id));
  }

  /** Whether any candidate of the exam holds a paper. */
  async papersExist(examId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: papers.id })
      .from(papers)
      .innerJoin(candidates, eq(candidates.id, papers.candidateId))
      .where(eq(candidates.examId, examId))
      .limit(1);
    return rows.length > 0;
  }
}
