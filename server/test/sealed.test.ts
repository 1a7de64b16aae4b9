import type { AddressInfo } from 'node:net';
import type {
  AnswerAck,
  AttemptDto,
  CandidateClientToServer,
  CandidateQuestionDto,
  CandidateServerToClient,
  PaperKeyDto,
  PrefetchPlanDto,
} from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperKey, unseal } from '../src/modules/delivery/sealed.js';
import { encodePaper, regeneratePaper } from '../src/modules/exams/papers.js';
import { renderExamViews, renderPaperItems } from '../src/modules/exams/paperView.js';
import { createUser, makeApp, readyExam, seedBank, login as staffLogin, type TestApp } from './helpers.js';

/**
 * Issue 15, behaviour (not timing): 300 candidates prefetch their sealed papers while waiting; at
 * the scheduled opening each gets its key over the socket and its paper opens to exactly the paper
 * the auditor regenerates; nothing before the opening carries question text; a late candidate gets
 * the paper in the start's response; a reconnect (reload) during the wait needs no new download.
 */

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

let t: TestApp;
let base: string;
const sockets: CandSocket[] = [];
/** every frame and response seen by a candidate before the opening */
let before: { what: string; bytes: Buffer }[] = [];
let recording = true;
const record = (what: string, bytes: Buffer | string) => {
  if (recording) before.push({ what, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes) });
};

async function req(cookie: string, path: string, method = 'GET'): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const r = await fetch(`${base}${path}`, { method, headers: cookie ? { cookie } : {} });
  const bytes = Buffer.from(await r.arrayBuffer());
  record(`${method} ${path}`, bytes);
  return { status: r.status, bytes, headers: r.headers };
}

async function candidateLogin(number: string, pin: string, deviceId: string): Promise<string> {
  const r = await fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number, pin, deviceId }),
  });
  record('login', Buffer.from(await r.arrayBuffer()));
  expect(r.status).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

function socketFor(cookie: string, keys: PaperKeyDto[]): Promise<CandSocket> {
  const sock: CandSocket = connect(`${base}/candidate`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(sock);
  // every raw frame the server sends, before the opening
  sock.io.on('open', () => sock.io.engine.on('message', (data: unknown) => record('frame', String(data))));
  sock.on('paperKey', (k) => keys.push(k));
  return new Promise((resolve, reject) => {
    sock.on('connect', () => resolve(sock));
    sock.on('connect_error', reject);
  });
}

/** Downloads a sealed paper, waiting when the server says it is busy. */
async function download(cookie: string, partId: number): Promise<{ sealed: Buffer; version: number }> {
  for (;;) {
    const r = await req(cookie, `/api/candidate/parts/${partId}/sealed`);
    if (r.status === 503) {
      const body = JSON.parse(r.bytes.toString()) as { error: { code: string; details: { retryAfterMs: number } } };
      expect(body.error.code).toBe('PREFETCH_BUSY');
      expect(r.headers.get('retry-after')).toBeTruthy();
      await new Promise((ok) => setTimeout(ok, body.error.details.retryAfterMs));
      continue;
    }
    expect(r.status).toBe(200);
    return { sealed: r.bytes, version: Number(r.headers.get('x-paper-version')) };
  }
}

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
};

beforeEach(async () => {
  t = await makeApp();
  before = [];
  recording = true;
});
afterEach(async () => {
  for (const sock of sockets.splice(0)) sock.disconnect();
  await t.close();
});

async function listen(): Promise<void> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** Every question and option text of the bank: none may reach a candidate before the opening. */
function questionTexts(): string[] {
  const rows = t.db.$client.prepare('SELECT stem, options FROM question_versions').all() as { stem: string; options: string }[];
  return rows.flatMap((r) => [r.stem, ...(JSON.parse(r.options) as { text: string }[]).map((o) => o.text)]);
}

/** The view the auditor's regenerated paper renders to. */
async function auditorView(examId: number, partId: number, candidateId: number): Promise<Buffer> {
  const exam = t.db.$client.prepare('SELECT secret FROM exams WHERE id = ?').get(examId) as { secret: string };
  const part = ctx.exams.partRow(partId);
  const stored = t.db.$client
    .prepare('SELECT attempt, bank_version AS bankVersion FROM papers WHERE part_id = ? AND candidate_id = ?')
    .get(partId, candidateId) as { attempt: number; bankVersion: string };
  return renderPaperItems(t.db, encodePaper((await regeneratePaper(t.db, exam, part, candidateId, stored)).paper));
}

let ctx: Awaited<ReturnType<typeof readyExam>>;

