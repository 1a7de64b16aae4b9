import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAnswerWriter } from '../src/db/pg/answerWriter.js';
import { findPgBin, type PgCluster, type PgStandby, startPgCluster } from '../src/db/pg/cluster.js';
import { openPgDatabase } from '../src/db/pg/connection.js';

/**
 * High availability as the README configures it (issue 17): a streaming-replication standby named
 * in `synchronous_standby_names`, so a COMMIT (and therefore an answer's ack) waits until the
 * standby has the WAL. The primary then crashes (`pg_ctl stop -m immediate`), the standby is
 * promoted, and every acked answer is on it. Skipped only where no PostgreSQL binaries exist.
 */
const bin = findPgBin();

async function one(url: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(sql, params);
    return r.rows[0];
  } finally {
    await c.end();
  }
}

describe.skipIf(!bin)('PostgreSQL with a synchronous standby: acked answers survive the primary', () => {
  let primary: PgCluster;
  let standby: PgStandby | null = null;
  let url: string;

  beforeAll(async () => {
    primary = await startPgCluster(bin ? { bin } : {});
    url = await primary.createDatabase('exam');
    const db = await openPgDatabase(url, 2);
    await db.$client.end();
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    // attempts to answer in, without whole exams (their parents' keys are not checked in this session)
    await setup.query('SET session_replication_role = replica');
    for (let id = 1; id <= 20; id++) {
      await setup.query(
        `INSERT INTO attempts (id, candidate_id, part_id, sitting_id, paper_id, status, started_at) VALUES ($1, $1, 1, 1, $1, 'in_progress', 0)`,
        [id],
      );
    }
    await setup.end();
    standby = await primary.standby('standby1');
    await one(primary.url, "ALTER SYSTEM SET synchronous_standby_names = 'standby1'");
    await one(primary.url, 'SELECT pg_reload_conf()');
    const end = Date.now() + 60_000;
    for (;;) {
      const r = await one(primary.url, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'");
      if (typeof r === 'object' && r !== null && 'sync_state' in r && r.sync_state === 'sync') break;
      if (Date.now() > end) throw new Error('the standby never became synchronous');
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 180_000);

  afterAll(async () => {
    await standby?.stop();
    await primary?.stop();
  });

  it('after a crash of the primary and promotion of the standby, every acked answer is there', async () => {
    const writer = new PgAnswerWriter(url);
    const acked: { attemptId: number; questionNo: number; seq: number }[] = [];
    const sends = [];
    for (let i = 1; i <= 600; i++) {
      const r = { attemptId: 1 + (i % 20), questionNo: 1 + (i % 30), choice: `["${i}"]`, seq: i, savedAt: i };
      sends.push(writer.enqueue(r).then(() => acked.push(r)));
    }
    await Promise.all(sends);
    expect(acked.length).toBe(600);
    await primary.down();
    await writer.close().catch(() => {});
    if (!standby) throw new Error('no standby');
    await standby.promote();
    const standbyExam = standby.url.replace(/\/postgres$/, '/exam');
    const c = new pg.Client({ connectionString: standbyExam });
    await c.connect();
    try {
      const rows = await c.query('SELECT attempt_id, question_no, seq FROM answers');
      const stored = new Map<string, number>();
      for (const row of rows.rows) {
        const r: unknown = row;
        if (typeof r === 'object' && r !== null && 'attempt_id' in r && 'question_no' in r && 'seq' in r) {
          stored.set(`${String(r.attempt_id)}:${String(r.question_no)}`, Number(r.seq));
        }
      }
      for (const a of acked) expect(stored.get(`${a.attemptId}:${a.questionNo}`) ?? 0).toBeGreaterThanOrEqual(a.seq);
      // the promoted standby takes writes: it is the new primary
      await c.query(`INSERT INTO answers (attempt_id, question_no, choice, seq, saved_at) VALUES (1, 99, '[]', 1, 1)`);
    } finally {
      await c.end();
    }
  }, 180_000);
});
