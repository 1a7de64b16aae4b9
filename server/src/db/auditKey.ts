import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';

/** The file holding the audit key when AUDIT_KEY is not set: next to the database, never inside it. */
export const AUDIT_KEY_FILE = 'audit.key';

const keys = new WeakMap<Database.Database, Buffer>();

function parseKey(text: string): Buffer | null {
  const t = text.trim();
  const buf = /^[0-9a-f]{64,}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return buf.length >= 32 ? buf : null;
}

/**
 * The key of the audit chain's HMAC (issue 14). It is never stored in the database, so a copy of
 * the database alone cannot be rewritten with a chain that still verifies. From AUDIT_KEY (hex or
 * base64, ≥ 32 bytes; keep it off the data disk for the "lost disk" threat) or else from
 * DATA_DIR/audit.key, created on first use (mode 0600). `created` is true when this call made it.
 */
export function loadAuditKey(sqlite: Database.Database, env: NodeJS.ProcessEnv = process.env): { key: Buffer; created: boolean } {
  const known = keys.get(sqlite);
  if (known) return { key: known, created: false };
  let key: Buffer | null = null;
  let created = false;
  if (env.AUDIT_KEY) {
    key = parseKey(env.AUDIT_KEY);
    if (!key) throw new Error('AUDIT_KEY must be at least 32 bytes, hex or base64');
  } else {
    const file = join(dirname(sqlite.name), AUDIT_KEY_FILE);
    if (existsSync(file)) {
      key = parseKey(readFileSync(file, 'utf8'));
      if (!key) throw new Error(`${file} does not hold an audit key of at least 32 bytes`);
    } else {
      key = randomBytes(32);
      writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    }
  }
  keys.set(sqlite, key);
  return { key, created };
}

/** The chain's keyed link: HMAC(key, previous mac ‖ this row's hash). */
export function chainMac(key: Buffer, prevMac: string, hash: string): string {
  return createHmac('sha256', key).update(prevMac).update('\n').update(hash).digest('hex');
}
