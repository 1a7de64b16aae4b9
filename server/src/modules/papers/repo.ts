import { isDifficulty, isQuestionTypeId } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError, jsonColumn } from '../../db/json.js';
import {
  candidates,
  examParts,
  exams,
  jobs,
  papers,
  paperViews,
  questions,
  questionVersions,
  rooms,
  seatAssignments,
  sittings,
  topics,
} from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';

/** question_versions.options as the generator and the candidate's view read them (the key is not read here). */
const layoutOptionsColumn = jsonColumn(
  'question_versions.options',
  Type.Array(Type.Object({ id: Type.String(), text: Type.String(), pinned: Type.Optional(Type.Boolean()) })),
);
/** sittings.part_ids */
export const partIdsColumn = jsonColumn('sittings.part_ids', Type.Array(Type.Integer()));
/** candidates.exemptions / exam_parts.exemptible_by (codes; unknown codes are kept, the rules filter them) */
export const codesColumn = (name: string) => jsonColumn(name, Type.Array(Type.String()));
const exemptionsColumn = codesColumn('candidates.exemptions');
/** exam_parts.frozen_pool */
const frozenPoolColumn = jsonColumn('exam_parts.frozen_pool', Type.Array(Type.Integer()));
/** jobs.result: whatever the job returned (shown as is). */
const jobResultColumn = jsonColumn('jobs.result', Type.Unknown());

/** SQLite accepts 32,766 bound values per statement; id lists are read in slices well below. */
const SLICE = 5_000;

const nowIso = sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ','now')`;

/** One version of the pool, its type and difficulty narrowed and its options checked. */
export interface PoolRow {
  id: number;
  questionId: number;
  topicId: number;
  difficulty: import('@exam/shared').Difficulty;
  type: import('@exam/shared').QuestionTypeId;
  options: { id: string; pinned?: boolean }[];
}

function poolRow(r: {
  id: number;
  questionId: number;
  topicId: number;
  difficulty: string;
  type: string;
  options: string;
}): PoolRow {
  if (!isDifficulty(r.difficulty)) throw new CorruptColumnError('question_versions.difficulty', r.difficulty);
  if (!isQuestionTypeId(r.type)) throw new CorruptColumnError('question_versions.type', r.type);
  return { ...r, difficulty: r.difficulty, type: r.type, options: layoutOptionsColumn.parse(r.options) };
}

const poolColumns = {
  id: questionVersions.id,
  questionId: questionVersions.questionId,
  topicId: questionVersions.topicId,
  difficulty: questionVersions.difficulty,
  type: questionVersions.type,
  options: questionVersions.options,
};

/** A candidate of the exam with their seat in a sitting that holds the part (none: nulls). */
export interface CandidateSeat {
  id: number;
  exemptions: string[];
  roomId: number | null;
  seatNo: number | null;
  perRow: number | null;
}

/**
 * All SQL of the papers area: the bank pool a paper is drawn from, the stored papers, their
 * rendered views, and the jobs table (docs/ARCHITECTURE.md, "Data layer"). Writes run inside
 * transaction().
 */
export class PapersRepo {
  constructor(private readonly db: Db) {}

  // ---------- the pool ----------

  async topics(subjectId: number) {
    return q(this.db)
      .select({ id: topics.id, parentId: topics.parentId, name: topics.name })
      .from(topics)
      .where(eq(topics.subjectId, subjectId));
  }

  /** Approved versions of a subject that are their question's head, in id order. */
  async approvedPool(subjectId: number): Promise<PoolRow[]> {
    const rows = await q(this.db)
      .select(poolColumns)
      .from(questionVersions)
      .innerJoin(questions, eq(questions.id, questionVersions.questionId))
      .where(
        and(
          eq(questions.subjectId, subjectId),
          eq(questionVersions.status, 'approved'),
          sql`${questions.headVersionId} IS NOT NULL`,
        ),
      )
      .orderBy(asc(questionVersions.id));
    return rows.map(poolRow);
  }

