import type Database from 'better-sqlite3';

/**
 * The single writer for answers (ARCHITECTURE.md, "The way one answer travels", step 3).
 *
 * Items enqueued within `maxDelayMs` of the first waiting one (or as soon as `maxBatch` are
 * waiting) are written by ONE `sqlite.transaction(...)` call; a backlog larger than `maxBatch` goes
 * out as several transactions, one per turn of the event loop. better-sqlite3 is synchronous, so
 * when that call returns the COMMIT has happened — with `synchronous=FULL` the WAL is fsynced — and
 * only then are the items' promises resolved: a resolved `enqueue()` means durable. If the
 * transaction throws (the write failed, or COMMIT did), it is rolled back and every item of that
 * batch rejects; later batches are unaffected.
 *
 * This file is also loaded by the crash test's child process after a plain type-stripping
 * transpile (test/commit-queue.test.ts), so it must import nothing at runtime.
 */

export interface CommitQueueOptions {
  /** How long the first waiting item waits for company before its batch is written. Default 2. */
  maxDelayMs?: number;
  /** Largest number of items in one transaction. Default 1000. */
  maxBatch?: number;
}

export interface CommitQueueStats {
  /** Transactions committed. */
  batches: number;
  /** Items committed. */
  items: number;
  /** Transactions rolled back (their items rejected). */
  failedBatches: number;
  /** Items rejected because their transaction failed. */
  failedItems: number;
  /** Duration of the last transaction, write and COMMIT included, in ms. */
  lastBatchMs: number;
  /** Items in the last transaction. */
  lastBatchSize: number;
  /** Largest transaction so far, in items. */
  largestBatch: number;
  /** Sum of all transaction durations, in ms. */
  totalBatchMs: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class CommitQueueClosedError extends Error {
  constructor() {
    super('CommitQueue is closed');
    this.name = 'CommitQueueClosedError';
  }
}

export class CommitQueue<T> {
  private readonly sqlite: Database.Database;
  private readonly transaction: (items: T[]) => void;
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  private waiting: Waiting<T>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private closed = false;
  /** Items ever enqueued, and items ever taken into a transaction (for flush()). */
  private enqueued = 0;
  private taken = 0;
  private readonly counters: CommitQueueStats = {
    batches: 0,
    items: 0,
    failedBatches: 0,
    failedItems: 0,
    lastBatchMs: 0,
    lastBatchSize: 0,
    largestBatch: 0,
    totalBatchMs: 0,
  };

  constructor(sqlite: Database.Database, write: (items: T[]) => void, opts: CommitQueueOptions = {}) {
    this.sqlite = sqlite;
    this.transaction = sqlite.transaction((items: T[]) => {
      write(items);
    });
    this.maxDelayMs = Math.max(0, opts.maxDelayMs ?? 2);
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 1000));
  }

  /** Resolves once the transaction holding `item` has committed; rejects if it rolled back. */
  enqueue(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new CommitQueueClosedError());
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.enqueued += 1;
      if (this.waiting.length >= this.maxBatch) {
        // A full batch goes out on the next turn of the event loop, without waiting for the timer.
        this.clearTimer();
        this.scheduleImmediate();
      } else if (this.timer === null && this.immediate === null) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.writeNext();
        }, this.maxDelayMs);
      }
    });
  }

  /**
   * Writes everything enqueued before the call. Resolves when those transactions have finished,
   * whether they committed or not: failures are reported through the items' own promises.
   */
  async flush(): Promise<void> {
    const target = this.enqueued;
    // Any timer or immediate already scheduled stays: it covers items enqueued meanwhile.
    while (this.taken < target) {
      this.writeBatch();
      if (this.taken < target) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Flushes what is waiting; from the call on, `enqueue()` rejects with CommitQueueClosedError. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Items waiting for their transaction. */
  get pending(): number {
    return this.waiting.length;
  }

  /** A snapshot of the counters (for the benchmark and health checks). */
  get stats(): CommitQueueStats {
    return { ...this.counters };
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private scheduleImmediate(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = null;
      this.writeNext();
    });
  }

  /**
   * Writes one batch, and leaves the rest for the next turn of the event loop: acks of a committed
   * batch go out (and sockets are served) before the next transaction starts.
   */
  private writeNext(): void {
    this.writeBatch();
    if (this.waiting.length > 0) this.scheduleImmediate();
  }

  /** Writes up to maxBatch waiting items in one transaction. */
  private writeBatch(): void {
    const batch = this.waiting.splice(0, this.maxBatch);
    this.taken += batch.length;
    if (batch.length > 0) this.commit(batch);
  }

  private commit(batch: Waiting<T>[]): void {
    const started = performance.now();
    try {
      // Inside someone else's transaction ours would only be a SAVEPOINT, and "committed" a lie.
      if (this.sqlite.inTransaction) throw new Error('CommitQueue: the connection is already inside a transaction');
      this.transaction(batch.map((w) => w.item));
    } catch (error) {
      this.record(started, batch.length, false);
      for (const w of batch) w.reject(error);
      return;
    }
    this.record(started, batch.length, true);
    for (const w of batch) w.resolve();
  }

  private record(started: number, size: number, ok: boolean): void {
    const ms = performance.now() - started;
    const c = this.counters;
    c.lastBatchMs = ms;
    c.lastBatchSize = size;
    c.totalBatchMs += ms;
    if (size > c.largestBatch) c.largestBatch = size;
    if (ok) {
      c.batches += 1;
      c.items += size;
    } else {
      c.failedBatches += 1;
      c.failedItems += size;
    }
  }
}
