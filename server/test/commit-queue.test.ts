import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitQueue, CommitQueueClosedError } from '../src/db/commitQueue.js';

/** Opens a connection the way src/db/connection.ts does. */
function open(file: string): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

interface Answer {
  id: number;
  choice: string;
}

describe('CommitQueue', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;
  let reader: Database.Database;
  let insert: Database.Statement<[number, string]>;
  let isVisible: (id: number) => boolean;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exam-commit-queue-'));
    file = join(dir, 'exam.db');
    writer = open(file);
    writer.exec("CREATE TABLE answers (id INTEGER PRIMARY KEY, choice TEXT NOT NULL CHECK (choice IN ('A','B','C','D')))");
    insert = writer.prepare('INSERT INTO answers (id, choice) VALUES (?, ?)');
    reader = open(file);
    const select = reader.prepare<[number], { id: number }>('SELECT id FROM answers WHERE id = ?');
    isVisible = (id) => select.get(id) !== undefined;
  });

  afterEach(() => {
    reader.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeAll = (items: Answer[]): void => {
    for (const a of items) insert.run(a.id, a.choice);
  };

  it('groups concurrent enqueues into few transactions and resolves only once a second connection sees the rows', async () => {
    const batchSizes: number[] = [];
    const queue = new CommitQueue<Answer>(writer, (items) => {
      expect(writer.inTransaction).toBe(true);
      batchSizes.push(items.length);
      writeAll(items);
    });

    const seenAtAck = new Map<number, boolean>();
    const ack = (id: number) => () => {
      seenAtAck.set(id, isVisible(id));
    };
    // 500 answers at once, then 200 more trickling in over ~20 ms.
    const burst = Array.from({ length: 500 }, (_, i) => queue.enqueue({ id: i + 1, choice: 'B' }).then(ack(i + 1)));
    expect(isVisible(1)).toBe(false); // nothing is written synchronously
    const trickle: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      for (let j = 0; j < 10; j++) {
        const id = 1000 + i * 10 + j;
        trickle.push(queue.enqueue({ id, choice: 'C' }).then(ack(id)));
      }
    }
    await Promise.all([...burst, ...trickle]);

    expect(seenAtAck.size).toBe(700);
    expect([...seenAtAck.values()].every(Boolean)).toBe(true);
    expect(reader.prepare('SELECT count(*) AS n FROM answers').get()).toEqual({ n: 700 });
    // behaviour, not scheduling: how the trickle groups depends on the machine's load, so only that
    // the burst was grouped (one large transaction holds it) and far fewer transactions than items
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(700);
    expect(Math.max(...batchSizes)).toBeGreaterThanOrEqual(500);
    expect(batchSizes.length).toBeLessThanOrEqual(70); // far fewer than 700 transactions
    const stats = queue.stats;
    expect(stats).toMatchObject({
      batches: batchSizes.length,
      items: 700,
      failedBatches: 0,
      largestBatch: Math.max(...batchSizes),
    });
    expect(stats.lastBatchMs).toBeGreaterThanOrEqual(0);
    await queue.close();
  });

  it('splits a backlog into maxBatch transactions and acks each before writing the next', async () => {
    const log: string[] = [];
    const queue = new CommitQueue<Answer>(
      writer,
      (items) => {
        log.push(`write ${items.length}`);
        writeAll(items);
      },
      { maxBatch: 100 },
    );
    const all = Array.from({ length: 250 }, (_, i) =>
      queue.enqueue({ id: i + 1, choice: 'A' }).then(() => {
        if (i % 100 === 0) log.push(`ack ${i + 1}`);
      }),
    );
    await Promise.all(all);
    expect(log).toEqual(['write 100', 'ack 1', 'write 100', 'ack 101', 'write 50', 'ack 201']);
    expect(queue.stats).toMatchObject({ batches: 3, items: 250, lastBatchSize: 50, largestBatch: 100 });
  });

  it('rejects every item of a failed transaction, writes none of its rows, and carries on', async () => {
    let calls = 0;
    const queue = new CommitQueue<Answer>(writer, (items) => {
      calls += 1;
      writeAll(items);
    });

    await Promise.all([1, 2, 3].map((id) => queue.enqueue({ id, choice: 'A' })));

    // One bad answer (CHECK constraint) spoils its whole batch.
    const bad = await Promise.allSettled([
      queue.enqueue({ id: 10, choice: 'B' }),
      queue.enqueue({ id: 11, choice: 'Z' }),
      queue.enqueue({ id: 12, choice: 'C' }),
    ]);
    expect(bad.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reason = bad[0]?.status === 'rejected' ? (bad[0].reason as Error) : null;
    expect(reason?.message).toMatch(/CHECK constraint failed/);
    expect([10, 11, 12].some(isVisible)).toBe(false);
    expect(writer.inTransaction).toBe(false);

    // A duplicate key does the same.
    const dup = await Promise.allSettled([queue.enqueue({ id: 20, choice: 'A' }), queue.enqueue({ id: 2, choice: 'D' })]);
    expect(dup.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(isVisible(20)).toBe(false);

    await Promise.all([30, 31].map((id) => queue.enqueue({ id, choice: 'D' })));
    expect(reader.prepare('SELECT id FROM answers ORDER BY id').pluck().all()).toEqual([1, 2, 3, 30, 31]);
    expect(calls).toBe(4);
    expect(queue.stats).toMatchObject({ batches: 2, items: 5, failedBatches: 2, failedItems: 5 });
  });

  it('flush() writes at once; close() flushes and then refuses new items', async () => {
    const queue = new CommitQueue<Answer>(writer, writeAll, { maxDelayMs: 60_000 });
    const first = queue.enqueue({ id: 1, choice: 'A' });
    expect(queue.pending).toBe(1);
    await queue.flush();
    await first;
    expect(isVisible(1)).toBe(true);

    const second = queue.enqueue({ id: 2, choice: 'B' });
    const closing = queue.close();
    await expect(queue.enqueue({ id: 3, choice: 'C' })).rejects.toBeInstanceOf(CommitQueueClosedError);
    await closing;
    await second;
    expect(isVisible(2)).toBe(true);
    expect(isVisible(3)).toBe(false);
    expect(queue.isClosed).toBe(true);
    await queue.close(); // idempotent
  });

  it('items enqueued while a flush is running are still written', async () => {
    const queue = new CommitQueue<Answer>(writer, writeAll, { maxBatch: 100, maxDelayMs: 5 });
    const before = Array.from({ length: 150 }, (_, i) => queue.enqueue({ id: i + 1, choice: 'A' }));
    const flushing = queue.flush();
    await Promise.resolve();
    const during = Array.from({ length: 30 }, (_, i) => queue.enqueue({ id: 1000 + i, choice: 'B' }));
    await flushing;
    await Promise.all(before);
    await Promise.all(during);
    expect(reader.prepare('SELECT count(*) AS n FROM answers').get()).toEqual({ n: 180 });
  });

  it('refuses to write inside an outer transaction, where its COMMIT would only be a savepoint', async () => {
    const queue = new CommitQueue<Answer>(writer, writeAll, { maxDelayMs: 60_000 });
    const answer = queue.enqueue({ id: 1, choice: 'A' });
    writer.transaction(() => {
      void queue.flush();
    })();
    await expect(answer).rejects.toThrow(/already inside a transaction/);
    expect(isVisible(1)).toBe(false);
  });
});

describe('CommitQueue crash: acked means durable', () => {
  const fixture = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
  const source = fileURLToPath(new URL('../src/db/commitQueue.ts', import.meta.url));

  it('a writer killed mid-flush has acked nothing it had not committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exam-commit-crash-'));
    try {
      // The child runs the real CommitQueue source, types stripped (Node 20 cannot load .ts itself).
      const js = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const queueModule = join(dir, 'commitQueue.mjs');
      writeFileSync(queueModule, js);
      const file = join(dir, 'crash.db');

      const child = spawn(process.execPath, [fixture, file, pathToFileURL(queueModule).href, '1100'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const acked = new Set<number>();
      let inflight: number[] | null = null;
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
        child.on('exit', (code, signal) => resolve(signal ?? code));
      });

      await new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`no INFLIGHT line within 20 s\n${stdout}\n${stderr}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const lines = stdout.split('\n');
          stdout = lines.pop() ?? '';
          for (const line of lines) {
            const [word, ...rest] = line.split(' ');
            if (word === 'ACK') acked.add(Number(rest[0]));
            if (word === 'INFLIGHT' && inflight === null) {
              inflight = rest.map(Number);
              // The child is now inside the transaction, before COMMIT: kill it there.
              child.kill('SIGKILL');
              clearTimeout(timeout);
              resolve();
            }
          }
        });
        void exited.then((how) => {
          clearTimeout(timeout);
          reject(new Error(`child exited (${String(how)}) before INFLIGHT\n${stdout}\n${stderr}`));
        });
      });
      const how = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
      expect(how).toBe('SIGKILL');

      const blocked: number[] = inflight ?? [];
      expect(blocked).toHaveLength(100);
      expect(Math.min(...blocked)).toBe(1100);
      // The 250 rounds answers and the backlog's first transaction (1000–1099) were acked.
      expect(acked.size).toBe(350);

      const db = open(file); // recovers from the WAL the killed writer left behind
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set(db.prepare('SELECT id FROM answers').pluck().all() as number[]);
        // Every acked answer is durable...
        expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
        // ...and nothing of the transaction that was cut short was acked or stored.
        expect(blocked.filter((id) => acked.has(id))).toEqual([]);
        expect(blocked.filter((id) => stored.has(id))).toEqual([]);
        // Here every committed transaction had also been acked.
        expect(stored.size).toBe(acked.size);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 45_000);
});