describe('sealed papers', () => {
  it('300 candidates: prefetched sealed, keys at the opening, each paper is the auditor’s; nothing readable before; a late candidate and a reload', async () => {
    const s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 300, startsInMin: 30, pin: '246810' });
    await listen();
    const texts = questionTexts();
    expect(texts.length).toBeGreaterThan(6);
    // rendered once at "ready": one view per paper
    const views = t.db.$client.prepare('SELECT COUNT(*) FROM paper_views').pluck().get();
    expect(views).toBe(300);
    expect(renderExamViews(t.db, ctx.examId)).toBe(0); // nothing left to render

    const late = ctx.pins[299];
    const waiting = ctx.pins.slice(0, 299);
    const notAcked = waiting[0];
    const clients: {
      candidateId: number;
      cookie: string;
      keys: PaperKeyDto[];
      sealed: Buffer | null;
      version: number;
      sock: CandSocket;
    }[] = [];
    const startsAt = Date.now() + 30 * 60_000;
    for (const [i, c] of waiting.entries()) {
      if (!c) continue;
      const cookie = await candidateLogin(c.number, c.pin, `sealed-dev-${i}-0000`);
      const keys: PaperKeyDto[] = [];
      const sock = await socketFor(cookie, keys);
      clients.push({ candidateId: c.candidateId, cookie, keys, sealed: null, version: 0, sock });
      if (c === notAcked) continue; // has not acknowledged the rules: no plan, no download, no key
      expect((await req(cookie, '/api/candidate/acknowledge', 'POST')).status).toBe(200);
    }
    // the rules first
    const first = clients[0];
    if (!first) throw new Error('no client');
    const refused = await req(first.cookie, `/api/candidate/parts/${ctx.partId}/sealed`);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.bytes.toString()).error.code).toBe('RULES_NOT_ACKNOWLEDGED');
    expect((JSON.parse((await req(first.cookie, '/api/candidate/prefetch')).bytes.toString()) as PrefetchPlanDto).items).toEqual(
      [],
    );

    // the plan spreads the downloads over the wait, ending before the opening
    const fetchAts: number[] = [];
    for (const c of clients.slice(1)) {
      const plan = JSON.parse((await req(c.cookie, '/api/candidate/prefetch')).bytes.toString()) as PrefetchPlanDto;
      expect(plan.items).toHaveLength(1);
      const item = plan.items[0];
      if (!item) throw new Error('no item');
      expect(item.partId).toBe(ctx.partId);
      expect(item.fetchAt).toBeGreaterThanOrEqual(plan.serverNow);
      expect(item.fetchAt).toBeLessThan(startsAt);
      fetchAts.push(item.fetchAt);
      const d = await download(c.cookie, ctx.partId);
      expect(d.sealed.length).toBe(item.bytes);
      c.sealed = d.sealed;
      c.version = d.version;
    }
    expect(new Set(fetchAts.map((x) => Math.floor(x / 60_000))).size).toBeGreaterThan(3); // minutes apart, not all at once
    // a candidate signed in, with the rules acknowledged, but not connected when the sitting opens
    const offline = clients[3];
    if (!offline) throw new Error('no client');
    offline.sock.disconnect();
    // a start before the opening is refused, without the paper
    const early = await req(clients[1]?.cookie ?? '', `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(early.status).toBe(409);

    // a reload during the wait: a new socket on the same session; the paper downloaded before it is kept
    const reloaded = clients[2];
    if (!reloaded) throw new Error('no client');
    reloaded.sock.disconnect();
    reloaded.sock = await socketFor(reloaded.cookie, reloaded.keys);

    // nothing a candidate received so far holds any question or option text
    for (const f of before)
      for (const text of texts) expect(f.bytes.includes(Buffer.from(text)), `${f.what}: "${text}"`).toBe(false);
    expect(before.filter((f) => f.what === 'frame').length).toBeGreaterThanOrEqual(waiting.length); // the recorder saw the sockets' frames

    // the scheduled opening, moved to now (the loop arms a timer for the instant)
    recording = false;
    t.db.$client
      .prepare('UPDATE sittings SET starts_at = ? WHERE id = ?')
      .run(new Date(Date.now() + 1500).toISOString(), ctx.sittingId);
    const withRules = clients.slice(1).filter((c) => c !== offline);
    await until(() => withRules.every((c) => c.keys.length > 0), 20_000, 'every key');
    expect(first.keys).toEqual([]); // no rules acknowledged, no key
    expect(offline.keys).toEqual([]); // not connected: no key, no attempt; it starts as a late arrival
    expect(t.sealed.lastRelease?.keys).toBe(297);
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM attempts').pluck().get()).toBe(297);

    for (const c of withRules) {
      const key = c.keys[0];
      if (!key || !c.sealed) throw new Error('missing');
      expect(key.partId).toBe(ctx.partId);
      expect(key.version).toBe(c.version);
      const view = unseal(c.sealed, Buffer.from(key.key, 'base64'));
      // exactly the paper the auditor regenerates (from the seed, not from the stored items)
      expect(view.equals(await auditorView(ctx.examId, ctx.partId, c.candidateId))).toBe(true);
    }
    // a key opens only its own paper
    const [a, b] = withRules;
    if (!a?.sealed || !b?.keys[0]) throw new Error('missing');
    expect(() => unseal(a.sealed as Buffer, Buffer.from(b.keys[0]?.key ?? '', 'base64'))).toThrow();

    // the start asks only for the key (the paper is held); the answer path is unchanged
    const started = JSON.parse(
      (await req(a.cookie, `/api/candidate/parts/${ctx.partId}/start?paper=key`, 'POST')).bytes.toString(),
    ) as AttemptDto;
    expect(started.questions).toEqual([]);
    const { attempt: pushed, ...pushedKey } = a.keys[0] ?? { partId: 0, version: 0, key: '' };
    expect(started.paperKey).toEqual(pushedKey);
    // the opening started the part: the key message carried the attempt and its running clock
    expect(pushed?.attemptId).toBe(started.attemptId);
    expect(pushed?.timing.state).toBe('running');
    const questions = JSON.parse(
      unseal(a.sealed, Buffer.from(started.paperKey?.key ?? '', 'base64')).toString(),
    ) as CandidateQuestionDto[];
    const q1 = questions[0];
    if (!q1?.options[0]) throw new Error('no question');
    const ack = (await a.sock.timeout(5000).emitWithAck('answer', {
      attemptId: started.attemptId,
      questionNo: 1,
      choice: [q1.options[0].id],
      seq: 1,
    })) as AnswerAck;
    expect(ack.ok).toBe(true);
    // a reload after the start: the stored view, identical to the key holder's paper
    const again = JSON.parse(
      (await req(a.cookie, `/api/candidate/attempts/${started.attemptId}`)).bytes.toString(),
    ) as AttemptDto;
    expect(again.questions).toEqual(questions);
    expect(again.answers).toEqual({ 1: [q1.options[0].id] });

    // a late candidate: signs in after the opening and gets the stored paper in the start's response
    if (!late) throw new Error('no late candidate');
    const lateCookie = await candidateLogin(late.number, late.pin, 'sealed-dev-late-0000');
    await req(lateCookie, '/api/candidate/acknowledge', 'POST');
    const cold = await req(lateCookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(cold.status).toBe(200);
    // the check above would see question text: this response (after the opening) holds it
    expect(texts.some((x) => cold.bytes.includes(Buffer.from(x)))).toBe(true);
    const coldDto = JSON.parse(cold.bytes.toString()) as AttemptDto;
    expect(
      Buffer.from(JSON.stringify(coldDto.questions)).equals(await auditorView(ctx.examId, ctx.partId, late.candidateId)),
    ).toBe(true);
    expect(coldDto.timing.state).toBe('running');
  }, 180_000);

  it('the invigilator opens one room: its waiting candidates get their keys, the other room’s do not', async () => {
    const s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 4, rooms: 2, startsInMin: 30, pin: '246810' });
    await listen();
    const rooms = new Map(
      (
        t.db.$client.prepare('SELECT candidate_id AS c, room_id AS r FROM seat_assignments').all() as { c: number; r: number }[]
      ).map((x) => [x.c, x.r]),
    );
    const roomA = ctx.roomIds[0] as number;
    const cs: { candidateId: number; keys: PaperKeyDto[]; sealed: Buffer }[] = [];
    for (const [i, p] of ctx.pins.entries()) {
      const cookie = await candidateLogin(p.number, p.pin, `sealed-room-${i}-000`);
      await req(cookie, '/api/candidate/acknowledge', 'POST');
      const keys: PaperKeyDto[] = [];
      await socketFor(cookie, keys);
      cs.push({ candidateId: p.candidateId, keys, sealed: (await download(cookie, ctx.partId)).sealed });
    }
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    const inv = await staffLogin(t.app, 'giamthi');
    t.db.$client
      .prepare('INSERT INTO room_invigilators (sitting_id, room_id, user_id) SELECT ?, ?, id FROM users WHERE username = ?')
      .run(ctx.sittingId, roomA, 'giamthi');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}/actions`,
      headers: { cookie: inv },
      payload: { action: 'open_sitting', reason: 'Đủ điều kiện bắt đầu' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const inA = cs.filter((c) => rooms.get(c.candidateId) === roomA);
    expect(inA.length).toBeGreaterThan(0);
    await until(() => inA.every((c) => c.keys.length === 1), 10_000, 'keys of room A');
    for (const c of inA) {
      const key = c.keys[0] as PaperKeyDto;
      expect(
        unseal(c.sealed, Buffer.from(key.key, 'base64')).equals(await auditorView(ctx.examId, ctx.partId, c.candidateId)),
      ).toBe(true);
      const secret = t.db.$client.prepare('SELECT secret FROM exams WHERE id = ?').pluck().get(ctx.examId) as string;
      const paperId = t.db.$client.prepare('SELECT id FROM papers WHERE candidate_id = ?').pluck().get(c.candidateId) as number;
      expect(key.key).toBe(paperKey(secret, paperId, key.version).toString('base64'));
    }
    for (const c of cs.filter((x) => rooms.get(x.candidateId) !== roomA)) expect(c.keys).toEqual([]);
  }, 60_000);

  it('individual timing: the opening starts the part only of those holding their sealed paper; the others’ clock starts at their own start', async () => {
    const s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 2, rooms: 1, startsInMin: 30, pin: '246810' });
    expect(t.delivery.timingMode(ctx.examId)).toBe('individual');
    await listen();
    const cs: { candidateId: number; cookie: string; keys: PaperKeyDto[] }[] = [];
    for (const [i, p] of ctx.pins.entries()) {
      const cookie = await candidateLogin(p.number, p.pin, `sealed-ind-${i}-000`);
      await req(cookie, '/api/candidate/acknowledge', 'POST');
      const keys: PaperKeyDto[] = [];
      await socketFor(cookie, keys);
      cs.push({ candidateId: p.candidateId, cookie, keys });
    }
    const [holder, without] = cs;
    if (!holder || !without) throw new Error('two candidates');
    await download(holder.cookie, ctx.partId); // the other one's prefetch never happened
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    const inv = await staffLogin(t.app, 'giamthi');
    t.db.$client
      .prepare('INSERT INTO room_invigilators (sitting_id, room_id, user_id) SELECT ?, ?, id FROM users WHERE username = ?')
      .run(ctx.sittingId, ctx.roomIds[0], 'giamthi');
    const openedAt = Date.now();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/proctor/sittings/${ctx.sittingId}/rooms/${ctx.roomIds[0]}/actions`,
      headers: { cookie: inv },
      payload: { action: 'open_sitting', reason: 'Đủ điều kiện bắt đầu' },
    });
    expect(r.statusCode, r.body).toBe(200);
    await until(() => holder.keys.length === 1 && without.keys.length === 1, 10_000, 'the keys');
    const startedAt = (candidateId: number) =>
      t.db.$client.prepare('SELECT started_at FROM attempts WHERE candidate_id = ?').pluck().get(candidateId) as
        | number
        | undefined;
    // the holder's part started at the opening: its question 1 shows with the key
    expect(holder.keys[0]?.attempt).toBeDefined();
    expect(startedAt(holder.candidateId)).toBeGreaterThanOrEqual(openedAt);
    // the other one has nothing to show yet: the key alone, no attempt, no clock running
    expect(without.keys[0]?.attempt).toBeUndefined();
    expect(startedAt(without.candidateId)).toBeUndefined();
    await new Promise((ok) => setTimeout(ok, 30));
    const pressed = Date.now();
    const start = await req(without.cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(start.status).toBe(200);
    const dto = JSON.parse(start.bytes.toString()) as AttemptDto;
    expect(dto.questions.length).toBeGreaterThan(0);
    expect(startedAt(without.candidateId)).toBeGreaterThanOrEqual(pressed);
    // its deadline counts from its own start, not from the opening
    expect(dto.timing.startedAt).toBeGreaterThanOrEqual(pressed);
    expect(dto.timing.deadline).toBeGreaterThan(holder.keys[0]?.attempt?.timing.deadline ?? Number.POSITIVE_INFINITY);
  }, 60_000);

  it('a replaced question renders again only the papers holding it, under a new key', async () => {
    const s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 6, startsInMin: 30 });
    const rows = t.db.$client.prepare('SELECT paper_id AS id, version, view FROM paper_views').all() as {
      id: number;
      version: number;
      view: Buffer;
    }[];
    const items = new Map(
      (t.db.$client.prepare('SELECT id, items FROM papers').all() as { id: number; items: string }[]).map((p) => [p.id, p.items]),
    );
    const versionId = (JSON.parse(items.get(rows[0]?.id ?? 0) ?? '[]') as [number][])[0]?.[0] ?? 0;
    const holding = rows.filter((r) => (JSON.parse(items.get(r.id) ?? '[]') as [number][]).some((i) => i[0] === versionId));
    expect(holding.length).toBeGreaterThan(0);
    expect(renderExamViews(t.db, ctx.examId, { versionIds: [versionId] })).toBe(holding.length);
    const after = new Map(
      (t.db.$client.prepare('SELECT paper_id AS id, version FROM paper_views').all() as { id: number; version: number }[]).map(
        (r) => [r.id, r.version],
      ),
    );
    for (const r of rows) expect(after.get(r.id)).toBe(holding.some((h) => h.id === r.id) ? 2 : 1);
  });
});
