// Issue 17: the PostgreSQL schema (migrations-pg/, server/src/db/pg/schema.ts) is the SQLite schema
// (migrations/) on another engine: the same tables, columns, keys, indexes, checks and guard triggers,
// refusing with the same messages. Runs against a private PostgreSQL (server/src/db/pg/cluster.ts);
// skipped only on a machine without PostgreSQL binaries (.ci/run installs them).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/db/connection.js';
import { findPgBin, type PgCluster, startPgCluster } from '../src/db/pg/cluster.js';
import { openPgDatabase, PG_MIGRATIONS_DIR, type PgDb } from '../src/db/pg/connection.js';
import * as pgSchema from '../src/db/pg/schema.js';
import * as sqliteSchema from '../src/db/schema.js';
import {
  drizzlePgFacts,
  type Facts,
  missingFrom,
  pgFacts,
  rowsOf,
  sqliteBooleanColumns,
  sqliteFacts,
  truncateGuardsFor,
} from './schema-facts.js';

const bin = findPgBin();
if (!bin) {
  console.warn(
    'pg-schema.test.ts SKIPPED: no PostgreSQL binaries (initdb, pg_ctl, postgres) in PG_BIN, /usr/lib/postgresql/*/bin or PATH. ' +
      'Install them with `apt-get install postgresql` (.ci/run does).',
  );
}

