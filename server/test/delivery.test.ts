import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { AnswerAck, AttemptDto, CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let base: string;
let pins: { candidateId: number; number: string; pin: string }[];
let partId: number;
const sockets: CandSocket[] = [];

async function listen(app: TestApp['app']): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function login(
  number: string,
  pin: string,
  deviceId = 'device-0001',
): Promise<{ status: number; cookie: string; body: unknown }> {
  const r = await fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number, pin, deviceId }),
  });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: r.status, cookie, body: await r.json() };
}

async function api<T>(cookie: string, path: string, method = 'GET', body?: unknown): Promise<{ status: number; json: T }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: (await r.json()) as T };
}

function socketFor(cookie: string): Promise<CandSocket> {
  const sock: CandSocket = connect(`${base}/candidate`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
  });
  sockets.push(sock);
  return new Promise((resolve, reject) => {
    sock.on('connect', () => resolve(sock));
    sock.on('connect_error', reject);
  });
}

const answer = (sock: CandSocket, attemptId: number, questionNo: number, choice: string[], seq: number) =>
  sock.timeout(5000).emitWithAck('answer', { attemptId, questionNo, choice, seq }) as Promise<AnswerAck>;

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
  ({ partId, pins } = await readyExam(t, s, {
    stemHtml: `<img src="data:image/png;base64,${PNG.toString('base64')}" alt="sơ đồ">`,
  }));
  base = await listen(t.app);
});
afterEach(async () => {
  for (const sock of sockets.splice(0)) sock.disconnect();
  await t.close();
});

