// Reads a database schema as a list of plain facts ("column users.active boolean not null default"),
// from SQLite (sqlite_master and pragmas), PostgreSQL (information_schema and pg_catalog) or a drizzle
// pg schema module, so that two of them compare as sets and a difference reads as a sentence.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';

/** Checks rows read from a database against their expected shape, once, at the boundary. */
export function rowsOf<T extends TSchema>(schema: T, rows: unknown[]): Static<T>[] {
  return rows.map((r) => {
    if (!Value.Check(schema, r)) throw new Error(`unexpected row ${JSON.stringify(r)}`);
    return r;
  });
}

export interface Facts {
  /** tables, columns, primary keys, foreign keys, indexes, checks */
  structure: string[];
  /** triggers: name, timing, event, table, conditional, the message they refuse with */
  triggers: string[];
}

const list = (cols: readonly string[]) => `(${cols.join(', ')})`;

/** Sorted, a repeated fact (two checks on the same columns) numbered, so counts compare too. */
function numbered(facts: string[]): string[] {
  const seen = new Map<string, number>();
  return facts.sort().map((f) => {
    const n = (seen.get(f) ?? 0) + 1;
    seen.set(f, n);
    return n === 1 ? f : `${f} #${n}`;
  });
}
const action = (a: string) => a.toLowerCase().replace(/_/g, ' ');

function triggerFact(name: string, timing: string, event: string, table: string, conditional: boolean, message: string): string {
  return `trigger ${name} ${timing.toLowerCase()} ${event.toLowerCase()} on ${table}${conditional ? ' when …' : ''} raises '${message}'`;
}

// ---------------------------------------------------------------------------------------------
// SQLite

const SqliteTableRow = Type.Object({ name: Type.String(), sql: Type.String() });
const SqliteColumn = Type.Object({
  name: Type.String(),
  type: Type.String(),
  notnull: Type.Number(),
  dflt_value: Type.Union([Type.String(), Type.Null()]),
  pk: Type.Number(),
});
const SqliteFk = Type.Object({
  id: Type.Number(),
  seq: Type.Number(),
  table: Type.String(),
  from: Type.String(),
  to: Type.Union([Type.String(), Type.Null()]),
  on_delete: Type.String(),
});
const SqliteIndex = Type.Object({ name: Type.String(), unique: Type.Number(), origin: Type.String(), partial: Type.Number() });
const SqliteIndexCol = Type.Object({ seqno: Type.Number(), name: Type.Union([Type.String(), Type.Null()]) });
const SqliteTrigger = Type.Object({ name: Type.String(), tbl_name: Type.String(), sql: Type.String() });

/** The columns the drizzle SQLite schema stores as 0/1 booleans: their PostgreSQL type is boolean. */
export function sqliteBooleanColumns(schemaModule: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const t of Object.values(schemaModule)) {
    if (!is(t, SQLiteTable)) continue;
    const cfg = getSqliteTableConfig(t);
    for (const c of cfg.columns) if (c.columnType === 'SQLiteBoolean') out.add(`${cfg.name}.${c.name}`);
  }
  return out;
}

/** The expressions of the CHECK constraints in a CREATE TABLE statement, parentheses balanced. */
function checkExpressions(createSql: string): string[] {
  const out: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(createSql); m; m = re.exec(createSql)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    while (i < createSql.length && depth > 0) {
      if (createSql[i] === '(') depth += 1;
      else if (createSql[i] === ')') depth -= 1;
      i += 1;
    }
    out.push(createSql.slice(start, i - 1));
  }
  return out;
}

