import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerRow } from '../src/db/answerWriter.js';
import { PgAnswerWriter } from '../src/db/pg/answerWriter.js';
import { findPgBin, type PgCluster, startPgCluster } from '../src/db/pg/cluster.js';
import { openPgDatabase } from '../src/db/pg/connection.js';

/**
 * The answer path's grouped commits on a real PostgreSQL (issue 17): acked only after COMMIT,
 * `applied` decided as on SQLite, far fewer transactions than answers, and a PostgreSQL outage in
 * the middle: nothing is acked while it is down, everything replayed after it comes back is stored,
 * and no acked answer is lost. Skipped only where no PostgreSQL binaries exist.
 */
const bin = findPgBin();
const ATTEMPTS = 50;

describe.skipIf(!bin)('PgAnswerWriter', () => {
  let cluster: PgCluster;
  let url: string;
  let check: pg.Pool;

  beforeAll(async () => {
    cluster = await startPgCluster(bin ? { bin } : {});
    url = await cluster.createDatabase('answers');
    const db = await openPgDatabase(url, 2);
    await db.$client.end();
    // attempts to answer in, without building whole exams: their parents' foreign keys are not
    // checked in this setup session only (replica role); the writer's own session checks answers'
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query('SET session_replication_role = replica');
    for (let id = 1; id <= ATTEMPTS; id++) {
      await setup.query(
        `INSERT INTO attempts (id, candidate_id, part_id, sitting_id, paper_id, status, started_at) VALUES ($1, $1, 1, 1, $1, 'in_progress', 0)`,
        [id],
      );
    }
    await setup.end();
    check = new pg.Pool({ connectionString: url, max: 2 });
    check.on('error', () => {});
  }, 120_000);

  afterAll(async () => {
    await check?.end();
    await cluster?.stop();
  });

  const stored = async (attemptId: number, questionNo: number) => {
    const r = await check.query('SELECT choice, seq FROM answers WHERE attempt_id = $1 AND question_no = $2', [
      attemptId,
      questionNo,
    ]);
    const row: unknown = r.rows[0];
    if (typeof row !== 'object' || row === null || !('choice' in row) || !('seq' in row)) return null;
    return { choice: String(row.choice), seq: Number(row.seq) };
  };
  const row = (attemptId: number, questionNo: number, seq: number, choice = `["${seq}"]`): AnswerRow => ({
    attemptId,
    questionNo,
    choice,
    seq,
    savedAt: 1_000 + seq,
  });

  it('acks after commit, with applied decided in arrival order as on SQLite', async () => {
    const w = new PgAnswerWriter(url);
    // one batch: seq 7 then 5 for the same question (5 is stale), then 9
    const acks = await Promise.all([
      w.enqueue(row(1, 1, 7)),
      w.enqueue(row(1, 1, 5)),
      w.enqueue(row(1, 1, 9)),
      w.enqueue(row(1, 2, 1)),
    ]);
    expect(acks).toEqual([true, false, true, true]);
    expect(await stored(1, 1)).toEqual({ choice: '["9"]', seq: 9 });
    // a later batch below what is stored is not applied and changes nothing
    expect(await w.enqueue(row(1, 1, 8))).toBe(false);
    expect(await stored(1, 1)).toEqual({ choice: '["9"]', seq: 9 });
    await w.close();
    await expect(w.enqueue(row(1, 3, 1))).rejects.toThrow(/closed/);
  });

  it('groups answers into far fewer transactions than answers', async () => {
    const w = new PgAnswerWriter(url);
    const n = 2_000;
    const all: Promise<boolean>[] = [];
    for (let i = 0; i < n; i++) all.push(w.enqueue(row(1 + (i % ATTEMPTS), 10 + Math.floor(i / ATTEMPTS), 1)));
    expect((await Promise.all(all)).every(Boolean)).toBe(true);
    expect(w.commits).toBeLessThan(n / 10);
    const count = await check.query('SELECT count(*)::int AS n FROM answers WHERE question_no >= 10');
    expect(count.rows[0]).toEqual({ n });
    await w.close();
  });

  it('a PostgreSQL outage: nothing is acked while it is down, everything replayed afterwards is stored', async () => {
    const w = new PgAnswerWriter(url);
    const acked = new Map<string, number>();
    const key = (r: AnswerRow) => `${r.attemptId}:${r.questionNo}`;
    // a client that keeps its queue and replays what was not acked (as the candidate's browser does)
    let queue: AnswerRow[] = [];
    let seq = 0;
    const sent = new Set<string>();
    const latest = new Map<string, number>();
    const answer = () => {
      seq++;
      const r = row(1 + (seq % ATTEMPTS), 100 + (seq % 7), seq);
      sent.add(key(r));
      latest.set(key(r), seq);
      queue.push(r);
    };
    const sendAll = async () => {
      const batch = queue;
      queue = [];
      const results = await Promise.allSettled(batch.map((r) => w.enqueue(r)));
      results.forEach((res, i) => {
        const r = batch[i];
        if (!r) return;
        if (res.status === 'fulfilled') acked.set(key(r), Math.max(acked.get(key(r)) ?? 0, r.seq));
        else queue.push(r);
      });
      return results.filter((x) => x.status === 'rejected').length;
    };
    for (let i = 0; i < 200; i++) answer();
    expect(await sendAll()).toBe(0);

    await cluster.down();
    for (let i = 0; i < 200; i++) answer();
    const refused = await sendAll();
    // every answer sent while PostgreSQL was down was refused, none acked
    expect(refused).toBe(200);
    expect(w.failures).toBeGreaterThan(0);

    await cluster.up();
    for (let i = 0; i < 100; i++) answer();
    // replay until the queue is empty (the first try after the restart may meet a dying connection)
    for (let tries = 0; queue.length > 0 && tries < 20; tries++) {
      await sendAll();
      if (queue.length > 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(queue).toEqual([]);
    // every acked answer is stored, with at least the seq that was acked
    for (const [k, s] of acked) {
      const [a, q] = k.split(':').map(Number);
      const got = await stored(a ?? 0, q ?? 0);
      expect(got?.seq ?? 0).toBeGreaterThanOrEqual(s);
    }
    // and every question answered was acked in the end (the latest seq of each is stored)
    expect([...acked.keys()].sort()).toEqual([...sent].sort());
    for (const [k, s] of latest) {
      const [a, q] = k.split(':').map(Number);
      expect((await stored(a ?? 0, q ?? 0))?.seq).toBe(s);
    }
    await w.close();
  }, 120_000);
});