  /** Exactly these versions (a frozen pool), in id order. */
  async versions(ids: readonly number[]): Promise<PoolRow[]> {
    const out: PoolRow[] = [];
    for (let i = 0; i < ids.length; i += SLICE) {
      const rows = await q(this.db)
        .select(poolColumns)
        .from(questionVersions)
        .where(inArray(questionVersions.id, ids.slice(i, i + SLICE)));
      for (const r of rows) out.push(poolRow(r));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  // ---------- generation ----------

  /**
   * The exam's candidates in id order, each with their seat in a sitting that holds the part
   * (a candidate seated in two such sittings appears twice, one row per seat).
   */
  async candidateSeats(examId: number, partId: number): Promise<CandidateSeat[]> {
    const cands = await q(this.db)
      .select({ id: candidates.id, exemptions: candidates.exemptions })
      .from(candidates)
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.id));
    const holding = (
      await q(this.db).select({ id: sittings.id, partIds: sittings.partIds }).from(sittings).where(eq(sittings.examId, examId))
    )
      .filter((s) => partIdsColumn.parse(s.partIds).includes(partId))
      .map((s) => s.id);
    const seats =
      holding.length === 0
        ? []
        : await q(this.db)
            .select({
              candidateId: seatAssignments.candidateId,
              roomId: seatAssignments.roomId,
              seatNo: seatAssignments.seatNo,
              perRow: rooms.seatsPerRow,
            })
            .from(seatAssignments)
            .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
            .where(inArray(seatAssignments.sittingId, holding));
    const byCandidate = new Map<number, (typeof seats)[number][]>();
    for (const s of seats) byCandidate.set(s.candidateId, [...(byCandidate.get(s.candidateId) ?? []), s]);
    return cands.flatMap((c): CandidateSeat[] => {
      const exemptions = exemptionsColumn.parse(c.exemptions);
      const mine = byCandidate.get(c.id);
      if (!mine) return [{ id: c.id, exemptions, roomId: null, seatNo: null, perRow: null }];
      return mine.map((s) => ({ id: c.id, exemptions, roomId: s.roomId, seatNo: s.seatNo, perRow: s.perRow }));
    });
  }

  /** Replaces every paper of a part and records the frozen pool it was drawn from. */
  async replacePapers(
    partId: number,
    frozen: { bankVersion: string; versionIds: number[] },
    rows: { candidateId: number; attempt: number; algorithmVersion: number; items: string; digest: string }[],
  ): Promise<void> {
    const w = writer(this.db);
    await w.delete(papers).where(eq(papers.partId, partId));
    await w
      .update(examParts)
      .set({ bankVersion: frozen.bankVersion, frozenPool: JSON.stringify(frozen.versionIds) })
      .where(eq(examParts.id, partId));
    // 7 bound values a row: 1,000 rows a statement stays far below SQLite's limit
    for (let i = 0; i < rows.length; i += 1_000) {
      await w.insert(papers).values(rows.slice(i, i + 1_000).map((r) => ({ partId, bankVersion: frozen.bankVersion, ...r })));
    }
  }

  async storedPaper(partId: number, candidateId: number) {
    const rows = await q(this.db)
      .select({ attempt: papers.attempt, bankVersion: papers.bankVersion, items: papers.items, digest: papers.digest })
      .from(papers)
      .where(and(eq(papers.partId, partId), eq(papers.candidateId, candidateId)))
      .limit(1);
    return rows[0];
  }

  /** A frozen pool's version ids, checked. */
  frozenPool(text: string): number[] {
    return frozenPoolColumn.parse(text);
  }

  // ---------- jobs ----------

  /** Jobs cut off by a restart are not running any more. */
  async failInterrupted(message: string): Promise<void> {
    await writer(this.db).update(jobs).set({ status: 'failed', message, finishedAt: nowIso }).where(eq(jobs.status, 'running'));
  }

  async insertJob(kind: string, examId: number | null, userId: number | null): Promise<number> {
    const rows = await writer(this.db)
      .insert(jobs)
      .values({ kind, examId, status: 'running', createdBy: userId })
      .returning({ id: jobs.id });
    const row = rows[0];
    if (!row) throw new Error('jobs insert returned no row');
    return row.id;
  }

