import { createHash, createHmac } from 'node:crypto';
import {
  type Blueprint,
  checkBlueprint,
  DifficultySchema,
  type EntityId,
  ensureNeighbourDiversity,
  type GeneratedPartDto,
  type OptionLayout,
  PAPER_ALGORITHM_VERSION,
  type Paper,
  PaperGenerator,
  type PartCheckDto,
  type PoolItem,
  type SeatPair,
} from '@exam/shared';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../db/connection.js';
import { jsonColumn } from '../../db/json.js';
import { transaction } from '../../db/tx.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';
import { type CandidateSeat, codesColumn, PapersRepo } from './repo.js';

export interface PartRow {
  id: number;
  examId: number;
  code: string;
  name: string;
  subjectId: number | null;
  mode: string;
  questionCount: number | null;
  blueprint: string;
  exemptibleBy: string;
  bankVersion: string | null;
  frozenPool: string | null;
}

export interface FrozenPool {
  pool: PoolItem[];
  layouts: Map<EntityId, OptionLayout>;
  bankVersion: string;
  topicName: (id: EntityId) => string | undefined;
}

/** Loads approved versions of a subject (or exactly the given version ids) as a generator pool. */
export async function loadPool(db: Db, subjectId: number, versionIds?: number[]): Promise<FrozenPool> {
  const repo = new PapersRepo(db);
  const topics = await repo.topics(subjectId);
  const byId = new Map(topics.map((t) => [t.id, t]));
  const pathCache = new Map<number, number[]>();
  const pathOf = (id: number): number[] => {
    const cached = pathCache.get(id);
    if (cached) return cached;
    const t = byId.get(id);
    const p = t?.parentId != null ? [...pathOf(t.parentId), id] : [id];
    pathCache.set(id, p);
    return p;
  };
  const rows = versionIds ? await repo.versions(versionIds) : await repo.approvedPool(subjectId);
  const pool: PoolItem[] = [];
  const layouts = new Map<EntityId, OptionLayout>();
  for (const r of rows) {
    pool.push({ versionId: r.id, questionId: r.questionId, topicPath: pathOf(r.topicId), difficulty: r.difficulty });
    layouts.set(r.id, { type: r.type, options: r.options.map((o) => (o.pinned ? { id: o.id, pinned: true } : { id: o.id })) });
  }
  const bankVersion = createHash('sha256')
    .update(rows.map((r) => r.id).join(','))
    .digest('hex');
  return { pool, layouts, bankVersion, topicName: (id) => byId.get(Number(id))?.name };
}

/** exam_parts.blueprint, checked where it leaves the database. */
const blueprintColumn = jsonColumn(
  'exam_parts.blueprint',
  Type.Object({
    cells: Type.Array(
      Type.Object({ topicId: Type.Union([Type.Null(), Type.Integer()]), difficulty: DifficultySchema, count: Type.Integer() }),
    ),
  }),
);
/** papers.items: `[[versionId, questionId, "BADC"], ...]` */
const paperItemsColumn = jsonColumn('papers.items', Type.Array(Type.Tuple([Type.Integer(), Type.Integer(), Type.String()])));
const exemptibleByColumn = codesColumn('exam_parts.exemptible_by');

export function parseBlueprint(json: string): Blueprint {
  return blueprintColumn.parse(json);
}

