import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { registerAnswerPath } from './writeGate.js';

/** One answer as the writer stores it: the latest per question, `seq` only grows. */
export interface AnswerRow {
  attemptId: number;
  questionNo: number;
  choice: string;
  seq: number;
  savedAt: number;
}

/**
 * The writer's side, run in a worker thread with its own connection to the same database file (WAL,
 * `synchronous=FULL`). It receives batches, writes each in ONE transaction and reports, per row,
 * whether the row changed (false: a newer answer was already stored). Only then are the answers
 * acked. Kept as source text so the same code runs from the build and under the test runner.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const upsert = db.prepare(
  'INSERT INTO answers (attempt_id, question_no, choice, seq, saved_at) VALUES (@attemptId, @questionNo, @choice, @seq, @savedAt) ' +
  'ON CONFLICT (attempt_id, question_no) DO UPDATE SET choice = excluded.choice, seq = excluded.seq, saved_at = excluded.saved_at ' +
  'WHERE excluded.seq > answers.seq'
);
const write = db.transaction((rows) => rows.map((r) => upsert.run(r).changes > 0));
parentPort.on('message', (m) => {
  // closing the port lets the thread end at once (an open port keeps it alive until terminated)
  if (m.close) { db.close(); parentPort.postMessage({ closed: true }); parentPort.close(); return; }
  try {
    parentPort.postMessage({ id: m.id, applied: write(m.rows) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});
`;

interface Waiting {
  row: AnswerRow;
  resolve: (applied: boolean) => void;
  reject: (e: Error) => void;
}

export class AnswerWriterClosedError extends Error {
  constructor() {
    super('AnswerWriter is closed');
  }
}

/**
 * Grouped commits of answers off the event loop: rows enqueued while a transaction is being written
 * form the next one, so the loop never waits for a COMMIT (fsync) and answers are acked in batches
 * as soon as theirs is durable. One transaction is in flight at a time.
 */
export class AnswerWriter {
  private worker!: Worker;
  private readonly file: string;
  /** worker restarts after a crash */
  restarts = 0;
  private waiting: Waiting[] = [];
  private inflight: { id: number; batch: Waiting[] } | null = null;
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private dead: Error | null = null;
  /** rows ever enqueued, and rows whose transaction has finished (committed or not) */
  private enqueued = 0;
  private finished = 0;
  private readonly flushes: { target: number; resolve: () => void }[] = [];
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;

  constructor(file: string, opts: { maxDelayMs?: number; maxBatch?: number } = {}) {
    this.maxDelayMs = Math.max(0, opts.maxDelayMs ?? 2);
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 2000));
    this.file = file;
    this.spawn();
    this.unregister = registerAnswerPath(() => this.inflight !== null || this.waiting.length > 0 || this.timer !== null);
  }
  private readonly unregister: () => void;

  private spawn(): void {
    const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, sqlitePath } });
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { id?: number; applied?: boolean[]; error?: string; closed?: boolean }) => {
      if (m.closed || m.id === undefined || this.inflight?.id !== m.id) return;
      const { batch } = this.inflight;
      this.inflight = null;
      if (m.error !== undefined) for (const w of batch) w.reject(new Error(m.error));
      else for (let i = 0; i < batch.length; i++) batch[i]?.resolve(m.applied?.[i] ?? false);
      this.done(batch.length);
      this.pump();
    });
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      // what was in flight may or may not have committed: it is not acked (the client replays it)
      const lost = this.inflight?.batch ?? [];
      this.inflight = null;
      for (const w of lost) w.reject(e);
      this.done(lost.length);
      if (this.closed) {
        this.dead = e;
        for (const w of this.waiting.splice(0)) w.reject(e);
        this.done(this.enqueued - this.finished);
        return;
      }
      this.restarts++;
      this.spawn();
      this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`answer writer stopped (${code})`)));
  }

  /** Resolves with `applied` once the transaction holding the row has committed; rejects otherwise. */
  enqueue(row: AnswerRow): Promise<boolean> {
    if (this.closed) return Promise.reject(new AnswerWriterClosedError());
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.enqueued++;
      if (this.inflight || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, this.maxDelayMs);
    });
  }

  /** Resolves when everything enqueued before the call has been written (or failed); later rows don't hold it up. */
  flush(): Promise<void> {
    const target = this.enqueued;
    if (this.finished >= target) return Promise.resolve();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.pump();
    }
    return new Promise((resolve) => this.flushes.push({ target, resolve }));
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

  /** Writes what is waiting, then stops the worker; later enqueues reject. */
  async close(): Promise<void> {
    this.closed = true;
    this.unregister();
    await this.flush();
    if (this.dead) return;
    await new Promise<void>((resolve) => {
      // the worker is unref'd while it serves; a closing process waits for it to close its connection
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ close: true });
      setTimeout(() => void this.worker.terminate(), 5000).unref();
    });
  }

  /** Stops the worker at once, as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }

  get pending(): number {
    return this.waiting.length + (this.inflight?.batch.length ?? 0);
  }

  private pump(): void {
    if (this.inflight || this.waiting.length === 0 || this.dead) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    const id = this.nextId++;
    this.inflight = { id, batch };
    this.worker.postMessage({ id, rows: batch.map((w) => w.row) });
  }
}
