import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { Db } from './connection.js';
import type { PgDb, PgHandle } from './pg/connection.js';

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

/**
 * The store of the running transaction: the database it belongs to (its client, the key) and the
 * handle its queries use. On SQLite the handle is the database itself (one connection); on
 * PostgreSQL it is drizzle's transaction, bound to the one pool client that ran BEGIN.
 */
interface TxState {
  key: object;
  handle: Db | PgHandle;
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
export function inTransaction(db: Db | PgDb): boolean {
  return current.getStore()?.key === db.$client;
}

/**
 * The handle a repository writes with: the current transaction's (on SQLite the same connection),
 * and only inside `transaction()`. Reads need no transaction and use `q(db)`.
 */
export function writer(db: Db): Db;
export function writer(db: PgDb): PgHandle;
export function writer(db: Db | PgDb): Db | PgHandle {
  const store = current.getStore();
  if (!store || store.key !== db.$client) {
    throw new TransactionError('WRITE_OUTSIDE_TX', 'a repository write must run inside transaction()');
  }
  return store.handle;
}

/**
 * The handle a repository reads with: the current transaction's handle when the caller is inside
 * `transaction()` on this database, else the database. On SQLite both are the one connection; on
 * PostgreSQL the transaction has its own pool client, and reads inside it must use it (they see its
 * uncommitted writes, and the pool is not drained by a transaction waiting on itself).
 * Repositories reach the database only through `q(this.db)` and `writer(this.db)`.
 */
export function q(db: Db): Db;
export function q(db: PgDb): PgHandle;
export function q(db: Db | PgDb): Db | PgHandle {
  const store = current.getStore();
  return store && store.key === db.$client ? store.handle : db;
}

/**
 * Runs `fn` in one transaction and resolves with fn's value once the COMMIT is durable; a throw
 * rolls all of it back. Nested calls join the outer transaction.
 *
 * - SQLite: BEGIN IMMEDIATE … COMMIT after every transaction started before it has ended (the FIFO
 *   above), and a body that lets the event loop turn is rolled back with `TX_SPANNED_IO`.
 * - PostgreSQL: drizzle's `db.transaction()` on a client of the pool, with its handle in the store
 *   (`q()`/`writer()` return it). Transactions run side by side, each on its own client, as
 *   PostgreSQL isolates them; the session commits synchronously (db/pg/connection.ts).
 */
export async function transaction<T>(db: Db | PgDb, fn: () => Promise<T> | T): Promise<T> {
  if (inTransaction(db)) return fn();
  if (!isSqlite(db)) return db.transaction(async (tx) => within({ key: db.$client, handle: tx }, fn));
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

let open = 0;

/**
 * Runs fn with the transaction's store. When no transaction is open anywhere, the storage is
 * disabled: on Node 20 an enabled AsyncLocalStorage keeps promise hooks on for every promise of
 * the process, which cost the answer path (which never opens a transaction) about a tenth of its
 * CPU; `run()` enables it again for the next transaction.
 */
async function within<T>(store: TxState, fn: () => Promise<T> | T): Promise<T> {
  open++;
  try {
    return await current.run(store, fn);
  } finally {
    if (--open === 0) current.disable();
  }
}

/** SQLite (better-sqlite3's one connection) or PostgreSQL (a node-postgres pool). */
export function isSqlite(db: Db | PgDb): db is Db {
  return db.$client instanceof Database;
}

async function run<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  const sqlite = db.$client;
  let turned = false;
  const probe = setImmediate(() => {
    turned = true;
  });
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const value = await within({ key: sqlite, handle: db }, fn);
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

/**
 * The one row an `insert … returning(…)` gave back (dialect-neutral: no `.get()`), or an error naming
 * what was inserted: a statement that inserts one row and returns none is a broken invariant.
 */
export function insertedRow<T>(rows: T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: the insert returned no row`);
  return row;
}