  async jobProgress(id: number, done: number, total: number): Promise<void> {
    await writer(this.db).update(jobs).set({ done, total }).where(eq(jobs.id, id));
  }

  async finishJob(id: number, status: 'done' | 'failed', message: string, result: unknown): Promise<void> {
    await writer(this.db)
      .update(jobs)
      .set({ status, message, result: JSON.stringify(result ?? null), finishedAt: nowIso })
      .where(eq(jobs.id, id));
  }

  async job(id: number) {
    const rows = await q(this.db)
      .select({
        id: jobs.id,
        kind: jobs.kind,
        examId: jobs.examId,
        status: jobs.status,
        done: jobs.done,
        total: jobs.total,
        message: jobs.message,
        result: jobs.result,
        createdAt: jobs.createdAt,
        finishedAt: jobs.finishedAt,
      })
      .from(jobs)
      .where(eq(jobs.id, id))
      .limit(1);
    const r = rows[0];
    if (!r) return undefined;
    return { ...r, result: r.result === null ? null : jobResultColumn.parse(r.result) };
  }
}

/**
 * The candidate's views (paper_views), read and written SYNCHRONOUSLY: delivery's sealed-paper
 * path (delivery/sealed.ts) renders a missing view inside a synchronous method, and the app renders
 * the views missing after an upgrade before it listens. The one synchronous corner of this area,
 * typed from the schema; it becomes async when those callers await it (issue 17).
 */
export class PaperViewsRepo {
  constructor(private readonly db: Db) {}

  version(versionId: number) {
    return q(this.db)
      .select({ type: questionVersions.type, stem: questionVersions.stem, options: questionVersions.options })
      .from(questionVersions)
      .where(eq(questionVersions.id, versionId))
      .get();
  }

  optionsOf(text: string): { id: string; text: string }[] {
    return layoutOptionsColumn.parse(text).map((o) => ({ id: o.id, text: o.text }));
  }

  /** The exam's papers with the version of their view (null: never rendered). */
  papersOf(examId: number) {
    return q(this.db)
      .select({
        id: papers.id,
        candidateId: papers.candidateId,
        partId: papers.partId,
        items: papers.items,
        version: paperViews.version,
      })
      .from(papers)
      .innerJoin(examParts, eq(examParts.id, papers.partId))
      .leftJoin(paperViews, eq(paperViews.paperId, papers.id))
      .where(eq(examParts.examId, examId))
      .all();
  }

  /** Exams past set-up with a paper that has no view (a database from before issue 15). */
  examsMissingViews(): number[] {
    return q(this.db)
      .selectDistinct({ id: examParts.examId })
      .from(papers)
      .innerJoin(examParts, eq(examParts.id, papers.partId))
      .innerJoin(exams, eq(exams.id, examParts.examId))
      .where(
        and(
          inArray(exams.status, ['ready', 'running']),
          sql`NOT EXISTS (SELECT 1 FROM ${paperViews} WHERE ${paperViews.paperId} = ${papers.id})`,
        ),
      )
      .all()
      .map((r) => r.id);
  }

  /** Writes views; inside transaction() through writer(), else in a synchronous transaction of its own. */
  upsertViews(
    rows: {
      paperId: number;
      candidateId: number;
      partId: number;
      version: number;
      view: Buffer;
      digest: string;
      renderedAt: number;
    }[],
    inTx: boolean,
  ): void {
    const write = (w: Pick<Db, 'insert'>) => {
      for (const r of rows) {
        w.insert(paperViews)
          .values(r)
          .onConflictDoUpdate({
            target: paperViews.paperId,
            set: { version: r.version, view: r.view, digest: r.digest, renderedAt: r.renderedAt },
          })
          .run();
      }
    };
    if (rows.length === 0) return;
    if (inTx) write(writer(this.db));
    else this.db.transaction((tx) => write(tx));
  }
}
