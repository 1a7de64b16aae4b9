import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './connection.js';

/**
 * The one way into a write transaction (docs/ARCHITECTURE.md, "Data layer").
 *
 * Repositories have an async API so that a PostgreSQL implementation of the same API can follow
 * (issue 17). On SQLite the process has one connection and one writer, so an open transaction is
 * the connection's state: if request A awaited inside its transaction while request B wrote, B's
 * write would land in A's transaction (and vanish with A's rollback). Therefore:
 *
 * - transactions run one after another (a FIFO lock per database): two requests never share an
 *   open transaction across an `await`;
 * - a repository writes only inside `transaction()` (`writer(db)` refuses otherwise), so no write
 *   can slip into another request's open transaction;
 * - a transaction must not wait for I/O (a timer, a file, a worker): on SQLite its body runs
 *   between microtasks only, and one that lets the event loop turn is rolled back with
 *   `TX_SPANNED_IO` (it would hold SQLite's write lock while answers wait for it).
 *
 * Nested calls join the outer transaction.
 */

interface TxState {
  db: Db;
}

const current = new AsyncLocalStorage<TxState>();
const tails = new WeakMap<object, Promise<unknown>>();

export class TransactionError extends Error {
  constructor(
    readonly code: 'TX_SPANNED_IO' | 'WRITE_OUTSIDE_TX',
    message: string,
  ) {
    super(message);
    this.name = 'TransactionError';
  }
}

/** True while the calling code runs inside `transaction()` on this database. */
export function inTransaction(db: Db): boolean {
  return current.getStore()?.db.$client === db.$client;
}

/**
 * The handle a repository writes with: the same connection, but only inside `transaction()`.
 * Reads need no transaction and use the database directly.
 */
export function writer(db: Db): Db {
  if (!inTransaction(db)) {
    throw new TransactionError('WRITE_OUTSIDE_TX', 'a repository write must run inside transaction()');
  }
  return db;
}

/**
 * The handle a repository reads with: the current transaction's handle when the caller is inside
 * `transaction()` on this database, else the database. On SQLite both are the one connection; on
 * PostgreSQL (issue 17) the transaction has its own client, and reads inside it must use it.
 * Repositories reach the database only through `q(this.db)` and `writer(this.db)`.
 */
export function q(db: Db): Db {
  const store = current.getStore();
  return store && store.db.$client === db.$client ? store.db : db;
}

/**
 * Runs `fn` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on a throw) after every
 * transaction started before it has ended. Resolves with fn's value once the COMMIT is on disk.
 */
export async function transaction<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  if (inTransaction(db)) return fn();
  const key = db.$client;
  const before = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => {};
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const chained = before.then(() => mine);
  tails.set(key, chained);
  await before;
  try {
    return await run(db, fn);
  } finally {
    release();
    // once nothing waits behind us, the chain is dropped
    if (tails.get(key) === chained) tails.delete(key);
  }
}

async function run<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  const sqlite = db.$client;
  let turned = false;
  const probe = setImmediate(() => {
    turned = true;
  });
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const value = await current.run({ db }, fn);
    if (turned) {
      throw new TransactionError(
        'TX_SPANNED_IO',
        'a transaction waited for I/O while holding the write lock: do the I/O before transaction()',
      );
    }
    sqlite.exec('COMMIT');
    return value;
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  } finally {
    clearImmediate(probe);
  }
}