const mentioned = (expr: string, columns: readonly string[]) =>
  columns.filter((c) => new RegExp(`(^|[^\\w])${c}([^\\w]|$)`).test(expr.replace(/[`"[\]]/g, ' '))).sort();

const sqliteFamily = (type: string) => {
  const t = type.toLowerCase();
  if (t.includes('int')) return 'integer';
  if (t.includes('real') || t.includes('floa') || t.includes('doub')) return 'real';
  if (t.includes('blob')) return 'blob';
  return 'text';
};

export function sqliteFacts(db: Database.Database, booleans: Set<string>): Facts {
  const structure: string[] = [];
  const tables = rowsOf(
    SqliteTableRow,
    db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
      )
      .all(),
  );
  for (const { name: t, sql: createSql } of tables) {
    structure.push(`table ${t}`);
    const cols = rowsOf(SqliteColumn, db.prepare(`SELECT * FROM pragma_table_info(?)`).all(t));
    for (const c of cols) {
      const family = booleans.has(`${t}.${c.name}`) ? 'boolean' : sqliteFamily(c.type);
      const identity = new RegExp(`[\`"]?${c.name}[\`"]?\\s+integer\\s+PRIMARY\\s+KEY\\s+AUTOINCREMENT`, 'i').test(createSql);
      const notNull = c.notnull === 1 || c.pk > 0;
      structure.push(
        `column ${t}.${c.name} ${family}${notNull ? ' not null' : ''}${c.dflt_value !== null ? ' default' : ''}${identity ? ' identity' : ''}`,
      );
    }
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    if (pk.length > 0) structure.push(`primary key ${t} ${list(pk.map((c) => c.name))}`);
    const fks = rowsOf(SqliteFk, db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(t));
    for (const id of [...new Set(fks.map((f) => f.id))]) {
      const parts = fks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
      const first = parts[0];
      if (!first) continue;
      structure.push(
        `foreign key ${t} ${list(parts.map((p) => p.from))} -> ${first.table} ${list(parts.map((p) => p.to ?? '?'))} on delete ${action(first.on_delete)}`,
      );
    }
    for (const ix of rowsOf(SqliteIndex, db.prepare(`SELECT * FROM pragma_index_list(?)`).all(t))) {
      if (ix.origin === 'pk') continue;
      const ixCols = rowsOf(SqliteIndexCol, db.prepare(`SELECT * FROM pragma_index_info(?)`).all(ix.name))
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name ?? '<expression>');
      if (ix.origin === 'u') structure.push(`unique constraint ${t} ${list(ixCols)}`);
      else
        structure.push(
          `${ix.unique ? 'unique index' : 'index'} ${ix.name} on ${t} ${list(ixCols)}${ix.partial ? ' where …' : ''}`,
        );
    }
    for (const expr of checkExpressions(createSql))
      structure.push(
        `check ${t} ${list(
          mentioned(
            expr,
            cols.map((c) => c.name),
          ),
        )}`,
      );
  }
  const triggers: string[] = [];
  for (const tr of rowsOf(
    SqliteTrigger,
    db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").all(),
  )) {
    const head = /\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b/i.exec(tr.sql);
    const body = tr.sql.search(/\bBEGIN\b/i);
    const conditional = /\bWHEN\b/i.test(tr.sql.slice(0, body < 0 ? undefined : body));
    const message = /RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'\s*\)/i.exec(tr.sql)?.[1]?.replace(/''/g, "'") ?? '';
    triggers.push(triggerFact(tr.name, head?.[1] ?? '?', head?.[2] ?? '?', tr.tbl_name, conditional, message));
  }
  return { structure: numbered(structure), triggers: numbered(triggers) };
}

/**
 * TRUNCATE skips row triggers in PostgreSQL and SQLite has no TRUNCATE: every table whose rows a
 * SQLite trigger keeps from being deleted also needs a `<table>_no_truncate` statement trigger there.
 */
