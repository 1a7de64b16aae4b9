import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * A consistent copy of the live database through SQLite's online backup API. It copies pages in
 * steps and yields between them, so answers keep being saved while it runs.
 */
export async function backupDatabase(
  sqlite: Database.Database,
  file: string,
): Promise<{ file: string; bytes: number; ms: number }> {
  const t0 = performance.now();
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  await sqlite.backup(target, { progress: () => 200 });
  return { file: target, bytes: statSync(target).size, ms: Math.round(performance.now() - t0) };
}

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

export function backupName(now = new Date()): string {
  return `exam-${now.toISOString().replace(/[:.]/g, '-')}.db`;
}

export function listBackups(dataDir: string): { name: string; bytes: number; createdAt: string }[] {
  const dir = backupDir(dataDir);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.db'));
  } catch {
    return [];
  }
  return names
    .map((n) => {
      const st = statSync(join(dir, n));
      return { name: basename(n), bytes: st.size, createdAt: st.mtime.toISOString() };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}
