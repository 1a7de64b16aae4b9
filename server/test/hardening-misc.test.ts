import { openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo.js';
import { createLogger } from '../src/logger.js';
import { errorAck } from '../src/plugins/errors.js';
import { createUser, login, makeApp, seedBank, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let admin: string;

beforeAll(async () => {
  t = await makeApp();
  s = await seedBank(t);
  await createUser(t.db, { username: 'quantri', fullName: 'Quản trị', roles: ['admin'] });
  admin = await login(t.app, 'quantri');
});
afterAll(() => t.close());

describe('a full disk (issue 14, item 4)', () => {
  it('a log destination that fails (ENOSPC on /dev/full) never ends the process', async () => {
    const { logger, stream } = createLogger('info', openSync('/dev/full', 'w'));
    for (let i = 0; i < 5; i++) logger.info({ i }, 'dòng nhật ký');
    // writes are sequential: this callback runs after the five above were tried
    await new Promise<void>((resolve) => stream.write('x\n', () => resolve()));
    expect(stream.failed).toBe(6);
    expect(stream.lastError).toBe('ENOSPC');
  });

  it('SQLITE_FULL answers 503 DISK_FULL in Vietnamese on HTTP and in socket acks', async () => {
    // a real SQLite "database or disk is full": no page may be added to the file, and the tables a
    // failed sign-in writes to are packed to the last byte
    const sqlite = t.db.$client;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    const fills = [
      sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)'),
      sqlite.prepare(
        "INSERT INTO audit_log (ts, actor_name, action, entity, detail, prev_hash, hash) VALUES ('t', 'x', 'fill', 'x', ?, ?, 'h')",
      ),
    ];
    let fullError: unknown = null;
    let n = 0;
    for (const size of [2000, 400, 80, 16, 1])
      for (const fill of fills)
        for (let i = 0; i < 100_000; i++) {
          try {
            fill.run(`fill-${n++}`, 'x'.repeat(size));
          } catch (err) {
            if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
            fullError = err;
            break;
          }
        }
    expect(fullError).not.toBeNull();
    try {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'quantri', password: 'sai-mat-khau' },
      });
      expect(bad.statusCode).toBe(503);
      expect(bad.json().error.code).toBe('DISK_FULL');
      expect(bad.json().error.message).toContain('Ổ đĩa');
      // a socket command's error ack (flag, proctor actions) maps the same SQLite error
      const ack = errorAck(fullError);
      expect(ack).toMatchObject({ ok: false, code: 'DISK_FULL' });
      expect(ack.message).toContain('Ổ đĩa');
    } finally {
      sqlite.pragma('max_page_count = 1073741823');
      sqlite.exec("DELETE FROM settings WHERE key LIKE 'fill-%'");
    }
  });

  it('the status route says when free space on DATA_DIR falls below the threshold', async () => {
    const get = async () => (await t.app.inject({ url: '/api/system/status', headers: { cookie: s.board } })).json();
    t.config.diskWarnBytes = 0;
    expect((await get()).diskLow).toBe(false);
    t.config.diskWarnBytes = Number.MAX_SAFE_INTEGER;
    const low = await get();
    expect(low.diskLow).toBe(true);
    expect(low.diskFreeBytes).toBeGreaterThan(0);
    t.config.diskWarnBytes = 1024 ** 3;
    expect((await t.app.inject({ url: '/api/system/status', headers: { cookie: s.authorA } })).statusCode).toBe(403);
  });
});

describe('browser hardening and smaller points (issue 14, item 9)', () => {
  it('a text/plain cross-origin POST is refused; the same origin is not', async () => {
    const evil = await t.app.inject({
      method: 'POST',
      url: '/api/admin/backups',
      headers: { cookie: admin, origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('ORIGIN_REFUSED');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/admin/backups',
      headers: { cookie: admin, origin: 'http://localhost:3000', host: 'localhost:3000' },
    });
    expect(own.statusCode).toBe(201);
  });

  it('every answer carries a CSP with frame-ancestors and X-Frame-Options', async () => {
    const r = await t.app.inject({ url: '/api/health' });
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  it('marking and key-correction routes answer 404 for an exam that does not exist', async () => {
    for (const url of ['/api/exams/99999/marking', '/api/exams/99999/key-corrections', '/api/exams/99999/results']) {
      const r = await t.app.inject({ url, headers: { cookie: s.board } });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('EXAM_NOT_FOUND');
    }
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/exams/99999/key-corrections',
      headers: { cookie: s.board },
      payload: { versionId: 1, kind: 'void', mode: 'full_marks', reason: 'thử' },
    });
    expect(post.statusCode).toBe(404);
  });

  it('a second --demo start appends no audit rows', async () => {
    const fresh = await makeApp();
    try {
      await loadDemo(fresh.app);
      const before = fresh.db.$client.prepare('SELECT COUNT(*) FROM audit_log').pluck().get();
      await loadDemo(fresh.app);
      expect(fresh.db.$client.prepare('SELECT COUNT(*) FROM audit_log').pluck().get()).toBe(before);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
