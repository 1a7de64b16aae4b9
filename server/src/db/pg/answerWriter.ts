import pg from 'pg';
import type { AnswerRow } from '../answerWriter.js';
import { AnswerWriterClosedError } from '../answerWriter.js';

/**
 * The answer path's grouped commits on PostgreSQL (issue 17), with the SQLite writer's API
 * (`enqueue` resolves with `applied` only after the COMMIT holding the row; `flush`, `close`,
 * `pending`). Rows enqueued while a transaction is in flight form the next one; one transaction is
 * in flight at a time, on a connection of its own with `synchronous_commit = on`, so a COMMIT has
 * reached the disk (and, with a synchronous standby, the standby) before any row of it is acked.
 *
 * One transaction per batch: the stored seq of each (attempt, question) in the batch is read and
 * locked (`FOR UPDATE`), each row's `applied` is decided in arrival order (a row applies if its seq
 * is above everything stored or earlier in the batch, as the SQLite writer decides row by row), and
 * the highest row per question is upserted with `WHERE excluded.seq > answers.seq`, so the stored
 * answer is the highest seq whichever node wrote first.
 *
 * When PostgreSQL is unreachable or the transaction fails, the batch's rows are rejected (never
 * acked: the candidate's client keeps them queued and replays them) and the writer reconnects for
 * the next batch.
 */
export class PgAnswerWriter {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private waiting: { row: AnswerRow; resolve: (applied: boolean) => void; reject: (e: Error) => void }[] = [];
  private inflight = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private enqueued = 0;
  private finished = 0;
  private readonly flushes: { target: number; resolve: () => void }[] = [];
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  /** transactions that failed (their rows were rejected, not acked) */
  failures = 0;
  /** transactions committed */
  commits = 0;

  constructor(
    private readonly url: string,
    opts: { maxDelayMs?: number; maxBatch?: number } = {},
  ) {
    this.maxDelayMs = Math.max(0, opts.maxDelayMs ?? 2);
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 2000));
  }

  enqueue(row: AnswerRow): Promise<boolean> {
    if (this.closed) return Promise.reject(new AnswerWriterClosedError());
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.enqueued++;
      if (this.inflight > 0 || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.pump();
      }, this.maxDelayMs);
    });
  }

  flush(): Promise<void> {
    const target = this.enqueued;
    if (this.finished >= target) return Promise.resolve();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      void this.pump();
    }
    return new Promise((resolve) => this.flushes.push({ target, resolve }));
  }

  get pending(): number {
    return this.waiting.length + this.inflight;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private done(n: number): void {
    this.finished += n;
    for (let i = this.flushes.length - 1; i >= 0; i--) {
      const f = this.flushes[i];
      if (f && f.target <= this.finished) {
        this.flushes.splice(i, 1);
        f.resolve();
      }
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    if (!this.connecting) {
      const c = new pg.Client({ connectionString: this.url, options: '-c synchronous_commit=on' });
      // a broken connection is dropped; the next batch opens a new one
      c.on('error', () => {
        if (this.client === c) this.client = null;
      });
      this.connecting = c
        .connect()
        .then(() => {
          this.client = c;
          return c;
        })
        .finally(() => {
          this.connecting = null;
        });
    }
    return this.connecting;
  }

  private async pump(): Promise<void> {
    if (this.inflight > 0 || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.inflight = batch.length;
    try {
      const applied = await this.write(batch.map((w) => w.row));
      this.commits++;
      for (let i = 0; i < batch.length; i++) batch[i]?.resolve(applied[i] ?? false);
    } catch (err) {
      this.failures++;
      const e = err instanceof Error ? err : new Error(String(err));
      for (const w of batch) w.reject(e);
      const c = this.client;
      this.client = null;
      await c?.end().catch(() => {});
    } finally {
      this.inflight = 0;
      this.done(batch.length);
    }
    if (this.waiting.length > 0) void this.pump();
  }

  private async write(rows: AnswerRow[]): Promise<boolean[]> {
    const c = await this.connection();
    const keyOf = (r: AnswerRow) => `${r.attemptId}:${r.questionNo}`;
    const keys = new Map<string, { attemptId: number; questionNo: number }>();
    for (const r of rows) keys.set(keyOf(r), { attemptId: r.attemptId, questionNo: r.questionNo });
    const attemptIds = [...keys.values()].map((k) => k.attemptId);
    const questionNos = [...keys.values()].map((k) => k.questionNo);
    await c.query('BEGIN');
    try {
      const stored = await c.query(
        `SELECT a.attempt_id, a.question_no, a.seq FROM answers a
           JOIN unnest($1::int[], $2::int[]) AS k(attempt_id, question_no)
             ON a.attempt_id = k.attempt_id AND a.question_no = k.question_no
          ORDER BY a.attempt_id, a.question_no
          FOR UPDATE OF a`,
        [attemptIds, questionNos],
      );
      const top = new Map<string, number>();
      for (const row of stored.rows) {
        const r: unknown = row;
        if (typeof r !== 'object' || r === null) continue;
        const attemptId = 'attempt_id' in r ? Number(r.attempt_id) : Number.NaN;
        const questionNo = 'question_no' in r ? Number(r.question_no) : Number.NaN;
        const seq = 'seq' in r ? Number(r.seq) : Number.NaN;
        if (Number.isFinite(attemptId) && Number.isFinite(questionNo) && Number.isFinite(seq)) {
          top.set(`${attemptId}:${questionNo}`, seq);
        }
      }
      const applied: boolean[] = [];
      const winner = new Map<string, AnswerRow>();
      for (const r of rows) {
        const k = keyOf(r);
        const best = top.get(k);
        const ok = best === undefined || r.seq > best;
        applied.push(ok);
        if (ok) {
          top.set(k, r.seq);
          winner.set(k, r);
        }
      }
      const w = [...winner.values()];
      if (w.length > 0) {
        await c.query(
          `INSERT INTO answers (attempt_id, question_no, choice, seq, saved_at)
           SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::bigint[], $5::bigint[])
           ON CONFLICT (attempt_id, question_no) DO UPDATE
             SET choice = excluded.choice, seq = excluded.seq, saved_at = excluded.saved_at
             WHERE excluded.seq > answers.seq`,
          [
            w.map((r) => r.attemptId),
            w.map((r) => r.questionNo),
            w.map((r) => r.choice),
            w.map((r) => r.seq),
            w.map((r) => r.savedAt),
          ],
        );
      }
      await c.query('COMMIT');
      return applied;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }
}
