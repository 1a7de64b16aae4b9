import type { AddressInfo } from 'node:net';
import type {
  AnswerAck,
  AttemptDto,
  CandidateClientToServer,
  CandidateServerToClient,
  ProctorClientToServer,
  ProctorServerToClient,
} from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, makeApp, PASSWORD, readyExam, seedBank, type TestApp } from './helpers.js';

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;
type ProcSocket = Socket<ProctorServerToClient, ProctorClientToServer>;

let t: TestApp;
let base: string;
let s: Awaited<ReturnType<typeof seedBank>>;
let ex: Awaited<ReturnType<typeof readyExam>>;
let admin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await makeApp();
  s = await seedBank(t);
  ex = await readyExam(t, s, { candidates: 3, durationMin: 30 });
  await createUser(t.db, { username: 'quantri', fullName: 'Quản trị', roles: ['admin'] });
  admin = await login(t.app, 'quantri');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const x of sockets.splice(0)) x.disconnect();
  await t.close();
});

const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

function socket<S extends Socket>(nsp: string, cookie: string): Promise<S> {
  const sock = connect(`${base}${nsp}`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  }) as S;
  sockets.push(sock);
  return new Promise((resolve, reject) => {
    sock.on('connect', () => resolve(sock));
    sock.on('connect_error', reject);
  });
}
function once<T>(sock: Socket, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}"`)), 10_000);
    sock.once(event, (p: T) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
}

describe('sessions can be revoked (issue 14, item 6)', () => {
  it('a cookie stops working after sign-out', async () => {
    const c = await login(t.app, 'authorB');
    expect((await me(c)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c } });
    expect(out.statusCode).toBe(200);
    // a copy of the cookie kept by someone else no longer works
    expect((await me(c)).statusCode).toBe(401);
  });

  it('a password change ends the other sessions; the changing one gets a fresh cookie', async () => {
    const other = await login(t.app, 'reviewerA');
    const c = await login(t.app, 'reviewerA');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { current: PASSWORD, next: 'Moi@2026-matkhau' },
    });
    expect(r.statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    expect((await me(c)).statusCode).toBe(401);
    const fresh = r.cookies.find((x) => x.name === 'session');
    expect((await me(`session=${fresh?.value}`)).statusCode).toBe(200);
  });

  it('a role change and the admin\'s "sign out everywhere" end the sessions', async () => {
    const id = t.db.$client.prepare("SELECT id FROM users WHERE username = 'authrev'").pluck().get() as number;
    const c1 = await login(t.app, 'authrev');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { cookie: admin }, payload: { roles: ['author'] } });
    expect((await me(c1)).statusCode).toBe(401);
    const c2 = await login(t.app, 'authrev');
    expect((await me(c2)).statusCode).toBe(200);
    const r = await t.app.inject({ method: 'POST', url: `/api/users/${id}/sign-out-everywhere`, headers: { cookie: admin } });
    expect(r.statusCode).toBe(200);
    expect((await me(c2)).statusCode).toBe(401);
    const audit = t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'user.sign_out_everywhere'").pluck().get();
    expect(audit).toBe(1);
    const notAdmin = await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/sign-out-everywhere`,
      headers: { cookie: s.board },
    });
    expect(notAdmin.statusCode).toBe(403);
  });

  it('a session has an absolute lifetime from its sign-in, whatever the renewals', async () => {
    const id = t.db.$client.prepare("SELECT id FROM users WHERE username = 'authorA'").pluck().get() as number;
    const sv = t.db.$client.prepare('SELECT session_version FROM users WHERE id = ?').pluck().get(id) as number;
    const now = Math.floor(Date.now() / 1000);
    const young = await t.app.signToken({ kind: 'staff', sv, at: now - 60 }, String(id), 600);
    const old = await t.app.signToken({ kind: 'staff', sv, at: now - t.config.sessionMaxSec - 60 }, String(id), 600);
    const legacy = await t.app.signToken({ kind: 'staff' }, String(id), 600);
    expect((await me(`session=${young}`)).statusCode).toBe(200);
    expect((await me(`session=${old}`)).statusCode).toBe(401);
    expect((await me(`session=${legacy}`)).statusCode).toBe(401);
  });
});

describe('live sockets re-check the user (issue 14, item 5)', () => {
  it('a deactivated invigilator is cut off and gets no more seats', async () => {
    const roomId = ex.roomIds[0] as number;
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    const gid = t.db.$client.prepare("SELECT id FROM users WHERE username = 'giamthi'").pluck().get() as number;
    t.db.$client
      .prepare('INSERT INTO room_invigilators (sitting_id, room_id, user_id) VALUES (?, ?, ?)')
      .run(ex.sittingId, roomId, gid);
    const inv = await login(t.app, 'giamthi');
    const sock = await socket<ProcSocket>('/proctor', inv);
    const watched = await sock.emitWithAck('watchRoom', { sittingId: ex.sittingId, roomId });
    expect(watched.ok).toBe(true);
    const revoked = once<{ code: string }>(sock, 'revoked');
    const closed = once<string>(sock, 'disconnect');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${gid}`, headers: { cookie: admin }, payload: { active: false } });
    expect((await revoked).code).toBe('SESSION_ENDED');
    expect(await closed).toBe('io server disconnect');
    // and a socket opened before, on a session that has since ended, gets nothing on its next command
    await t.app.inject({ method: 'PATCH', url: `/api/users/${gid}`, headers: { cookie: admin }, payload: { active: true } });
    const inv2 = await login(t.app, 'giamthi');
    const sock2 = await socket<ProcSocket>('/proctor', inv2);
    t.db.$client.prepare('UPDATE users SET session_version = session_version + 1 WHERE id = ?').run(gid);
    const r = await sock2.emitWithAck('watchRoom', { sittingId: ex.sittingId, roomId });
    expect(r).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
  });

  it('a candidate socket re-checks its device on every command', async () => {
    const p = ex.pins[2];
    if (!p) throw new Error('pin');
    const signIn = async (deviceId: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/candidate/login',
        payload: { number: p.number, pin: p.pin, deviceId },
      });
      expect(r.statusCode, r.body).toBe(200);
      return `cand=${r.cookies.find((x) => x.name === 'cand')?.value}`;
    };
    const cookie = await signIn('may-tinh-01');
    const sock = await socket<CandSocket>('/candidate', cookie);
    // the device binding changes behind the socket's back (no hook fired): the next command is refused
    t.db.$client.prepare("UPDATE candidate_devices SET device_id = 'may-khac' WHERE candidate_id = ?").run(p.candidateId);
    const r = await sock.emitWithAck('flag', { attemptId: 1, questionNo: 1, flagged: true });
    expect(r).toMatchObject({ ok: false, code: 'DEVICE_REPLACED' });
  });
});