describe('delivery', () => {
  it('acks answers after commit, ignores older replays, never sends the key, and refuses a second device', async () => {
    const p = pins[0];
    if (!p) throw new Error('no pin');
    const bad = await login(p.number, '000000' === p.pin ? '111111' : '000000');
    expect(bad.status).toBe(401);
    const { cookie, status } = await login(p.number, p.pin);
    expect(status).toBe(200);
    const started = await api<AttemptDto>(cookie, `/api/candidate/parts/${partId}/start`, 'POST');
    expect(started.status).toBe(200);
    const attempt = started.json;
    expect(attempt.questions).toHaveLength(2);
    expect(JSON.stringify(attempt)).not.toMatch(/correct/i);
    const q1 = attempt.questions[0];
    if (!q1) throw new Error('no question');
    const sock = await socketFor(cookie);
    const ack = await answer(sock, attempt.attemptId, 1, [q1.options[1]?.id ?? ''], 2);
    expect(ack).toMatchObject({ ok: true, seq: 2, applied: true });
    // the ack came after commit: the row is readable at once
    const row = () =>
      t.db.$client.prepare('SELECT choice, seq FROM answers WHERE attempt_id = ? AND question_no = 1').get(attempt.attemptId);
    expect(row()).toEqual({ choice: JSON.stringify([q1.options[1]?.id]), seq: 2 });
    // an older replay is harmless
    const replay = await answer(sock, attempt.attemptId, 1, [q1.options[0]?.id ?? ''], 1);
    expect(replay).toMatchObject({ ok: true, seq: 1, applied: false });
    // the same seq again (a replay after a lost ack) is applied idempotently: same row
    expect(await answer(sock, attempt.attemptId, 1, [q1.options[1]?.id ?? ''], 2)).toMatchObject({ ok: true, applied: false });
    expect(row()).toEqual({ choice: JSON.stringify([q1.options[1]?.id]), seq: 2 });
    // bad messages get an error ack
    expect(await answer(sock, attempt.attemptId, 9, ['A'], 3)).toMatchObject({ ok: false, code: 'QUESTION_INVALID' });
    expect(await answer(sock, attempt.attemptId, 1, ['Z'], 3)).toMatchObject({ ok: false, code: 'CHOICE_INVALID' });
    expect(
      await (sock.timeout(5000).emitWithAck('answer', {
        attemptId: attempt.attemptId,
        questionNo: 'x',
        choice: 5,
        seq: -1,
      } as never) as Promise<AnswerAck>),
    ).toMatchObject({ ok: false, code: 'INVALID_MESSAGE' });
    // another candidate's attempt is not reachable
    const other = pins[1];
    if (!other) throw new Error('no pin');
    const c2 = await login(other.number, other.pin, 'device-0002');
    const sock2 = await socketFor(c2.cookie);
    expect(await answer(sock2, attempt.attemptId, 1, ['A'], 5)).toMatchObject({ ok: false, code: 'FORBIDDEN_ATTEMPT' });
    // images: those in the candidate's own paper only
    const img = /\/api\/images\/([0-9a-f]{64})/.exec(q1.stem)?.[1];
    expect(img).toBeDefined();
    expect((await fetch(`${base}/api/images/${img}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base}/api/images/${img}`)).status).toBe(401);
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie: s.authorA, 'content-type': 'image/gif' },
      payload: gif,
    });
    expect((await fetch(`${base}/api/images/${up.json().id}`, { headers: { cookie } })).status).toBe(403);
    // one device per attempt
    const second = await login(p.number, p.pin, 'device-9999');
    expect(second.status).toBe(409);
    expect((second.body as { error: { code: string } }).error.code).toBe('DEVICE_LOCKED');
  });

  it('enforces the deadline, and submits with no client connected', async () => {
    const p = pins[0];
    if (!p) throw new Error('no pin');
    const { cookie } = await login(p.number, p.pin);
    const attempt = (await api<AttemptDto>(cookie, `/api/candidate/parts/${partId}/start`, 'POST')).json;
    const first = attempt.questions[0]?.options.find(() => true)?.id ?? '';
    const http = await api<AnswerAck>(cookie, `/api/candidate/attempts/${attempt.attemptId}/answers`, 'POST', {
      questionNo: 1,
      choice: [first],
      seq: 1,
    });
    expect(http.json).toMatchObject({ ok: true, seq: 1 });
    // the paper started 2 minutes ago (a 1-minute part): past the deadline and the replay grace
    t.db.$client
      .prepare("UPDATE attempt_events SET at = at - 120000 WHERE attempt_id = ? AND kind = 'start'")
      .run(attempt.attemptId);
    t.delivery.forget(attempt.attemptId);
    const late = await api<AnswerAck>(cookie, `/api/candidate/attempts/${attempt.attemptId}/answers`, 'POST', {
      questionNo: 2,
      choice: [attempt.questions[1]?.options[0]?.id ?? ''],
      seq: 2,
    });
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ ok: false, code: 'DEADLINE_PASSED' });
    // nobody is connected; the server loop submits the attempt by itself
    const status = () =>
      t.db.$client.prepare('SELECT status, submit_reason AS reason, total FROM attempts WHERE id = ?').get(attempt.attemptId);
    for (let i = 0; i < 50 && (status() as { status: string }).status !== 'submitted'; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(status()).toEqual({ status: 'submitted', reason: 'deadline', total: 2 });
    const me = await api<{ parts: { status: string; result: { total: number } | null }[] }>(cookie, '/api/candidate/me');
    expect(me.json.parts[0]).toMatchObject({ status: 'submitted', result: { total: 2 } });
  });

  it('after a restart on the same database file the attempt resumes with its answers and flags', async () => {
    const p = pins[0];
    if (!p) throw new Error('no pin');
    const { cookie } = await login(p.number, p.pin);
    const attempt = (await api<AttemptDto>(cookie, `/api/candidate/parts/${partId}/start`, 'POST')).json;
    const sock = await socketFor(cookie);
    const c1 = attempt.questions[0]?.options[2]?.id ?? '';
    const c2 = attempt.questions[1]?.options[0]?.id ?? '';
    expect((await answer(sock, attempt.attemptId, 1, [c1], 1)).ok).toBe(true);
    expect((await answer(sock, attempt.attemptId, 2, [c2], 2)).ok).toBe(true);
    expect(await sock.timeout(5000).emitWithAck('flag', { attemptId: attempt.attemptId, questionNo: 2, flagged: true })).toEqual({
      ok: true,
    });
    sock.disconnect();
    const remaining = attempt.timing.remainingMs ?? 0;
    await t.app.close();
    // the same file, a new process-worth of state
    const again = await buildApp(t.config, { loops: false });
    try {
      await again.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(again.app.server.address() as AddressInfo).port}`;
      const relog = await login(p.number, p.pin);
      expect(relog.status).toBe(200);
      const resumed = await api<AttemptDto>(relog.cookie, `/api/candidate/parts/${partId}/start`, 'POST');
      expect(resumed.json.attemptId).toBe(attempt.attemptId);
      expect(resumed.json.questions).toEqual(attempt.questions); // the same paper
      expect(resumed.json.answers).toEqual({ 1: [c1], 2: [c2] });
      expect(resumed.json.flags).toEqual([2]);
      expect(resumed.json.lastSeq).toBe(2);
      expect(resumed.json.timing.remainingMs).toBeLessThanOrEqual(remaining);
      expect(resumed.json.timing.state).toBe('running');
    } finally {
      await again.app.close();
      const dir = t.dir;
      t = { ...t, close: async () => rmSync(dir, { recursive: true, force: true }) };
    }
  });
});
