import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/**
 * What a repository queries with on PostgreSQL (`q(db)`, `writer(db)` in db/tx.ts): the pool's
 * database outside a transaction, drizzle's transaction inside one. Both are this PgDatabase.
 */
export type PgHandle = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

/** migrations-pg/ at the repository root, whether we run from src (tests) or dist (production). */
export const PG_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../migrations-pg');

/**
 * Opens a pool on `url` with drizzle's pg dialect and applies migrations-pg/ (in one transaction,
 * drizzle's pg migrator). Every session commits synchronously, whatever the server's default.
 */
export async function openPgDatabase(url: string, poolSize = 10): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c synchronous_commit=on' });
  const db = drizzle(pool, { schema });
  await migrate(db, { migrationsFolder: PG_MIGRATIONS_DIR });
  return db;
}
