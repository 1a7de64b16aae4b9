import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnswerRow, AnswerWriter } from '../src/db/answerWriter.js';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * The answer writer (a worker thread with its own connection) acks an answer only once the
 * transaction holding it has committed. Killing the worker mid-stream must never have acked an
 * answer that is not in the database; the writer comes back for the next answers.
 */
let t: TestApp;
let attemptIds: number[];
const writers: AnswerWriter[] = [];

beforeEach(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  const ctx = await readyExam(t, s, { candidates: 4, durationMin: 30 });
  attemptIds = [];
  for (const p of ctx.pins) attemptIds.push((await t.delivery.start(p.candidateId, ctx.partId)).attemptId);
});
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close().catch(() => {});
  await t.close();
});

const row = (i: number, seq = i + 1): AnswerRow => ({
  attemptId: attemptIds[i % attemptIds.length] ?? 0,
  // two questions per paper: the same cells are overwritten with growing seq
  questionNo: 1 + (Math.floor(i / attemptIds.length) % 2),
  choice: JSON.stringify([`o${i}`]),
  seq,
  savedAt: Date.now(),
});

/** What the database holds, read through a connection of its own. */
function stored(): Map<string, number> {
  const db = new Database(t.config.dbFile, { readonly: true });
  try {
    return new Map(
      (
        db.prepare('SELECT attempt_id AS a, question_no AS q, seq FROM answers').all() as { a: number; q: number; seq: number }[]
      ).map((r) => [`${r.a}:${r.q}`, r.seq]),
    );
  } finally {
    db.close();
  }
}

describe('answer writer', () => {
  it('acks after commit, reports older replays as not applied, and flushes under load', async () => {
    const w = new AnswerWriter(t.config.dbFile);
    writers.push(w);
    const acks = await Promise.all(Array.from({ length: 400 }, (_, i) => w.enqueue(row(i))));
    expect(acks.every((a) => a === true)).toBe(true);
    const db = stored();
    for (let i = 392; i < 400; i++) expect(db.get(`${row(i).attemptId}:${row(i).questionNo}`)).toBe(i + 1);
    // an older seq for a stored cell changes nothing and says so
    expect(await w.enqueue(row(399, 5))).toBe(false);
    // flush() waits only for what was enqueued before it
    const later = Array.from({ length: 200 }, (_, i) => w.enqueue(row(400 + i)));
    await w.flush();
    await Promise.all(later);
  });

  it('a killed writer never acked what is not in the database, and comes back', async () => {
    const w = new AnswerWriter(t.config.dbFile, { maxBatch: 50 });
    writers.push(w);
    const acked: AnswerRow[] = [];
    let refused = 0;
    const all: Promise<void>[] = [];
    let killed = false;
    for (let i = 0; i < 3000; i++) {
      const r = row(i);
      all.push(
        w.enqueue(r).then(
          () => {
            acked.push(r);
            if (!killed && acked.length >= 200) {
              killed = true;
              void w.kill();
            }
          },
          () => {
            refused++;
          },
        ),
      );
    }
    await Promise.all(all);
    expect(killed).toBe(true);
    expect(refused).toBeGreaterThan(0);
    const db = stored();
    // every acked answer is there (or a newer one for the same cell)
    for (const r of acked) expect(db.get(`${r.attemptId}:${r.questionNo}`) ?? 0).toBeGreaterThanOrEqual(r.seq);
    expect(w.restarts).toBeGreaterThanOrEqual(1);
    expect(await w.enqueue(row(5000, 100_000))).toBe(true);
  });
});