describe('two tabs, one question (issue 14, item 3)', () => {
  it('one live socket per candidate; a refused older answer acks with the stored one; seq is bounded', async () => {
    const p = ex.pins[1];
    if (!p) throw new Error('pin');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/candidate/login',
      payload: { number: p.number, pin: p.pin, deviceId: 'may-tinh-07' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const cookie = `cand=${r.cookies.find((x) => x.name === 'cand')?.value}`;
    const start = await t.app.inject({ method: 'POST', url: `/api/candidate/parts/${ex.partId}/start`, headers: { cookie } });
    const attempt = start.json() as AttemptDto;
    const q = attempt.questions[0];
    if (!q) throw new Error('question');
    const [optA, optB] = q.options.map((o) => o.id);
    const tab1 = await socket<CandSocket>('/candidate', cookie);
    const newer: AnswerAck = await tab1.emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [optB as string],
      seq: 5,
    });
    expect(newer).toMatchObject({ ok: true, applied: true });
    // a second tab opens: the first is told and closed
    const told = once<{ message: string }>(tab1, 'elsewhere');
    const tab2 = await socket<CandSocket>('/candidate', cookie);
    expect((await told).message).toContain('cửa sổ');
    // the second tab's older answer is refused, and its ack says what the server holds
    const older: AnswerAck = await tab2.emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [optA as string],
      seq: 3,
    });
    expect(older).toMatchObject({ ok: true, applied: false, stored: { choice: [optB], seq: 5 } });
    // seq 2^63 (and anything above the bound) is refused with a stable code, and later answers still apply
    const huge: AnswerAck = await tab2.emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [optA as string],
      seq: 2 ** 63,
    });
    expect(huge).toMatchObject({ ok: false, code: 'SEQ_OUT_OF_RANGE' });
    const http = await t.app.inject({
      method: 'POST',
      url: `/api/candidate/attempts/${attempt.attemptId}/answers`,
      headers: { cookie },
      payload: { questionNo: 1, choice: [optA], seq: 2 ** 63 },
    });
    expect(http.statusCode).toBe(400);
    const later: AnswerAck = await tab2.emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [optA as string],
      seq: 6,
    });
    expect(later).toMatchObject({ ok: true, applied: true });
  });
});
