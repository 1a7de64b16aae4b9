import type { AddressInfo } from 'node:net';
import type { CandidateClientToServer, CandidateServerToClient, LockdownSettingsDto } from '@exam/shared';
import { parse } from 'plist';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configKey, requestHash, type SebConfig, sebJson, sha256Hex } from '../src/modules/lockdown/seb.js';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let base: string;
let examId: number;
let pins: { candidateId: number; number: string; pin: string }[];
const sockets: CandSocket[] = [];

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
  ({ examId, pins } = await readyExam(t, s));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const sock of sockets.splice(0)) sock.disconnect();
  await t.close();
});

/** The board requires SEB; returns the .seb file as downloaded and the key the server announces. */
async function requireSeb(): Promise<{ file: string; headerKey: string; settings: LockdownSettingsDto }> {
  const put = await fetch(`${base}/api/exams/${examId}/lockdown`, {
    method: 'PUT',
    headers: { cookie: s.board, 'content-type': 'application/json' },
    body: JSON.stringify({ sebRequired: true }),
  });
  expect(put.status).toBe(200);
  const settings = (await put.json()) as LockdownSettingsDto;
  const dl = await fetch(`${base}/api/exams/${examId}/seb-config`, { headers: { cookie: s.board } });
  expect(dl.status).toBe(200);
  expect(dl.headers.get('content-type')).toContain('application/seb');
  return { file: await dl.text(), headerKey: dl.headers.get('x-seb-config-key') ?? '', settings };
}

/** The Config Key SEB computes from the .seb file it opened: parse the property list, hash its SEB-JSON. */
function keyOfFile(file: string): string {
  const parsed = parse(file);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Date || parsed instanceof Uint8Array)
    throw new Error('not a dictionary');
  return configKey(parsed as SebConfig);
}

function login(number: string, pin: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ number, pin, deviceId: 'device-seb-0001' }),
  });
}

const hashFor = (url: string, key: string) => ({ 'x-safeexambrowser-configkeyhash': requestHash(url, key) });

function socketFor(cookie: string, headers: Record<string, string>): Promise<CandSocket> {
  const sock: CandSocket = connect(`${base}/candidate`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie, ...headers },
    reconnection: false,
  });
  sockets.push(sock);
  return new Promise((resolve, reject) => {
    sock.on('connect', () => resolve(sock));
    sock.on('connect_error', (e) => reject(Object.assign(e, { code: (e as { data?: { code?: string } }).data?.code })));
  });
}

