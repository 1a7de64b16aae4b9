import { createHash, createHmac } from 'node:crypto';
import {
  type Blueprint,
  checkBlueprint,
  type Difficulty,
  type EntityId,
  ensureNeighbourDiversity,
  type GeneratedPartDto,
  type OptionLayout,
  PAPER_ALGORITHM_VERSION,
  type Paper,
  PaperGenerator,
  type PartCheckDto,
  type PoolItem,
  type QuestionTypeId,
  type SeatPair,
} from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { answerPathIdle } from '../../db/writeGate.js';
import { AppError } from '../../plugins/errors.js';

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
export function loadPool(db: Db, subjectId: number, versionIds?: number[]): FrozenPool {
  const sqlite = db.$client;
  const topics = sqlite.prepare('SELECT id, parent_id AS parentId, name FROM topics WHERE subject_id = ?').all(subjectId) as {
    id: number;
    parentId: number | null;
    name: string;
  }[];
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
  const rows = (
    versionIds
      ? sqlite
          .prepare(
            `SELECT v.id, v.question_id AS questionId, v.topic_id AS topicId, v.difficulty, v.type, v.options
               FROM question_versions v WHERE v.id IN (SELECT value FROM json_each(?)) ORDER BY v.id`,
          )
          .all(JSON.stringify(versionIds))
      : sqlite
          .prepare(
            `SELECT v.id, v.question_id AS questionId, v.topic_id AS topicId, v.difficulty, v.type, v.options
               FROM question_versions v JOIN questions q ON q.id = v.question_id
              WHERE q.subject_id = ? AND v.status = 'approved' AND q.head_version_id IS NOT NULL ORDER BY v.id`,
          )
          .all(subjectId)
  ) as { id: number; questionId: number; topicId: number; difficulty: Difficulty; type: QuestionTypeId; options: string }[];
  const pool: PoolItem[] = [];
  const layouts = new Map<EntityId, OptionLayout>();
  for (const r of rows) {
    pool.push({ versionId: r.id, questionId: r.questionId, topicPath: pathOf(r.topicId), difficulty: r.difficulty });
    const opts = JSON.parse(r.options) as { id: string; pinned?: boolean }[];
    layouts.set(r.id, { type: r.type, options: opts.map((o) => (o.pinned ? { id: o.id, pinned: true } : { id: o.id })) });
  }
  const bankVersion = createHash('sha256')
    .update(rows.map((r) => r.id).join(','))
    .digest('hex');
  return { pool, layouts, bankVersion, topicName: (id) => byId.get(Number(id))?.name };
}

export function parseBlueprint(json: string): Blueprint {
  return JSON.parse(json) as Blueprint;
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
  const rows = JSON.parse(text) as [EntityId, EntityId, string][];
  return { items: rows.map(([versionId, questionId, order]) => ({ versionId, questionId, optionOrder: [...order] })) };
}

export function paperDigest(paper: Paper): string {
  return sha256(encodePaper(paper));
}

export function exemptFrom(part: Pick<PartRow, 'exemptibleBy'>, exemptions: string[]): boolean {
  const by = JSON.parse(part.exemptibleBy) as string[];
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
export function checkPart(db: Db, part: PartRow, multiple: number): PartCheck {
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
  const { pool, topicName } = loadPool(db, part.subjectId);
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

interface CandidateSeat {
  id: number;
  exemptions: string;
  roomId: number | null;
  seatNo: number | null;
  perRow: number | null;
}

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
  const sqlite = db.$client;
  const check = checkPart(db, part, multiple);
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
  const frozen = loadPool(db, part.subjectId);
  const gen = new PaperGenerator(parseBlueprint(part.blueprint), frozen.pool, (item) => {
    const l = frozen.layouts.get(item.versionId);
    if (!l) throw new Error(`no layout for version ${item.versionId}`);
    return l;
  });
  // candidates of the exam, with their seat in a sitting that holds this part
  const cands = sqlite
    .prepare(
      `SELECT c.id, c.exemptions, sa.room_id AS roomId, sa.seat_no AS seatNo, r.seats_per_row AS perRow
         FROM candidates c
         LEFT JOIN (SELECT sa.* FROM seat_assignments sa JOIN sittings s ON s.id = sa.sitting_id
                     WHERE EXISTS (SELECT 1 FROM json_each(s.part_ids) WHERE value = @partId)) sa ON sa.candidate_id = c.id
         LEFT JOIN rooms r ON r.id = sa.room_id
        WHERE c.exam_id = @examId ORDER BY c.id`,
    )
    .all({ partId: part.id, examId: exam.id }) as CandidateSeat[];
  const sitting = cands.filter((c) => !exemptFrom(part, JSON.parse(c.exemptions) as string[]));
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
  await answerPathIdle();
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM papers WHERE part_id = ?').run(part.id);
    sqlite
      .prepare('UPDATE exam_parts SET bank_version = ?, frozen_pool = ? WHERE id = ?')
      .run(frozen.bankVersion, JSON.stringify(frozen.pool.map((p) => p.versionId)), part.id);
    const ins = sqlite.prepare(
      'INSERT INTO papers (part_id, candidate_id, attempt, algorithm_version, bank_version, items, digest) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const [candidateId, { paper, attempt }] of papers) {
      const json = encodePaper(paper);
      ins.run(part.id, candidateId, attempt, PAPER_ALGORITHM_VERSION, frozen.bankVersion, json, sha256(json));
    }
  })();
  return { partId: part.id, papers: papers.size, regenerated, minOverlap, maxOverlap };
}

/** Regenerates a stored paper from its frozen inputs and compares it with what was stored. */
export function verifyPaper(
  db: Db,
  exam: { id: number; secret: string },
  part: PartRow,
  candidateId: number,
): { match: boolean; storedDigest: string; regeneratedDigest: string; attempt: number; bankVersion: string } {
  const stored = db.$client
    .prepare('SELECT attempt, bank_version AS bankVersion, items, digest FROM papers WHERE part_id = ? AND candidate_id = ?')
    .get(part.id, candidateId) as { attempt: number; bankVersion: string; items: string; digest: string } | undefined;
  if (!stored || !part.frozenPool || !part.subjectId) {
    throw new AppError(404, 'PAPER_NOT_FOUND', 'Thí sinh chưa có đề cho phần thi này', 'No paper for this candidate and part');
  }
  const { paper, bankVersion } = regeneratePaper(db, exam, part, candidateId, stored);
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
export function regeneratePaper(
  db: Db,
  exam: { secret: string },
  part: PartRow,
  candidateId: number,
  stored: { bankVersion: string; attempt: number },
): { paper: Paper; bankVersion: string } {
  if (!part.frozenPool || !part.subjectId)
    throw new AppError(404, 'PAPER_NOT_FOUND', 'Thí sinh chưa có đề cho phần thi này', 'No paper for this candidate and part');
  const frozen = loadPool(db, part.subjectId, JSON.parse(part.frozenPool) as number[]);
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
