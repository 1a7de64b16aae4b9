import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowHash } from '../src/db/audit.js';
import { openDatabase } from '../src/db/connection.js';
import { createUser, login, makeApp, type TestApp } from './helpers.js';

let t: TestApp;
let admin: string;

beforeEach(async () => {
  t = await makeApp();
  await createUser(t.db, { username: 'quantri', fullName: 'Quản trị', roles: ['admin'] });
  admin = await login(t.app, 'quantri');
  for (let i = 0; i < 5; i++) await createUser(t.db, { username: `canbo${i}`, fullName: `Cán bộ ${i}`, roles: ['author'] });
});
afterEach(() => t.close());

interface Verify {
  ok: boolean;
  rows: number;
  firstBroken?: { reason: string };
  anchor: { rows: number; head: string; text: string };
  anchorCheck?: { ok: boolean; message: string };
}
const verify = async (anchor?: string) =>
  (
    await t.app.inject({
      url: `/api/audit/verify${anchor ? `?anchor=${encodeURIComponent(anchor)}` : ''}`,
      headers: { cookie: admin },
    })
  ).json() as Verify;

/** What someone holding only the database file can do: drop the guards and rewrite rows. */
function tamper(sql: (db: TestApp['db']['$client']) => void) {
  const raw = t.db.$client;
  raw.exec(
    'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_macs_no_update; DROP TRIGGER audit_macs_no_delete;',
  );
  sql(raw);
}

describe('audit chain anchored outside the database (issue 14, item 8)', () => {
  it('the key is not in the database; every row carries a keyed link', async () => {
    expect(existsSync(join(t.dir, 'audit.key'))).toBe(true);
    const key = readFileSync(join(t.dir, 'audit.key'), 'utf8').trim();
    const settings = t.db.$client.prepare('SELECT value FROM settings').pluck().all() as string[];
    expect(settings.some((v) => v.includes(key) || v === Buffer.from(key, 'hex').toString('base64'))).toBe(false);
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.anchor.text).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect(v.anchor.rows).toBe(v.rows);
  });

  it('deleting the newest rows is caught against an earlier anchor', async () => {
    await createUser(t.db, { username: 'moi', fullName: 'Mới', roles: ['author'] });
    const printed = (await verify()).anchor.text;
    tamper((db) =>
      db.exec(`DELETE FROM audit_macs WHERE audit_id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2);
               DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)`),
    );
    // the chain alone still looks whole …
    expect((await verify()).ok).toBe(true);
    // … but not against the anchor printed before
    const v = await verify(printed);
    expect(v.ok).toBe(false);
    expect(v.anchorCheck?.ok).toBe(false);
    expect(v.firstBroken?.reason).toBe('rows_missing');
  });

  it('a full rewrite with recomputed hashes is caught, with or without an anchor', async () => {
    const printed = (await verify()).anchor.text;
    tamper((db) => {
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Record<string, string | number | null>[];
      let prev = '0'.repeat(64);
      const upd = db.prepare('UPDATE audit_log SET actor_name = ?, prev_hash = ?, hash = ? WHERE id = ?');
      for (const r of rows) {
        const core = {
          ts: String(r.ts),
          actorId: r.actor_id === null ? null : Number(r.actor_id),
          actorName: r.id === 2 ? 'người khác' : String(r.actor_name),
          action: String(r.action),
          entity: String(r.entity),
          entityId: r.entity_id === null ? null : String(r.entity_id),
          beforeDigest: r.before_digest === null ? null : String(r.before_digest),
          afterDigest: r.after_digest === null ? null : String(r.after_digest),
          detail: String(r.detail),
        };
        const hash = rowHash(prev, core);
        upd.run(core.actorName, prev, hash, r.id);
        prev = hash;
      }
    });
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.reason).toBe('mac_mismatch');
    // stripping every keyed link and restarting gets the rewrite keyed again, but not through the printed anchor
    t.db.$client.exec('DELETE FROM audit_macs;');
    const reopened = openDatabase(t.config.dbFile);
    reopened.$client.close();
    const after = await verify(printed);
    expect(after.ok).toBe(false);
    expect(after.anchorCheck?.ok).toBe(false);
  });

  it('a backup prints its anchor; an anchor that is not one is refused clearly', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/admin/backups', headers: { cookie: admin } });
    expect(r.statusCode).toBe(201);
    const { name, auditAnchor } = r.json() as { name: string; auditAnchor: string };
    expect(auditAnchor).toMatch(/^\d+:[0-9a-f]{64}$/);
    expect(readFileSync(join(t.dir, 'backups', `${name}.anchor.txt`), 'utf8').trim()).toBe(auditAnchor);
    expect((await verify(auditAnchor)).anchorCheck?.ok).toBe(true);
    const bad = await verify('không phải mốc');
    expect(bad.ok).toBe(false);
    expect(bad.anchorCheck?.message).toContain('định dạng');
  });
});
