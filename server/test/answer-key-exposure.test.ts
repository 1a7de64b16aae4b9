import type { AddressInfo } from 'node:net';
import type { AnswerAck, AttemptDto, CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * The answer-key check (issue 16): everything a candidate's session can make the server send —
 * the candidate flow itself, then every route the app has, called with the candidate's cookie, and
 * every Socket.IO frame — is searched for anything that gives an answer away: an option's
 * `correct` flag, a key field, the exam secret (which seeds the papers and keys the PINs).
 */

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

/** keys that carry an answer key or a secret, wherever they appear */
const FORBIDDEN_KEYS = new Set([
  'secret',
  'answerKey',
  'key',
  'keys',
  'correctOptions',
  'correctOptionIds',
  'partialCredit',
  'seed',
]);

interface Leak {
  where: string;
  path: string;
  what: string;
}

/** Walks a JSON value; `correct` is allowed only as a count (a part's result), never as an option's flag. */
function leaksIn(where: string, value: unknown, secret: string, path = '$'): Leak[] {
  if (typeof value === 'string') return value.includes(secret) ? [{ where, path, what: 'the exam secret' }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaksIn(where, v, secret, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const out: Leak[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(k)) out.push({ where, path: `${path}.${k}`, what: `field "${k}"` });
    if ((k === 'correct' || k === 'isCorrect') && typeof v !== 'number') {
      out.push({ where, path: `${path}.${k}`, what: 'an option flagged correct' });
    }
    out.push(...leaksIn(where, v, secret, `${path}.${k}`));
  }
  return out;
}

let t: TestApp;
let base: string;
let ctx: Awaited<ReturnType<typeof readyExam>>;
let secret: string;
const seen: { where: string; status: number; body: string; contentType: string }[] = [];
const frames: { event: string; args: unknown[] }[] = [];

async function call(cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const buf = Buffer.from(await r.arrayBuffer());
  const text = buf.toString('latin1').includes('%PDF') ? buf.toString('latin1') : buf.toString('utf8');
  seen.push({ where: `${method} ${path}`, status: r.status, body: text, contentType: r.headers.get('content-type') ?? '' });
  return { status: r.status, text };
}

beforeAll(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  ctx = await readyExam(t, s, { candidates: 2 });
  const row: unknown = t.db.$client.prepare('SELECT secret FROM exams WHERE id = ?').pluck().get(ctx.examId);
  if (typeof row !== 'string' || row.length < 16) throw new Error('exam secret missing');
  secret = row;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${(addr as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

describe('answer keys never reach a candidate', () => {
  it('not in the candidate flow, any route the candidate session can call, nor any socket frame', async () => {
    const p = ctx.pins[0];
    if (!p) throw new Error('no pin');
    const login = await fetch(`${base}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: p.number, pin: p.pin, deviceId: 'device-key-check' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    seen.push({ where: 'POST /api/candidate/login', status: 200, body: await login.text(), contentType: 'application/json' });

    const sock: CandSocket = connect(`${base}/candidate`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
    });
    sock.onAny((event: string, ...args: unknown[]) => frames.push({ event, args }));
    await new Promise<void>((resolve, reject) => {
      sock.on('connect', () => resolve());
      sock.on('connect_error', reject);
    });

    // the flow a candidate goes through
    await call(cookie, 'GET', '/api/candidate/me');
    await call(cookie, 'POST', '/api/candidate/acknowledge', {});
    const started = await call(cookie, 'POST', `/api/candidate/parts/${ctx.partId}/start`, {});
    expect(started.status).toBe(200);
    const attempt: AttemptDto = JSON.parse(started.text);
    const attemptId = attempt.attemptId;
    await call(cookie, 'GET', `/api/candidate/attempts/${attemptId}`);
    const q1 = attempt.questions[0];
    if (!q1?.options[0]) throw new Error('no question');
    const ack = (await sock
      .timeout(5000)
      .emitWithAck('answer', { attemptId, questionNo: 1, choice: [q1.options[0].id], seq: 1 })) as AnswerAck;
    frames.push({ event: 'ack:answer', args: [ack] });
    expect(ack).toMatchObject({ ok: true });
    const sync = await sock.timeout(5000).emitWithAck('sync', { attemptId, clientNow: Date.now() });
    frames.push({ event: 'ack:sync', args: [sync] });
    await call(cookie, 'POST', `/api/candidate/attempts/${attemptId}/answers`, {
      questionNo: 2,
      choice: [attempt.questions[1]?.options[0]?.id ?? 'A'],
      seq: 2,
    });
    await call(cookie, 'POST', `/api/candidate/attempts/${attemptId}/flags`, { questionNo: 2, flagged: true });
    const submitted = await call(cookie, 'POST', `/api/candidate/attempts/${attemptId}/submit`, {});
    expect(submitted.status).toBe(200);
    await call(cookie, 'GET', `/api/candidate/attempts/${attemptId}`);
    await call(cookie, 'GET', '/api/candidate/me');

    // then every route the app has, with the candidate's cookie and this exam's ids in its path
    const spec = t.app.swagger();
    const ids: Record<string, number> = {
      id: ctx.examId,
      examId: ctx.examId,
      partId: ctx.partId,
      attemptId,
      sittingId: ctx.sittingId,
      roomId: ctx.roomIds[0] ?? 1,
      candidateId: p.candidateId,
    };
    let routes = 0;
    for (const [path, ops] of Object.entries(spec.paths ?? {})) {
      for (const method of Object.keys(ops ?? {})) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        if (path === '/api/candidate/logout') continue; // last, below
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => String(ids[name] ?? 1));
        await call(cookie, method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {});
        routes += 1;
      }
    }
    expect(routes).toBeGreaterThan(50);
    await call(cookie, 'POST', '/api/candidate/logout', {});
    sock.disconnect();

    // staff routes refuse the candidate's session
    const staffAnswers = seen.filter((r) =>
      /^(GET|POST|PUT|PATCH|DELETE) \/api\/(exams|subjects|questions|proctor|users|audit)/.test(r.where),
    );
    expect(staffAnswers.length).toBeGreaterThan(20);
    expect(staffAnswers.filter((r) => r.status < 400).map((r) => r.where)).toEqual([]);

    const leaks: Leak[] = [];
    for (const r of seen) {
      if (r.body.includes(secret)) leaks.push({ where: r.where, path: '(raw)', what: 'the exam secret' });
      if (!r.contentType.includes('json')) continue;
      const parsed: unknown = JSON.parse(r.body);
      leaks.push(...leaksIn(r.where, parsed, secret));
    }
    for (const f of frames) leaks.push(...leaksIn(`socket ${f.event}`, f.args, secret));
    expect(frames.length).toBeGreaterThan(1);
    expect(leaks).toEqual([]);
  });

  it('the checker itself finds a flagged option, a key field and the secret', () => {
    const s = 'x'.repeat(20);
    expect(leaksIn('w', { questions: [{ options: [{ id: 'A', text: 'a', correct: true }] }] }, s)).toHaveLength(1);
    expect(leaksIn('w', { part: { answerKey: ['A'] } }, s)).toHaveLength(1);
    expect(leaksIn('w', { note: `seed ${s}` }, s)).toHaveLength(1);
    expect(leaksIn('w', { result: { correct: 12, total: 30 } }, s)).toEqual([]);
  });
});