export function truncateGuardsFor(sqliteTriggers: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of sqliteTriggers) {
    const m = /^trigger \S+ before delete on (\S+)(?: when …)? raises '(.*)'$/.exec(f);
    if (m) out.add(triggerFact(`${m[1]}_no_truncate`, 'before', 'truncate', m[1] ?? '', false, m[2] ?? ''));
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const pgFamily = (type: string) => {
  if (/^(integer|bigint|smallint)$/.test(type)) return 'integer';
  if (/^(double precision|real|numeric)$/.test(type)) return 'real';
  if (type === 'bytea') return 'blob';
  if (type === 'boolean') return 'boolean';
  return 'text';
};

const PgColumn = Type.Object({
  table_name: Type.String(),
  column_name: Type.String(),
  is_nullable: Type.String(),
  column_default: Type.Union([Type.String(), Type.Null()]),
  data_type: Type.String(),
  is_identity: Type.String(),
});
const PgConstraint = Type.Object({
  table_name: Type.String(),
  contype: Type.String(),
  cols: Type.Array(Type.String()),
  ref_table: Type.Union([Type.String(), Type.Null()]),
  ref_cols: Type.Union([Type.Array(Type.String()), Type.Null()]),
  del: Type.String(),
});
const PgIndex = Type.Object({
  name: Type.String(),
  table_name: Type.String(),
  uniq: Type.Boolean(),
  partial: Type.Boolean(),
  cols: Type.Array(Type.String()),
});
const PgTrigger = Type.Object({ name: Type.String(), table_name: Type.String(), def: Type.String(), src: Type.String() });

const FK_ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** `family`: compare with SQLite (integer, real, text, blob, boolean); `exact`: the PostgreSQL type. */
export async function pgFacts(client: pg.Pool | pg.Client, types: 'family' | 'exact'): Promise<Facts> {
  const structure: string[] = [];
  const tables = rowsOf(
    Type.Object({ table_name: Type.String() }),
    (
      await client.query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )
    ).rows,
  );
  for (const t of tables) structure.push(`table ${t.table_name}`);
  const cols = rowsOf(
    PgColumn,
    (
      await client.query(
        `SELECT table_name::text, column_name::text, is_nullable::text, column_default::text, data_type::text, is_identity::text
           FROM information_schema.columns WHERE table_schema = 'public'`,
      )
    ).rows,
  );
  for (const c of cols) {
    const type = types === 'family' ? pgFamily(c.data_type) : c.data_type;
    structure.push(
      `column ${c.table_name}.${c.column_name} ${type}${c.is_nullable === 'NO' ? ' not null' : ''}${c.column_default !== null ? ' default' : ''}${c.is_identity === 'YES' ? ' identity' : ''}`,
    );
  }
  const constraints = rowsOf(
    PgConstraint,
    (
      await client.query(
        `SELECT c.relname::text AS table_name, k.contype::text AS contype,
                (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) AS cols,
                f.relname::text AS ref_table,
                (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum) AS ref_cols,
                k.confdeltype::text AS del
           FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace s ON s.oid = c.relnamespace
           LEFT JOIN pg_class f ON f.oid = k.confrelid
          WHERE s.nspname = 'public' AND k.contype IN ('p', 'f', 'u', 'c')`,
      )
    ).rows,
  );
  for (const k of constraints) {
    if (k.contype === 'p') structure.push(`primary key ${k.table_name} ${list(k.cols)}`);
    else if (k.contype === 'f')
      structure.push(
        `foreign key ${k.table_name} ${list(k.cols)} -> ${k.ref_table} ${list(k.ref_cols ?? [])} on delete ${FK_ACTIONS[k.del] ?? k.del}`,
      );
    else if (k.contype === 'u') structure.push(`unique constraint ${k.table_name} ${list(k.cols)}`);
    else structure.push(`check ${k.table_name} ${list([...k.cols].sort())}`);
  }
  const indexes = rowsOf(
    PgIndex,
    (
      await client.query(
        `SELECT ic.relname::text AS name, tc.relname::text AS table_name, i.indisunique AS uniq, i.indpred IS NOT NULL AS partial,
                (SELECT array_agg(coalesce(a.attname::text, '<expression>') ORDER BY x.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(attnum, n)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum) AS cols
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
           JOIN pg_namespace s ON s.oid = tc.relnamespace
          WHERE s.nspname = 'public' AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      )
    ).rows,
  );
  for (const ix of indexes) {
    structure.push(
      `${ix.uniq ? 'unique index' : 'index'} ${ix.name} on ${ix.table_name} ${list(ix.cols)}${ix.partial ? ' where …' : ''}`,
    );
  }
  const triggers: string[] = [];
  const trs = rowsOf(
    PgTrigger,
    (
      await client.query(
        `SELECT t.tgname::text AS name, c.relname::text AS table_name, pg_get_triggerdef(t.oid) AS def, p.prosrc::text AS src
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace s ON s.oid = c.relnamespace
           JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE s.nspname = 'public' AND NOT t.tgisinternal`,
      )
    ).rows,
  );
  for (const tr of trs) {
    const head = /^CREATE (?:CONSTRAINT )?TRIGGER \S+ (BEFORE|AFTER|INSTEAD OF) (\w+)/.exec(tr.def);
    const conditional = / WHEN \(/.test(tr.def);
    const arg = /EXECUTE FUNCTION [^(]+\('((?:[^']|'')*)'\)/.exec(tr.def)?.[1];
    const inBody = /MESSAGE\s*=\s*'((?:[^']|'')*)'/.exec(tr.src)?.[1];
    const message = (arg ?? inBody ?? '').replace(/''/g, "'");
    triggers.push(triggerFact(tr.name, head?.[1] ?? '?', head?.[2] ?? '?', tr.table_name, conditional, message));
  }
  return { structure: numbered(structure), triggers: numbered(triggers) };
}

// ---------------------------------------------------------------------------------------------
// drizzle's pg schema module

/** What server/src/db/pg/schema.ts declares, as the same facts (exact PostgreSQL types). */
export function drizzlePgFacts(schemaModule: Record<string, unknown>): string[] {
  const dialect = new PgDialect();
  const structure: string[] = [];
  for (const t of Object.values(schemaModule)) {
    if (!is(t, PgTable)) continue;
    const cfg = getPgTableConfig(t);
    structure.push(`table ${cfg.name}`);
    for (const c of cfg.columns) {
      const identity = c.generatedIdentity !== undefined;
      const notNull = c.notNull || c.primary || identity;
      structure.push(
        `column ${cfg.name}.${c.name} ${c.getSQLType()}${notNull ? ' not null' : ''}${c.default !== undefined ? ' default' : ''}${identity ? ' identity' : ''}`,
      );
      if (c.primary) structure.push(`primary key ${cfg.name} ${list([c.name])}`);
    }
    for (const pk of cfg.primaryKeys) structure.push(`primary key ${cfg.name} ${list(pk.columns.map((c) => c.name))}`);
    for (const fk of cfg.foreignKeys) {
      const ref = fk.reference();
      structure.push(
        `foreign key ${cfg.name} ${list(ref.columns.map((c) => c.name))} -> ${getPgTableConfig(ref.foreignTable).name} ${list(
          ref.foreignColumns.map((c) => c.name),
        )} on delete ${fk.onDelete ?? 'no action'}`,
      );
    }
    for (const ix of cfg.indexes) {
      const ixCols = ix.config.columns.map((c) => ('name' in c && typeof c.name === 'string' ? c.name : '<expression>'));
      structure.push(
        `${ix.config.unique ? 'unique index' : 'index'} ${ix.config.name ?? '?'} on ${cfg.name} ${list(ixCols)}${ix.config.where ? ' where …' : ''}`,
      );
    }
    for (const u of cfg.uniqueConstraints) structure.push(`unique constraint ${cfg.name} ${list(u.columns.map((c) => c.name))}`);
    const names = cfg.columns.map((c) => c.name);
    for (const ch of cfg.checks) structure.push(`check ${cfg.name} ${list(mentioned(dialect.sqlToQuery(ch.value).sql, names))}`);
  }
  return numbered(structure);
}

/** a − b, for a readable failure: exactly the facts one side has and the other lacks. */
export function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => !set.has(x));
}