describe('Safe Exam Browser', () => {
  it('the generated .seb file has the Config Key the server checks', async () => {
    const { file, headerKey, settings } = await requireSeb();
    expect(file).toContain('<key>startURL</key>');
    expect(file).toContain(`<string>${base}/thi-sinh</string>`);
    expect(settings.sebConfigKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOfFile(file)).toBe(settings.sebConfigKey);
    expect(headerKey).toBe(settings.sebConfigKey);
    // the key follows the configuration: another start page is another key
    const other = await fetch(`${base}/api/exams/${examId}/lockdown`, {
      method: 'PUT',
      headers: { cookie: s.board, 'content-type': 'application/json' },
      body: JSON.stringify({ sebStartUrl: 'http://10.0.0.5:3000/thi-sinh' }),
    });
    const changed = (await other.json()) as LockdownSettingsDto;
    expect(changed.sebConfigKey).not.toBe(settings.sebConfigKey);
    const dl = await fetch(`${base}/api/exams/${examId}/seb-config`, { headers: { cookie: s.board } });
    expect(keyOfFile(await dl.text())).toBe(changed.sebConfigKey);
  });

  it('refuses candidate requests without the header, accepts the right hash, refuses a hash for another URL', async () => {
    const p = pins[0];
    if (!p) throw new Error('no pin');
    // before the board requires SEB, nothing is asked
    const free = await login(p.number, p.pin);
    expect(free.status).toBe(200);
    await fetch(`${base}/api/candidate/logout`, {
      method: 'POST',
      headers: { cookie: (free.headers.get('set-cookie') ?? '').split(';')[0] ?? '' },
    });

    const { file } = await requireSeb();
    const key = keyOfFile(file);
    const loginUrl = `${base}/api/candidate/login`;

    const none = await login(p.number, p.pin);
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('SEB_REQUIRED');

    const wrongUrl = await login(p.number, p.pin, hashFor(`${base}/api/candidate/me`, key));
    expect(wrongUrl.status).toBe(403);
    expect(((await wrongUrl.json()) as { error: { code: string } }).error.code).toBe('SEB_CONFIG_MISMATCH');

    const wrongKey = await login(p.number, p.pin, hashFor(loginUrl, sha256Hex('another configuration')));
    expect(wrongKey.status).toBe(403);

    const ok = await login(p.number, p.pin, hashFor(loginUrl, key));
    expect(ok.status).toBe(200);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    // every later request is checked against its own URL
    const meUrl = `${base}/api/candidate/me`;
    expect((await fetch(meUrl, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(meUrl, { headers: { cookie, ...hashFor(loginUrl, key) } })).status).toBe(403);
    expect((await fetch(meUrl, { headers: { cookie, ...hashFor(meUrl, key) } })).status).toBe(200);

    // where SEB cannot send headers: the JavaScript API's hash for the page, on this server only
    const page = `${base}/thi-sinh`;
    const js = (pageUrl: string) => ({ 'x-exam-seb-page': pageUrl, 'x-exam-seb-configkey': requestHash(pageUrl, key) });
    expect((await fetch(meUrl, { headers: { cookie, ...js(page) } })).status).toBe(200);
    expect((await fetch(meUrl, { headers: { cookie, ...js('http://elsewhere.example/thi-sinh') } })).status).toBe(403);
    expect(
      (await fetch(meUrl, { headers: { cookie, 'x-exam-seb-page': page, 'x-exam-seb-configkey': requestHash(meUrl, key) } }))
        .status,
    ).toBe(403);

    // the socket handshake too
    await expect(socketFor(cookie, {})).rejects.toMatchObject({ code: 'SEB_REQUIRED' });
    const wsUrl = `${base}/socket.io/?EIO=4&transport=websocket`;
    await expect(socketFor(cookie, hashFor(`${base}/socket.io/?EIO=4&transport=polling`, key))).rejects.toMatchObject({
      code: 'SEB_CONFIG_MISMATCH',
    });
    const sock = await socketFor(cookie, hashFor(wsUrl, key));
    expect(sock.connected).toBe(true);

    // staff routes are not candidate requests
    expect((await fetch(`${base}/api/exams/${examId}/lockdown`, { headers: { cookie: s.board } })).status).toBe(200);
  });

  it('a board user only may require SEB; a bad start page is refused with a reason', async () => {
    const bad = await fetch(`${base}/api/exams/${examId}/lockdown`, {
      method: 'PUT',
      headers: { cookie: s.board, 'content-type': 'application/json' },
      body: JSON.stringify({ sebRequired: true, sebStartUrl: 'ftp://x.example/' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('SEB_START_URL_INVALID');
    const author = await fetch(`${base}/api/exams/${examId}/lockdown`, {
      method: 'PUT',
      headers: { cookie: s.authorA, 'content-type': 'application/json' },
      body: JSON.stringify({ sebRequired: true }),
    });
    expect(author.status).toBe(403);
    const noSeb = await fetch(`${base}/api/exams/${examId}/seb-config`, { headers: { cookie: s.board } });
    expect(noSeb.status).toBe(409);
  });
});

describe('SEB-JSON', () => {
  it('sorts keys case-insensitively (lower case first) at every depth, drops empty dictionaries and originatorVersion', () => {
    const json = sebJson({
      originatorVersion: 'x',
      allowWLAN: true,
      allowWlan: false,
      b: { z: 1, A: 'a\\b', empty: {} },
      a: [{ y: 2, x: 'http://h/p' }],
      d: new Uint8Array([1, 2, 3]),
    });
    expect(json).toBe('{"a":[{"x":"http://h/p","y":2}],"allowWlan":false,"allowWLAN":true,"b":{"A":"a\\b","z":1},"d":"AQID"}');
  });
});