const Journal = Type.Object({
  dialect: Type.String(),
  entries: Type.Array(Type.Object({ idx: Type.Number(), when: Type.Number(), tag: Type.String(), breakpoints: Type.Boolean() })),
});
function journal(dir: string) {
  const [j] = rowsOf(Journal, [JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8'))]);
  if (!j) throw new Error(`no journal in ${dir}`);
  return j;
}

/** Runs `?`-parameter SQL on PostgreSQL ($1, $2, …), so both engines run the very same statement. */
const toPg = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** The message a statement is refused with, or null when it succeeds. */
function sqliteRefusal(db: Database.Database, sql: string, params: unknown[] = []): string | null {
  try {
    db.prepare(sql).run(...params);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
async function pgRefusal(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<string | null> {
  try {
    await pool.query(toPg(sql), params);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe.skipIf(!bin)('PostgreSQL schema parity with SQLite (issue 17)', () => {
  let cluster: PgCluster;
  let pgDb: PgDb;
  let pool: pg.Pool;
  let dir: string;
  let sqlite: Database.Database;
  let sqliteSide: Facts;
  let pgSide: Facts;

  beforeAll(async () => {
    cluster = await startPgCluster(bin ? { bin } : {});
    pgDb = await openPgDatabase(await cluster.createDatabase('parity'), 4);
    pool = pgDb.$client;
    dir = mkdtempSync(join(tmpdir(), 'exam-parity-'));
    sqlite = new Database(join(dir, 'exam.db'));
    sqlite.pragma('foreign_keys = ON');
    migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_DIR });
    sqliteSide = sqliteFacts(sqlite, sqliteBooleanColumns(sqliteSchema));
    pgSide = await pgFacts(pool, 'family');
  });

  let poolEnded = false;
  afterAll(async () => {
    sqlite?.close();
    if (!poolEnded) await pool?.end();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the private cluster commits synchronously and listens on 127.0.0.1 only', async () => {
    const rows = rowsOf(
      Type.Object({ name: Type.String(), setting: Type.String() }),
      (
        await pool.query(
          "SELECT name::text, setting::text FROM pg_settings WHERE name IN ('synchronous_commit', 'listen_addresses', 'fsync')",
        )
      ).rows,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.setting]))).toEqual({
      synchronous_commit: 'on',
      listen_addresses: '127.0.0.1',
      fsync: 'on',
    });
  });

  it('every SQLite migration has its PostgreSQL counterpart: the same tag and time, in the same order', () => {
    const lite = journal(MIGRATIONS_DIR);
    const post = journal(PG_MIGRATIONS_DIR);
    expect(post.dialect).toBe('postgresql');
    const key = (e: { idx: number; when: number; tag: string }) => `${e.idx} ${e.tag} ${e.when}`;
    expect({
      missingInMigrationsPg: missingFrom(lite.entries.map(key), post.entries.map(key)),
      extraInMigrationsPg: missingFrom(post.entries.map(key), lite.entries.map(key)),
    }).toEqual({ missingInMigrationsPg: [], extraInMigrationsPg: [] });
    const files = readdirSync(PG_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    expect(files.sort()).toEqual(post.entries.map((e) => `${e.tag}.sql`).sort());
  });

  it('the same tables, columns (nullability, default, type family, identity), keys, indexes and checks', () => {
    expect(sqliteSide.structure.length).toBeGreaterThan(300);
    // a difference is listed fact by fact: add what is missing to migrations-pg/ (see README, PostgreSQL)
    expect({
      missingInPostgres: missingFrom(sqliteSide.structure, pgSide.structure),
      extraInPostgres: missingFrom(pgSide.structure, sqliteSide.structure),
    }).toEqual({ missingInPostgres: [], extraInPostgres: [] });
  });

  it('the same guard triggers (name, timing, event, condition, message), plus a TRUNCATE guard per guarded table', () => {
    expect(sqliteSide.triggers.length).toBeGreaterThanOrEqual(14);
    const expected = [...sqliteSide.triggers, ...truncateGuardsFor(sqliteSide.triggers)];
    expect({
      missingInPostgres: missingFrom(expected, pgSide.triggers),
      extraInPostgres: missingFrom(pgSide.triggers, expected),
    }).toEqual({ missingInPostgres: [], extraInPostgres: [] });
  });

  it("drizzle's pg schema.ts declares exactly what migrations-pg/ builds (exact types)", async () => {
    const declared = drizzlePgFacts(pgSchema);
    const built = (await pgFacts(pool, 'exact')).structure;
    expect({
      missingInSchemaTs: missingFrom(built, declared),
      notBuiltByMigrationsPg: missingFrom(declared, built),
    }).toEqual({ missingInSchemaTs: [], notBuiltByMigrationsPg: [] });
  });

  it('the append-only tables refuse UPDATE and DELETE on both engines with the same message (and TRUNCATE on PostgreSQL)', async () => {
    const guarded = [
      ...new Set(sqliteSide.triggers.flatMap((f) => /^trigger \S+ before update on (\S+) raises/.exec(f)?.[1] ?? [])),
    ];
    expect(guarded.sort()).toEqual(['absences', 'audit_log', 'audit_macs', 'incidents', 'room_closures', 'sitting_exports']);
    const Col = Type.Object({ name: Type.String(), type: Type.String(), notnull: Type.Number(), dflt_value: Type.Unknown() });
    for (const table of guarded) {
      const message = /raises '(.*)'$/.exec(
        sqliteSide.triggers.find((f) => f.includes(` before update on ${table} `)) ?? '',
      )?.[1];
      expect(message, table).toBeTruthy();
      // one row with a value for every required column (these tables have no foreign keys)
      const cols = rowsOf(Col, sqlite.prepare('SELECT * FROM pragma_table_info(?)').all(table)).filter(
        (c) => c.notnull === 1 && c.dflt_value === null,
      );
      const value = (type: string) =>
        /blob/i.test(type) ? Buffer.from('sealed') : /int/i.test(type) ? 1 : /real/i.test(type) ? 1.5 : 'x';
      const insert = `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
      const params = cols.map((c) => value(c.type));
      expect(sqliteRefusal(sqlite, insert, params), table).toBeNull();
      expect(await pgRefusal(pool, insert, params), table).toBeNull();
      const first = cols[0]?.name ?? 'rowid';
      for (const stmt of [`UPDATE ${table} SET ${first} = ${first}`, `DELETE FROM ${table}`]) {
        expect({ table, stmt, sqlite: sqliteRefusal(sqlite, stmt), pg: await pgRefusal(pool, stmt) }).toEqual({
          table,
          stmt,
          sqlite: message,
          pg: message,
        });
      }
      expect(await pgRefusal(pool, `TRUNCATE ${table}`)).toBe(message);
      const count = (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows;
      expect(rowsOf(Type.Object({ n: Type.Number() }), count)[0]?.n).toBe(1);
      expect(rowsOf(Type.Object({ n: Type.Number() }), [sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get()])[0]?.n).toBe(
        1,
      );
    }
  });

  it('an approved question version cannot change or go, only retire, on both engines with the same message', async () => {
    // no explicit ids: identity columns on PostgreSQL, like AUTOINCREMENT on SQLite, number the rows
    const setup = [
      `INSERT INTO users (username, full_name, password_hash, roles) VALUES ('tacgia', 'Tác giả', 'h', '["author"]')`,
      `INSERT INTO subjects (code, name) VALUES ('KTC', 'Kiến thức chung')`,
      `INSERT INTO topics (subject_id, code, name) SELECT id, 'T1', 'Hiến pháp' FROM subjects WHERE code = 'KTC'`,
      `INSERT INTO questions (subject_id, ref) SELECT id, 'Q1' FROM subjects WHERE code = 'KTC'`,
      `INSERT INTO question_versions (question_id, version, type, topic_id, difficulty, stem, options, status, search_text, author_id)
         SELECT q.id, v.version, 'single', t.id, 'easy', v.stem, '[]', v.status, 'cau hoi', u.id
           FROM questions q, topics t, users u,
                (SELECT 1 AS version, 'Câu hỏi?' AS stem, 'approved' AS status UNION ALL SELECT 2, 'Bản nháp?', 'draft') v
          WHERE q.ref = 'Q1' AND t.code = 'T1' AND u.username = 'tacgia'`,
    ];
    for (const s of setup) {
      expect(sqliteRefusal(sqlite, s), s).toBeNull();
      expect(await pgRefusal(pool, s), s).toBeNull();
    }
    const both = async (sql: string) => ({ sql, sqlite: sqliteRefusal(sqlite, sql), pg: await pgRefusal(pool, sql) });
    const refused = (sql: string) => ({
      sql,
      sqlite: 'approved question versions are immutable',
      pg: 'approved question versions are immutable',
    });
    const allowed = (sql: string) => ({ sql, sqlite: null, pg: null });
    const steps: [string, (sql: string) => { sql: string; sqlite: string | null; pg: string | null }][] = [
      [`UPDATE question_versions SET stem = 'Đã sửa' WHERE version = 1`, refused],
      [`UPDATE question_versions SET options = '[{"id":"a"}]' WHERE version = 1`, refused],
      [`UPDATE question_versions SET partial_credit = true WHERE version = 1`, refused],
      [`DELETE FROM question_versions WHERE version = 1`, refused],
      [`UPDATE question_versions SET status = 'retired' WHERE version = 1`, allowed],
      [`UPDATE question_versions SET status = 'approved' WHERE version = 1`, refused],
      [`UPDATE question_versions SET stem = 'Bản nháp đã sửa' WHERE version = 2`, allowed],
      [`DELETE FROM question_versions WHERE version = 2`, allowed],
    ];
    for (const [sql, want] of steps) expect(await both(sql)).toEqual(want(sql));
    expect(await pgRefusal(pool, 'TRUNCATE question_versions CASCADE')).toBe('approved question versions are immutable');
  });

  it('timestamps default to the same ISO-8601 UTC text on both engines, and values round-trip unchanged', async () => {
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    sqlite.prepare(`INSERT INTO subjects (code, name) VALUES ('TS', 'Giờ')`).run();
    await pool.query(`INSERT INTO subjects (code, name) VALUES ('TS', 'Giờ')`);
    const Row = Type.Object({ created_at: Type.String() });
    const lite = rowsOf(Row, [sqlite.prepare(`SELECT created_at FROM subjects WHERE code = 'TS'`).get()])[0]?.created_at;
    const post = rowsOf(Row, (await pool.query(`SELECT created_at FROM subjects WHERE code = 'TS'`)).rows)[0]?.created_at;
    expect(lite).toMatch(iso);
    expect(post).toMatch(iso);
    // epoch milliseconds beyond 32 bits, booleans and bytes come back as they went in, through drizzle
    const at = Date.UTC(2026, 11, 7, 8, 0, 0, 123);
    await pgDb.insert(pgSchema.sittingExports).values({
      sittingId: 7,
      sha256: 'abc',
      data: Buffer.from([0, 1, 254, 255]),
      attempts: 1,
      answers: 2,
      sealedAt: at,
    });
    const [row] = await pgDb.select().from(pgSchema.sittingExports).where(eq(pgSchema.sittingExports.sittingId, 7));
    expect(row).toEqual({
      sittingId: 7,
      sha256: 'abc',
      data: Buffer.from([0, 1, 254, 255]),
      attempts: 1,
      answers: 2,
      sealedAt: at,
      sealedBy: null,
    });
    const [user] = await pgDb.select({ active: pgSchema.users.active, createdAt: pgSchema.users.createdAt }).from(pgSchema.users);
    expect(user?.active).toBe(true);
    expect(user?.createdAt).toMatch(iso);
  });

  it('stop() ends its own postmaster and removes the data directory', async () => {
    poolEnded = true;
    await pool.end();
    // a process that ended but was not yet reaped by its parent (a zombie) counts as ended
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      return !/\) Z /.test(stat);
    };
    expect(alive(cluster.pid)).toBe(true);
    expect(existsSync(cluster.dataDir)).toBe(true);
    await cluster.stop();
    expect(alive(cluster.pid)).toBe(false);
    expect(existsSync(cluster.dataDir)).toBe(false);
    await cluster.stop();
  });
});
