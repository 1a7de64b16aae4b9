// The candidate's view of a paper, rendered once (issue 15): questions, options in the candidate's
// order and the image references inside them, never the key. It is stored as bytes in
// paper_views when the exam is frozen at "ready"; every request and socket event serves these
// bytes and none renders them again. Only a replaced question renders again, and only the papers
// holding it.
import { createHash } from 'node:crypto';
import type { CandidateQuestionDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { decodePaper } from './papers.js';

interface VersionRow {
  type: CandidateQuestionDto['type'];
  stem: string;
  options: { id: string; text: string }[];
}

function isQuestionType(t: string): t is CandidateQuestionDto['type'] {
  return t === 'single' || t === 'multiple' || t === 'true_false';
}

/** Reads question versions (id → what a candidate sees of it), parsed once per call. */
function versionReader(db: Db): (versionId: number) => VersionRow {
  const stmt = db.$client.prepare('SELECT type, stem, options FROM question_versions WHERE id = ?');
  const cache = new Map<number, VersionRow>();
  return (versionId) => {
    const hit = cache.get(versionId);
    if (hit) return hit;
    const row = stmt.get(versionId) as { type: string; stem: string; options: string } | undefined;
    if (!row || !isQuestionType(row.type)) throw new Error(`question version ${versionId} is missing or of an unknown type`);
    const parsed: unknown = JSON.parse(row.options);
    const options = Array.isArray(parsed)
      ? parsed.flatMap((o: unknown) =>
          o && typeof o === 'object' && 'id' in o && 'text' in o && typeof o.id === 'string' && typeof o.text === 'string'
            ? [{ id: o.id, text: o.text }]
            : [],
        )
      : [];
    const v = { type: row.type, stem: row.stem, options };
    cache.set(versionId, v);
    return v;
  };
}

/**
 * A paper's stored items → the questions as the candidate sees them. Deterministic: the same
 * paper and question versions give the same bytes (the auditor's regenerated paper renders to
 * exactly the stored view).
 */
export function renderView(items: string, version: (versionId: number) => VersionRow): Buffer {
  const questions: CandidateQuestionDto[] = decodePaper(items).items.map((item, i) => {
    const v = version(Number(item.versionId));
    const byId = new Map(v.options.map((o) => [o.id, o.text]));
    return {
      no: i + 1,
      type: v.type,
      stem: v.stem,
      options: item.optionOrder.map((id) => ({ id, text: byId.get(id) ?? '' })),
    };
  });
  return Buffer.from(JSON.stringify(questions), 'utf8');
}

export const viewDigest = (view: Buffer): string => createHash('sha256').update(view).digest('hex');

/**
 * Renders and stores the views of an exam's papers that have none yet, or, with `versionIds`, again
 * those holding one of these question versions (their `version` grows by one). Runs inside the
 * caller's transaction when there is one. Returns how many views were written.
 */
export function renderExamViews(db: Db, examId: number, opts: { versionIds?: number[] } = {}): number {
  const sqlite = db.$client;
  const version = versionReader(db);
  const papers = sqlite
    .prepare(
      `SELECT p.id, p.candidate_id AS candidateId, p.part_id AS partId, p.items, v.version
         FROM papers p JOIN exam_parts x ON x.id = p.part_id LEFT JOIN paper_views v ON v.paper_id = p.id
        WHERE x.exam_id = ?`,
    )
    .all(examId) as { id: number; candidateId: number; partId: number; items: string; version: number | null }[];
  const wanted = opts.versionIds ? new Set(opts.versionIds) : null;
  const upsert = sqlite.prepare(
    `INSERT INTO paper_views (paper_id, candidate_id, part_id, version, view, digest, rendered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (paper_id) DO UPDATE SET version = excluded.version, view = excluded.view, digest = excluded.digest,
       rendered_at = excluded.rendered_at`,
  );
  const now = Date.now();
  let n = 0;
  const write = () => {
    for (const p of papers) {
      if (wanted) {
        if (!decodePaper(p.items).items.some((i) => wanted.has(Number(i.versionId)))) continue;
      } else if (p.version !== null) continue;
      const view = renderView(p.items, version);
      upsert.run(p.id, p.candidateId, p.partId, (p.version ?? 0) + 1, view, viewDigest(view), now);
      n++;
    }
  };
  if (sqlite.inTransaction) write();
  else sqlite.transaction(write)();
  return n;
}

/** Views missing for exams past set-up (a database from before issue 15): rendered at start. */
export function renderMissingViews(db: Db): number {
  const exams = db.$client
    .prepare(
      `SELECT DISTINCT x.exam_id FROM papers p JOIN exam_parts x ON x.id = p.part_id JOIN exams e ON e.id = x.exam_id
        WHERE e.status IN ('ready', 'running') AND NOT EXISTS (SELECT 1 FROM paper_views v WHERE v.paper_id = p.id)`,
    )
    .pluck()
    .all() as number[];
  let n = 0;
  for (const id of exams) n += renderExamViews(db, id);
  return n;
}

/** The stored view of one paper, regenerated for the auditor's check: what the candidate must decrypt. */
export function renderPaperItems(db: Db, items: string): Buffer {
  return renderView(items, versionReader(db));
}
