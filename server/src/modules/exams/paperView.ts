// The candidate's view of a paper, rendered once (issue 15): questions, options in the candidate's
// order and the image references inside them, never the key. It is stored as bytes in
// paper_views when the exam is frozen at "ready"; every request and socket event serves these
// bytes and none renders them again. Only a replaced question renders again, and only the papers
// holding it.
import { createHash } from 'node:crypto';
import type { CandidateQuestionDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/tx.js';
import { decodePaper } from '../papers/papers.js';
import { PaperViewsRepo } from '../papers/repo.js';

interface VersionRow {
  type: CandidateQuestionDto['type'];
  stem: string;
  options: { id: string; text: string }[];
}

function isQuestionType(t: string): t is CandidateQuestionDto['type'] {
  return t === 'single' || t === 'multiple' || t === 'true_false';
}

/** Reads question versions (id → what a candidate sees of it), parsed once per call. */
function versionReader(repo: PaperViewsRepo): (versionId: number) => VersionRow {
  const cache = new Map<number, VersionRow>();
  return (versionId) => {
    const hit = cache.get(versionId);
    if (hit) return hit;
    const row = repo.version(versionId);
    if (!row || !isQuestionType(row.type)) throw new Error(`question version ${versionId} is missing or of an unknown type`);
    const v = { type: row.type, stem: row.stem, options: repo.optionsOf(row.options) };
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
  const repo = new PaperViewsRepo(db);
  const version = versionReader(repo);
  const wanted = opts.versionIds ? new Set(opts.versionIds) : null;
  const renderedAt = Date.now();
  const rows = [];
  for (const p of repo.papersOf(examId)) {
    if (wanted) {
      if (!decodePaper(p.items).items.some((i) => wanted.has(Number(i.versionId)))) continue;
    } else if (p.version !== null) continue;
    const view = renderView(p.items, version);
    rows.push({
      paperId: p.id,
      candidateId: p.candidateId,
      partId: p.partId,
      version: (p.version ?? 0) + 1,
      view,
      digest: viewDigest(view),
      renderedAt,
    });
  }
  repo.upsertViews(rows, inTransaction(db));
  return rows.length;
}

/** Views missing for exams past set-up (a database from before issue 15): rendered at start. */
export function renderMissingViews(db: Db): number {
  let n = 0;
  for (const id of new PaperViewsRepo(db).examsMissingViews()) n += renderExamViews(db, id);
  return n;
}

/** The stored view of one paper, regenerated for the auditor's check: what the candidate must decrypt. */
export function renderPaperItems(db: Db, items: string): Buffer {
  return renderView(items, versionReader(new PaperViewsRepo(db)));
}
