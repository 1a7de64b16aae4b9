import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

/** Prepared statements compiled once per SQL text and reused. */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();
  constructor(private readonly sqlite: Database.Database) {}

  get(sql: string): Statement {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.sqlite.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }
}
