import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/connection.js';
import { CorruptColumnError, jsonColumn } from '../src/db/json.js';
import { settings } from '../src/db/schema.js';
import { inTransaction, TransactionError, transaction, writer } from '../src/db/tx.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exam-tx-'));
  db = openDatabase(join(dir, 'exam.db'));
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (key: string, value: string) => writer(db).insert(settings).values({ key, value }).run();
const read = (key: string) => db.select().from(settings).where(eq(settings.key, key)).get()?.value;

describe('transaction(): the one way into a write transaction', () => {
  it('commits what its body wrote and rolls all of it back on a throw', async () => {
    await transaction(db, async () => {
      put('a', '1');
    });
    expect(read('a')).toBe('1');
    await expect(
      transaction(db, async () => {
        put('b', '2');
        await Promise.resolve();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(read('b')).toBeUndefined();
    expect(db.$client.inTransaction).toBe(false);
  });

  it('runs transactions one after another: a second one never joins the first across an await', async () => {
    const order: string[] = [];
    let releaseA: () => void = () => {};
    const gateA = new Promise<void>((r) => {
      releaseA = r;
    });
    const a = transaction(db, async () => {
      order.push('A begins');
      put('a', '1');
      await gateA;
      order.push('A ends');
      throw new Error('A rolls back');
    }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    const b = transaction(db, async () => {
      order.push('B begins');
      put('b', '2');
    });
    // A waits on a promise only a microtask chain releases: B must not have begun
    await Promise.resolve();
    expect(order).toEqual(['A begins']);
    releaseA();
    // A's body resolved within microtasks, but the gate's resolution may have let the loop turn:
    // either A committed nothing (rolled back by its throw) or was refused for spanning I/O
    expect(await a).toMatch(/A rolls back|I\/O/);
    await b;
    expect(order).toEqual(['A begins', 'A ends', 'B begins']);
    // A's rollback took only A's write: B's, which waited, is kept
    expect(read('a')).toBeUndefined();
    expect(read('b')).toBe('2');
  });

  it('refuses a write outside a transaction', () => {
    expect(() => put('c', '3')).toThrow(TransactionError);
    expect(read('c')).toBeUndefined();
  });

  it('rolls back a transaction that waited for I/O while holding the write lock', async () => {
    const err = await transaction(db, async () => {
      put('d', '4');
      await new Promise((r) => setTimeout(r, 5));
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    expect(err instanceof TransactionError && err.code).toBe('TX_SPANNED_IO');
    expect(read('d')).toBeUndefined();
  });

  it('a nested call joins the outer transaction', async () => {
    await expect(
      transaction(db, async () => {
        await transaction(db, async () => {
          expect(inTransaction(db)).toBe(true);
          put('e', '5');
        });
        throw new Error('outer refuses');
      }),
    ).rejects.toThrow('outer refuses');
    expect(read('e')).toBeUndefined();
    expect(inTransaction(db)).toBe(false);
  });
});

describe('jsonColumn(): a JSON column checked where it leaves the database', () => {
  const roles = jsonColumn('users.roles', Type.Array(Type.String()));
  it('parses a value of the schema and refuses one that is not', () => {
    expect(roles.parse('["admin","board"]')).toEqual(['admin', 'board']);
    expect(roles.parseNullable(null)).toBeNull();
    expect(() => roles.parse('[1]')).toThrow(CorruptColumnError);
    expect(() => roles.parse('not json')).toThrow(/users\.roles/);
  });
});