/** The seed of one paper: HMAC-SHA256(exam secret, candidate | part | bank version | attempt). */
export function paperSeed(secret: string, candidateId: number, partId: number, bankVersion: string, attempt: number): Uint8Array {
  return createHmac('sha256', secret).update(`${candidateId}|${partId}|${bankVersion}|${attempt}`).digest();
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * How a paper is stored: `[[versionId, questionId, "BADC"], ...]` (option ids are single
 * letters), about a quarter of the bytes of the Paper object. The digest is the SHA-256 of this
 * text, so an auditor can recompute it from a regenerated paper.
 */
export function encodePaper(paper: Paper): string {
  return JSON.stringify(paper.items.map((i) => [i.versionId, i.questionId, i.optionOrder.join('')]));
}

export function decodePaper(text: string): Paper {
  const rows = paperItemsColumn.parse(text);
  return { items: rows.map(([versionId, questionId, order]) => ({ versionId, questionId, optionOrder: [...order] })) };
}

export function paperDigest(paper: Paper): string {
  return sha256(encodePaper(paper));
}

export function exemptFrom(part: Pick<PartRow, 'exemptibleBy'>, exemptions: string[]): boolean {
  const by = exemptibleByColumn.parse(part.exemptibleBy);
  return exemptions.some((e) => by.includes(e));
}

/**
 * Seats next to each other in a lab: left/right in the same row and front/back, with
 * `perRow` seats per row numbered from 1.
 */
export function adjacentSeats(seatNos: number[], perRow: number): SeatPair[] {
  const index = new Map(seatNos.map((s, i) => [s, i]));
  const pairs: SeatPair[] = [];
  for (const [s, i] of index) {
    const right = index.get(s + 1);
    if (right !== undefined && (s - 1) % perRow !== perRow - 1) pairs.push([i, right]);
    const back = index.get(s + perRow);
    if (back !== undefined) pairs.push([i, back]);
  }
  return pairs;
}

export type PartCheck = PartCheckDto;

/** Blueprint check of one computer part against the approved bank, at the bank multiple. */
export async function checkPart(db: Db, part: PartRow, multiple: number): Promise<PartCheck> {
  const bp = parseBlueprint(part.blueprint);
  const size = bp.cells.reduce((n, c) => n + c.count, 0);
  const problems: string[] = [];
  if (!part.subjectId) problems.push(`Phần thi "${part.name}" chưa chọn môn thi (ngân hàng câu hỏi).`);
  if (bp.cells.length === 0) problems.push(`Phần thi "${part.name}" chưa có ma trận đề.`);
  if (part.questionCount !== null && size !== part.questionCount && bp.cells.length > 0) {
    problems.push(`Ma trận đề phần "${part.name}" có ${size} câu, quy định ${part.questionCount} câu.`);
  }
  if (!part.subjectId || bp.cells.length === 0) {
    return {
      partId: part.id,
      code: part.code,
      name: part.name,
      questionCount: size,
      poolSize: 0,
      multiple,
      shortfalls: [],
      problems,
    };
  }
  const { pool, topicName } = await loadPool(db, part.subjectId);
  const shortfalls = checkBlueprint(bp, pool, multiple, { topicName });
  return {
    partId: part.id,
    code: part.code,
    name: part.name,
    questionCount: size,
    poolSize: pool.length,
    multiple,
    shortfalls,
    problems,
  };
}

export type GeneratedPart = GeneratedPartDto;

/**
 * Generates (or regenerates) every paper of one computer part: frozen pool, deterministic seeds,
 * neighbour rule per room. Calls `progress(done)` as candidates are processed; yields to the event
 * loop between chunks so the server keeps answering.
 */
export async function generatePartPapers(
  db: Db,
  exam: { id: number; secret: string },
  part: PartRow,
  multiple: number,
  progress: (done: number) => void,
): Promise<GeneratedPart> {
  const repo = new PapersRepo(db);
  const check = await checkPart(db, part, multiple);
  if (check.problems.length || check.shortfalls.length) {
    throw new AppError(
      409,
      'BLUEPRINT_SHORTFALL',
      `Ngân hàng chưa đủ câu hỏi cho phần "${part.name}": ${[...check.problems, ...check.shortfalls.map((s) => s.message)].join('; ')}`,
      'The bank does not cover the blueprint',
      check,
    );
  }
  if (!part.subjectId) throw new Error('unreachable: part without subject');
  const frozen = await loadPool(db, part.subjectId);
  const gen = new PaperGenerator(parseBlueprint(part.blueprint), frozen.pool, (item) => {
    const l = frozen.layouts.get(item.versionId);
    if (!l) throw new Error(`no layout for version ${item.versionId}`);
    return l;
  });
  // candidates of the exam, with their seat in a sitting that holds this part
  const cands = await repo.candidateSeats(exam.id, part.id);
  const sitting = cands.filter((c) => !exemptFrom(part, c.exemptions));
  const papers = new Map<number, { paper: Paper; attempt: number }>();
  const make = (candidateId: number, attempt: number) =>
    gen.generate(paperSeed(exam.secret, candidateId, part.id, frozen.bankVersion, attempt));
  let done = 0;
  for (let i = 0; i < sitting.length; i += 500) {
    for (const c of sitting.slice(i, i + 500)) papers.set(c.id, { paper: make(c.id, 0), attempt: 0 });
    done = Math.min(sitting.length, i + 500);
    progress(done);
    await new Promise((r) => setImmediate(r));
  }
  // neighbour rule, room by room
  const byRoom = new Map<number, CandidateSeat[]>();
  for (const c of sitting) {
    if (c.roomId === null || c.seatNo === null) continue;
    const list = byRoom.get(c.roomId) ?? [];
    list.push(c);
    byRoom.set(c.roomId, list);
  }
  let regenerated = 0;
  let minOverlap: number | null = null;
  let maxOverlap: number | null = null;
  for (const list of byRoom.values()) {
    list.sort((a, b) => (a.seatNo ?? 0) - (b.seatNo ?? 0));
    const pairs = adjacentSeats(
      list.map((c) => c.seatNo ?? 0),
      list[0]?.perRow ?? 6,
    );
    const r = ensureNeighbourDiversity(
      list.map((c) => papers.get(c.id)?.paper ?? { items: [] }),
      pairs,
      (seat, attempt) => make(list[seat]?.id ?? 0, attempt),
    );
    list.forEach((c, idx) => {
      const p = r.papers[idx];
      if (p) papers.set(c.id, { paper: p, attempt: r.attempts[idx] ?? 0 });
    });
    regenerated += r.regenerated;
    if (r.minOverlap !== null) minOverlap = minOverlap === null ? r.minOverlap : Math.min(minOverlap, r.minOverlap);
    if (r.maxOverlap !== null) maxOverlap = maxOverlap === null ? r.maxOverlap : Math.max(maxOverlap, r.maxOverlap);
  }
  // one transaction (all papers or none), started when no answer waits for the write lock
  const rows = [...papers].map(([candidateId, { paper, attempt }]) => {
    const items = encodePaper(paper);
    return { candidateId, attempt, algorithmVersion: PAPER_ALGORITHM_VERSION, items, digest: sha256(items) };
  });
  await answerPathIdle();
  await transaction(db, () =>
    repo.replacePapers(
      part.id,
      { bankVersion: frozen.bankVersion, versionIds: frozen.pool.map((p) => Number(p.versionId)) },
      rows,
    ),
  );
  return { partId: part.id, papers: papers.size, regenerated, minOverlap, maxOverlap };
}

/** Regenerates a stored paper from its frozen inputs and compares it with what was stored. */
export async function verifyPaper(
  db: Db,
  exam: { id: number; secret: string },
  part: PartRow,
  candidateId: number,
): Promise<{ match: boolean; storedDigest: string; regeneratedDigest: string; attempt: number; bankVersion: string }> {
  const stored = await new PapersRepo(db).storedPaper(part.id, candidateId);
  if (!stored || !part.frozenPool || !part.subjectId) {
    throw new AppError(404, 'PAPER_NOT_FOUND', 'Thí sinh chưa có đề cho phần thi này', 'No paper for this candidate and part');
  }
  const { paper, bankVersion } = await regeneratePaper(db, exam, part, candidateId, stored);
  const regeneratedDigest = paperDigest(paper);
  const storedDigest = sha256(stored.items);
  return {
    match: regeneratedDigest === stored.digest && storedDigest === stored.digest && bankVersion === stored.bankVersion,
    storedDigest,
    regeneratedDigest,
    attempt: stored.attempt,
    bankVersion: stored.bankVersion,
  };
}

/**
 * The auditor's paper: regenerated from the part's frozen pool and the seed of the stored paper's
 * bank version and attempt (not read from the stored items).
 */
export async function regeneratePaper(
  db: Db,
  exam: { secret: string },
  part: PartRow,
  candidateId: number,
  stored: { bankVersion: string; attempt: number },
): Promise<{ paper: Paper; bankVersion: string }> {
  if (!part.frozenPool || !part.subjectId)
    throw new AppError(404, 'PAPER_NOT_FOUND', 'Thí sinh chưa có đề cho phần thi này', 'No paper for this candidate and part');
  const repo = new PapersRepo(db);
  const frozen = await loadPool(db, part.subjectId, repo.frozenPool(part.frozenPool));
  const gen = new PaperGenerator(parseBlueprint(part.blueprint), frozen.pool, (item) => {
    const l = frozen.layouts.get(item.versionId);
    if (!l) throw new Error(`no layout for version ${item.versionId}`);
    return l;
  });
  return {
    paper: gen.generate(paperSeed(exam.secret, candidateId, part.id, stored.bankVersion, stored.attempt)),
    bankVersion: frozen.bankVersion,
  };
}
