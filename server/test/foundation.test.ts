import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createUser, json, login, makeApp, PASSWORD, type TestApp } from './helpers.js';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('foundation', () => {
  it('answers health and serves an OpenAPI 3 document built from the route schemas', async () => {
    t = await makeApp();
    const h = await t.app.inject({ url: '/api/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(await t.app.inject({ url: '/api/openapi.json' }));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/subjects/{id}/questions', '/api/auth/login']),
    );
    const ui = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('opens SQLite in WAL mode with synchronous=FULL and foreign keys on', async () => {
    t = await makeApp();
    const s = t.db.$client;
    expect(s.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses to start when a route does not declare who may call it', async () => {
    t = await makeApp();
    const config = loadConfig({ DATA_DIR: t.dir }, { clientDir: null });
    const Fastify = (await import('fastify')).default;
    const authPlugin = (await import('../src/plugins/auth.js')).default;
    const f = Fastify();
    await f.register((await import('@fastify/cookie')).default);
    await f.register(authPlugin, { db: t.db, config });
    await f.after();
    expect(() => f.get('/api/undeclared', async () => ({}))).toThrow(/does not declare config.access/);
    await f.close();
  });
});

describe('auth', () => {
  it('signs in with a short-lived httpOnly SameSite=strict cookie and says why on 401/403', async () => {
    t = await makeApp();
    await createUser(t.db, { username: 'author1', fullName: 'Tác giả', roles: ['author'] });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'author1', password: 'wrong' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('BAD_CREDENTIALS');
    expect(bad.json().error.message).toBe('Sai tên đăng nhập hoặc mật khẩu');

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'author1', password: PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    const c = ok.cookies.find((x) => x.name === 'session');
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Strict');
    expect(c?.maxAge).toBe(1800);

    const anon = await t.app.inject({ url: '/api/auth/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('AUTH_REQUIRED');

    const cookie = `session=${c?.value}`;
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ username: 'author1', roles: ['author'] });

    const forbidden = await t.app.inject({ url: '/api/users', headers: { cookie } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN_ROLE');
    expect(forbidden.json().error.message).toContain('Quản trị hệ thống');
  });

  it('rate-limits sign-in attempts', async () => {
    t = await makeApp({ loginRateLimit: 5 });
    await createUser(t.db, { username: 'x1', fullName: 'X', roles: ['board'] });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x1', password: 'nope' } });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x1', password: PASSWORD } });
    expect(r.statusCode).toBe(429);
    expect(r.json().error.code).toBe('RATE_LIMITED');
  });

  it('lets the admin manage accounts and roles; a disabled account cannot sign in', async () => {
    t = await makeApp();
    await createUser(t.db, { username: 'root', fullName: 'Admin', roles: ['admin'] });
    const admin = await login(t.app, 'root');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { username: 'gt1', fullName: 'Giám thị 1', password: 'Giamthi@123', roles: ['invigilator'] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const upd = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: { cookie: admin },
      payload: { roles: ['invigilator', 'board'], active: false },
    });
    expect(upd.json()).toMatchObject({ roles: ['invigilator', 'board'], active: false });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gt1', password: 'Giamthi@123' },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('audit chain', () => {
  it('verifies, and names the first tampered row', async () => {
    t = await makeApp();
    await createUser(t.db, { username: 'root', fullName: 'Admin', roles: ['admin'] });
    const admin = await login(t.app, 'root');
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/subjects',
        headers: { cookie: admin },
        payload: { code: `S${i}`, name: `Môn ${i}` },
      });
    }
    const v1 = (await t.app.inject({ url: '/api/audit/verify', headers: { cookie: admin } })).json();
    expect(v1.ok).toBe(true);
    expect(v1.rows).toBeGreaterThanOrEqual(6);

    // the table is append-only
    expect(() => t.db.$client.prepare("UPDATE audit_log SET actor_name = 'x' WHERE id = 3").run()).toThrow(/append-only/);
    expect(() => t.db.$client.prepare('DELETE FROM audit_log WHERE id = 3').run()).toThrow(/append-only/);

    // someone with file access drops the guard and edits row 4
    const raw = new Database(t.config.dbFile);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare(`UPDATE audit_log SET detail = '{"forged":true}' WHERE id = 4`).run();
    raw.close();
    const v2 = (await t.app.inject({ url: '/api/audit/verify', headers: { cookie: admin } })).json();
    expect(v2.ok).toBe(false);
    expect(v2.firstBroken).toMatchObject({ id: 4, reason: 'hash_mismatch' });
  });

  it('detects a deleted row', async () => {
    t = await makeApp();
    await createUser(t.db, { username: 'root', fullName: 'Admin', roles: ['admin'] });
    const admin = await login(t.app, 'root');
    for (let i = 0; i < 4; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/subjects',
        headers: { cookie: admin },
        payload: { code: `S${i}`, name: `Môn ${i}` },
      });
    }
    const raw = new Database(t.config.dbFile);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE id = 2').run();
    raw.close();
    const v = (await t.app.inject({ url: '/api/audit/verify', headers: { cookie: admin } })).json();
    expect(v.firstBroken).toMatchObject({ id: 3, reason: 'prev_hash_mismatch' });
  });
});
