import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type {
  AnswerAck,
  AttemptDto,
  AttemptTimingDto,
  CandidateClientToServer,
  CandidateMeDto,
  CandidateServerToClient,
  ProctorActionResult,
  ProctorClientToServer,
  ProctorServerToClient,
  RoomClosingDto,
  RoomDashboardDto,
  RoomRefDto,
  SealResultDto,
  SeatDto,
  SittingOverviewDto,
} from '@exam/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, makeApp, readyExam, seedBank, login as staffLogin, type TestApp } from './helpers.js';

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;
type ProcSocket = Socket<ProctorServerToClient, ProctorClientToServer>;

let t: TestApp;
let base: string;
let ctx: Awaited<ReturnType<typeof readyExam>>;
let invA: string;
let invB: string;
let board: string;
/** candidates of room A (first) and room B */
let roomA: number;
let roomB: number;
let candA: { candidateId: number; number: string; pin: string };
let candA2: { candidateId: number; number: string; pin: string };
let candB: { candidateId: number; number: string; pin: string };
const sockets: Socket[] = [];

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

async function api<T>(cookie: string, path: string, method = 'GET', body?: unknown): Promise<{ status: number; json: T }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: (text ? JSON.parse(text) : null) as T };
}

async function candLogin(c: { number: string; pin: string }, deviceId = `dev-${c.number}`): Promise<string> {
  const r = await fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number: c.number, pin: c.pin, deviceId }),
  });
  if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

function socket<S extends Socket>(nsp: string, cookie: string): Promise<S> {
  const sock = connect(`${base}${nsp}`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true, // one connection per simulated browser, each with its own cookie
  }) as S;
  sockets.push(sock);
  return new Promise((resolve, reject) => {
    sock.on('connect', () => resolve(sock));
    sock.on('connect_error', reject);
  });
}

function next<T>(sock: Socket, event: string, ms = 3000, pred: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    const on = (p: T) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      sock.off(event, on);
      resolve(p);
    };
    sock.on(event, on);
  });
}

const act = (cookie: string, roomId: number, body: Record<string, unknown>) =>
  api<ProctorActionResult & { error?: { code: string; message: string } }>(
    cookie,
    `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomId}/actions`,
    'POST',
    body,
  );

async function startPart(cookie: string): Promise<AttemptDto> {
  const r = await api<AttemptDto>(cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
  expect(r.status).toBe(200);
  return r.json;
}

beforeEach(async () => {
  t = await makeApp();
  const s = await seedBank(t);
  ctx = await readyExam(t, s, { candidates: 4, rooms: 2, durationMin: 20, startsInMin: 30, pin: '135790' });
  [roomA, roomB] = ctx.roomIds as [number, number];
  await createUser(t.db, { username: 'giamthiA', fullName: 'Giám thị A', roles: ['invigilator'] });
  await createUser(t.db, { username: 'giamthiB', fullName: 'Giám thị B', roles: ['invigilator'] });
  const idOf = (u: string) => t.db.$client.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number;
  t.db.$client
    .prepare('INSERT INTO room_invigilators (sitting_id, room_id, user_id) VALUES (?, ?, ?), (?, ?, ?)')
    .run(ctx.sittingId, roomA, idOf('giamthiA'), ctx.sittingId, roomB, idOf('giamthiB'));
  invA = await staffLogin(t.app, 'giamthiA');
  invB = await staffLogin(t.app, 'giamthiB');
  board = s.board;
  const seated = t.db.$client
    .prepare('SELECT candidate_id AS id, room_id AS roomId FROM seat_assignments WHERE sitting_id = ? ORDER BY room_id, seat_no')
    .all(ctx.sittingId) as { id: number; roomId: number }[];
  const pin = (id: number) => {
    const p = ctx.pins.find((x) => x.candidateId === id);
    if (!p) throw new Error('no pin');
    return p;
  };
  const inA = seated.filter((x) => x.roomId === roomA).map((x) => pin(x.id));
  const inB = seated.filter((x) => x.roomId === roomB).map((x) => pin(x.id));
  [candA, candA2] = inA as unknown as [typeof candA, typeof candA];
  candB = inB[0] as typeof candB;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await t.close();
});

/** Opens room A (as its invigilator) and starts candA's paper; returns the candidate's cookie, socket and attempt. */
async function running(c = candA) {
  const open = await act(invA, roomA, { action: 'open_sitting', reason: 'Đủ điều kiện bắt đầu' });
  expect([200, 409]).toContain(open.status);
  const cookie = await candLogin(c);
  const sock = await socket<CandSocket>('/candidate', cookie);
  const attempt = await startPart(cookie);
  return { cookie, sock, attempt };
}

describe('who sees what', () => {
  it('an invigilator of room A sees and acts on room A only; the board sees every room', async () => {
    const mine = await api<RoomRefDto[]>(invA, '/api/proctor/rooms');
    expect(mine.status).toBe(200);
    expect(mine.json.map((r) => r.roomId)).toEqual([roomA]);
    const all = await api<RoomRefDto[]>(board, '/api/proctor/rooms');
    expect(all.json.map((r) => r.roomId).sort()).toEqual([roomA, roomB].sort());

    expect((await api(invA, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomB}`)).status).toBe(403);
    expect((await api(invB, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}`)).status).toBe(403);
    expect((await api(invB, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomB}`)).status).toBe(200);
    const refused = await act(invA, roomB, { action: 'open_sitting', reason: 'thử' });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('FORBIDDEN_ROOM');
    // nothing was written
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM incidents').pluck().get()).toBe(0);
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM room_openings').pluck().get()).toBe(0);
    // acting on a candidate of another room through one's own room is refused too
    const stranger = await act(invA, roomA, { action: 'message', candidateIds: [candB.candidateId], text: 'x', reason: 'y' });
    expect(stranger.status).toBe(400);
    expect(stranger.json.error?.code).toBe('CANDIDATE_NOT_IN_ROOM');

    const sock = await socket<ProcSocket>('/proctor', invA);
    const denied = await sock.timeout(3000).emitWithAck('watchRoom', { sittingId: ctx.sittingId, roomId: roomB });
    expect(denied).toMatchObject({ ok: false, code: 'FORBIDDEN_ROOM' });
    const overview = await sock.timeout(3000).emitWithAck('watchSitting', { sittingId: ctx.sittingId });
    expect(overview).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    expect((await api(invA, `/api/proctor/sittings/${ctx.sittingId}/overview`)).status).toBe(403);

    const boardSock = await socket<ProcSocket>('/proctor', board);
    const ov = (await boardSock.timeout(3000).emitWithAck('watchSitting', { sittingId: ctx.sittingId })) as {
      ok: true;
      data: SittingOverviewDto;
    };
    expect(ov.ok).toBe(true);
    expect(ov.data.rooms).toHaveLength(2);
    expect(ov.data.totals.not_signed_in).toBe(4);

    // a candidate cookie or no cookie cannot open the proctor namespace
    await expect(socket<ProcSocket>('/proctor', '')).rejects.toThrow();
  });

  it('every action needs a reason; nothing is written without one', async () => {
    for (const body of [
      { action: 'open_sitting', reason: '   ' },
      { action: 'pause', reason: '' },
      { action: 'message', text: 'Xin chào', reason: ' ' },
    ]) {
      const r = await act(invA, roomA, body);
      expect(r.status).toBe(400);
      expect(['REASON_REQUIRED', 'VALIDATION']).toContain(r.json.error?.code);
    }
    const missing = await act(invA, roomA, { action: 'open_sitting' });
    expect(missing.status).toBe(400);
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM incidents').pluck().get()).toBe(0);
  });
});

describe('actions reach the candidate', () => {
  it('opening the room lets its candidates start, with an incident and an audit row; other rooms still wait', async () => {
    const cookieA = await candLogin(candA);
    const cookieB = await candLogin(candB);
    const sockA = await socket<CandSocket>('/candidate', cookieA);
    const early = await api<{ error: { code: string } }>(cookieA, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('SITTING_NOT_OPEN');

    const opened = next<{ at: number }>(sockA, 'opened');
    const r = await act(invA, roomA, { action: 'open_sitting', reason: 'Phòng đã đủ thí sinh, máy sẵn sàng' });
    expect(r.status).toBe(200);
    expect(r.json.incidents[0]).toMatchObject({ action: 'open_sitting', invigilator: 'Giám thị A' });
    await opened;
    expect((await api<CandidateMeDto>(cookieA, '/api/candidate/me')).json.sitting?.opened).toBe(true);
    expect((await api<CandidateMeDto>(cookieB, '/api/candidate/me')).json.sitting?.opened).toBe(false);
    const attempt = await startPart(cookieA);
    expect(attempt.timing.state).toBe('running');
    expect((await api(cookieB, `/api/candidate/parts/${ctx.partId}/start`, 'POST')).status).toBe(409);

    const again = await act(invA, roomA, { action: 'open_sitting', reason: 'lần nữa' });
    expect(again.status).toBe(409);
    const audit = t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'proctor.open_sitting'").pluck().get();
    expect(audit).toBe(1);
  });

  it('a pause stops the clock on the server and a resume moves the deadline by the paused time', async () => {
    const { sock, attempt } = await running();
    const before = attempt.timing;
    const paused = next<{ timing: AttemptTimingDto }>(sock, 'timing');
    const r = await act(invA, roomA, { action: 'pause', candidateIds: [candA.candidateId], reason: 'Máy bị treo' });
    expect(r.status).toBe(200);
    expect(r.json.affected).toBe(1);
    const p = await paused;
    expect(p.timing.state).toBe('paused');
    const frozen = t.delivery.timing(attempt.attemptId).remainingMs;
    await new Promise((res) => setTimeout(res, 400));
    expect(t.delivery.timing(attempt.attemptId).remainingMs).toBe(frozen);
    const refused = (await sock.timeout(3000).emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: ['a'],
      seq: 1,
    })) as AnswerAck;
    expect(refused).toMatchObject({ ok: false, code: 'PAUSED' });

    const resumed = next<{ timing: AttemptTimingDto }>(sock, 'timing');
    expect((await act(invA, roomA, { action: 'resume', candidateIds: [candA.candidateId], reason: 'Đã sửa máy' })).status).toBe(
      200,
    );
    const q = await resumed;
    expect(q.timing.state).toBe('running');
    expect((q.timing.deadline ?? 0) - (before.deadline ?? 0)).toBeGreaterThanOrEqual(400);
    expect(q.timing.pausedMs).toBeGreaterThanOrEqual(400);
    const kinds = t.db.$client
      .prepare('SELECT kind FROM attempt_events WHERE attempt_id = ? ORDER BY id')
      .pluck()
      .all(attempt.attemptId);
    expect(kinds).toEqual(['start', 'pause', 'resume']);
    expect(
      t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action IN ('proctor.pause', 'proctor.resume')").pluck().get(),
    ).toBe(2);
  });

  it('pausing the whole room pauses every running paper; a second pause changes nothing', async () => {
    const a1 = await running(candA);
    const a2 = await running(candA2);
    const r = await act(invA, roomA, { action: 'pause', reason: 'Mất điện' });
    expect(r.json.affected).toBe(2);
    expect(t.delivery.timing(a1.attempt.attemptId).state).toBe('paused');
    expect(t.delivery.timing(a2.attempt.attemptId).state).toBe('paused');
    expect((await act(invA, roomA, { action: 'pause', reason: 'Mất điện' })).json.affected).toBe(0);
    expect((await act(invA, roomA, { action: 'resume', reason: 'Có điện' })).json.affected).toBe(2);
  });

  it('an extension moves the deadline by exactly the minutes given and shows on the candidate screen', async () => {
    const { sock, attempt } = await running();
    const deadline = t.delivery.timing(attempt.attemptId).deadline ?? 0;
    const pushed = next<{ timing: AttemptTimingDto }>(sock, 'timing');
    const noMinutes = await act(invA, roomA, { action: 'extend', candidateIds: [candA.candidateId], reason: 'Máy hỏng' });
    expect(noMinutes.status).toBe(400);
    const r = await act(invA, roomA, {
      action: 'extend',
      candidateIds: [candA.candidateId],
      minutes: 5,
      reason: 'Máy hỏng 5 phút',
    });
    expect(r.status).toBe(200);
    expect(r.json.incidents[0]?.details).toMatchObject({ minutes: 5 });
    const p = await pushed;
    expect(p.timing.deadline).toBe(deadline + 5 * 60_000);
    expect(p.timing.extendedMs).toBe(5 * 60_000);
    expect(t.delivery.timing(attempt.attemptId).deadline).toBe(deadline + 5 * 60_000);
  });

  it('allowing a move cuts the old device off; the new PC resumes the same paper and answers', async () => {
    const { cookie, sock, attempt } = await running();
    const ack = (await sock.timeout(3000).emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [attempt.questions[0]?.options[0]?.id ?? 'a'],
      seq: 1,
    })) as AnswerAck;
    expect(ack.ok).toBe(true);
    // before the move, another PC is refused, and the dashboard warns
    const other = await fetch(`${base}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: candA.number, pin: candA.pin, deviceId: 'dev-new-pc-01' }),
    });
    expect(other.status).toBe(409);
    const seat = (await api<RoomDashboardDto>(invA, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}`)).json.seats.find(
      (x) => x.candidateId === candA.candidateId,
    );
    expect(seat?.otherDeviceTriedAt).not.toBeNull();

    const replaced = next<{ message: string }>(sock, 'replaced');
    const gone = new Promise<void>((res) => sock.on('disconnect', () => res()));
    const r = await act(invA, roomA, {
      action: 'allow_move',
      candidateIds: [candA.candidateId],
      reason: 'Máy số 1 hỏng bàn phím',
    });
    expect(r.status).toBe(200);
    await replaced;
    await gone;
    const old = await api<{ error: { code: string } }>(cookie, '/api/candidate/me');
    expect(old.status).toBe(409);
    expect(old.json.error.code).toBe('DEVICE_REPLACED');

    const fresh = await candLogin(candA, 'dev-new-pc-01');
    const resumed = await api<AttemptDto>(fresh, `/api/candidate/attempts/${attempt.attemptId}`);
    expect(resumed.status).toBe(200);
    expect(resumed.json.questions.map((q) => q.no)).toEqual(attempt.questions.map((q) => q.no));
    expect(resumed.json.answers[1]).toEqual([attempt.questions[0]?.options[0]?.id ?? 'a']);
    // the move is used up: a third PC is refused again
    const third = await fetch(`${base}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: candA.number, pin: candA.pin, deviceId: 'dev-third-pc-1' }),
    });
    expect(third.status).toBe(409);
  });

  it('a suspension ends the paper, bars later parts and is recorded as a sanction; a reprimand shows as a warning banner', async () => {
    const { cookie, sock, attempt } = await running();
    const saved = (await sock.timeout(3000).emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [attempt.questions[0]?.options[0]?.id ?? 'a'],
      seq: 1,
    })) as AnswerAck;
    expect(saved.ok).toBe(true);
    const banner = next<{ text: string; kind: string }>(sock, 'message');
    const warn = await act(invA, roomA, {
      action: 'sanction',
      candidateIds: [candA.candidateId],
      level: 'khien_trach',
      reason: 'Nói chuyện trong phòng thi',
    });
    expect(warn.status).toBe(200);
    expect((await banner).kind).toBe('warning');
    expect(t.delivery.timing(attempt.attemptId).state).toBe('running');

    const suspended = next<{ reason: string }>(sock, 'suspended');
    const submitted = next<{ reason: string }>(sock, 'submitted');
    const r = await act(invA, roomA, {
      action: 'sanction',
      candidateIds: [candA.candidateId],
      level: 'dinh_chi',
      reason: 'Sử dụng tài liệu trái phép',
    });
    expect(r.status).toBe(200);
    expect((await suspended).reason).toBe('Sử dụng tài liệu trái phép');
    expect((await submitted).reason).toBe('suspended');
    const row = t.db.$client.prepare('SELECT status, submit_reason AS reason FROM attempts WHERE id = ?').get(attempt.attemptId);
    expect(row).toEqual({ status: 'submitted', reason: 'suspended' });
    const codes = t.db.$client
      .prepare('SELECT code FROM sanctions WHERE candidate_id = ? ORDER BY id')
      .pluck()
      .all(candA.candidateId);
    expect(codes).toEqual(['khien_trach', 'dinh_chi']);
    const me = (await api<CandidateMeDto>(cookie, '/api/candidate/me')).json;
    expect(me.suspended).toBe(true);
    const dash = (await api<RoomDashboardDto>(invA, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}`)).json;
    const seat = dash.seats.find((x) => x.candidateId === candA.candidateId);
    expect(seat).toMatchObject({ state: 'suspended', answered: 1, total: 2, sanctions: ['khien_trach', 'dinh_chi'] });
    expect(seat?.part?.attemptId).toBe(attempt.attemptId);
    expect(me.suspensionReason).toBe('Sử dụng tài liệu trái phép');
    expect(
      (
        await act(invA, roomA, {
          action: 'sanction',
          candidateIds: [candA.candidateId],
          level: 'dinh_chi',
          reason: 'lần hai',
        })
      ).status,
    ).toBe(409);
  });

  it('a forced submission grades the paper; a message reaches the whole room', async () => {
    const { sock, attempt } = await running();
    const msg = next<{ text: string; kind: string }>(sock, 'message');
    const m = await act(invA, roomA, { action: 'message', text: 'Còn 15 phút', reason: 'Nhắc giờ' });
    expect(m.status).toBe(200);
    expect(await msg).toMatchObject({ text: 'Còn 15 phút', kind: 'info' });
    const submitted = next<{ reason: string }>(sock, 'submitted');
    const r = await act(invA, roomA, { action: 'force_submit', candidateIds: [candA.candidateId], reason: 'Thí sinh bỏ về' });
    expect(r.status).toBe(200);
    expect((await submitted).reason).toBe('invigilator');
    expect(
      (await act(invA, roomA, { action: 'force_submit', candidateIds: [candA.candidateId], reason: 'lại' })).json.error?.code,
    ).toBe('NOT_RUNNING');
    expect(t.db.$client.prepare('SELECT status FROM attempts WHERE id = ?').pluck().get(attempt.attemptId)).toBe('submitted');
  });
});

describe('the dashboard', () => {
  it('shows an answer on the seat map within a second, batched per room', async () => {
    const dash = await socket<ProcSocket>('/proctor', invA);
    const w = (await dash.timeout(3000).emitWithAck('watchRoom', { sittingId: ctx.sittingId, roomId: roomA })) as {
      ok: true;
      data: RoomDashboardDto;
    };
    expect(w.ok).toBe(true);
    expect(w.data.seats).toHaveLength(2);
    expect(w.data.seats.every((x) => x.state === 'not_signed_in')).toBe(true);

    const { sock, attempt } = await running();
    const seen = next<{ seats: SeatDto[] }>(dash, 'seats', 3000, (p) =>
      p.seats.some((x) => x.candidateId === candA.candidateId && x.answered === 1),
    );
    const sent = Date.now();
    const ack = (await sock.timeout(3000).emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 2,
      choice: [attempt.questions[1]?.options[0]?.id ?? 'a'],
      seq: 1,
    })) as AnswerAck;
    expect(ack.ok).toBe(true);
    const update = await seen;
    expect(Date.now() - sent).toBeLessThan(1000);
    const seat = update.seats.find((x) => x.candidateId === candA.candidateId);
    expect(seat).toMatchObject({ state: 'working', answered: 1, total: 2, connected: true });
    expect(seat?.lastSaveAt).not.toBeNull();
    expect(seat?.device?.ip).toBe('127.0.0.1');

    // disconnecting shows as "mất kết nối"
    const lost = next<{ seats: SeatDto[] }>(dash, 'seats', 3000, (p) =>
      p.seats.some((x) => x.candidateId === candA.candidateId && x.state === 'disconnected'),
    );
    sock.disconnect();
    await lost;
  });
});

describe('end of the sitting', () => {
  it('seals the sitting once every paper is in; the export matches its SHA-256; minutes and result sheet are PDFs', async () => {
    const { sock, attempt } = await running();
    await sock.timeout(3000).emitWithAck('answer', {
      attemptId: attempt.attemptId,
      questionNo: 1,
      choice: [attempt.questions[0]?.options[0]?.id ?? 'a'],
      seq: 1,
    });
    await act(invA, roomA, {
      action: 'sanction',
      candidateIds: [candA.candidateId],
      level: 'canh_cao',
      reason: 'Trao đổi bài với thí sinh bên cạnh',
    });
    // sealing an open sitting is refused, naming the rooms still open
    const early = await api<{ error: { code: string; message: string } }>(
      invA,
      `/api/proctor/sittings/${ctx.sittingId}/seal`,
      'POST',
      {},
    );
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('SITTING_NOT_CLOSED');
    expect(early.json.error.message).toMatch(/Còn phòng thi chưa đóng: P1 \(Đang thi\), P2 \(Chưa mở\)/);
    expect((await api(invA, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}/result-sheet.pdf`)).status).toBe(409);
    // a room with a paper still running cannot close
    const stillRunning = await act(invA, roomA, { action: 'close_room', reason: 'Hết giờ', absentees: [] });
    expect(stillRunning.status).toBe(409);
    expect(stillRunning.json.error?.code).toBe('ATTEMPTS_RUNNING');
    expect(stillRunning.json.error?.message).toContain(candA.number);

    await t.delivery.submit(attempt.attemptId, 'candidate');
    // the absentees must be confirmed exactly: candA2 never started
    const preview = await api<RoomClosingDto>(invA, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}/closing`);
    expect(preview.json.running).toEqual([]);
    expect(preview.json.absentees.map((a) => a.number)).toEqual([candA2.number]);
    const unconfirmed = await act(invA, roomA, { action: 'close_room', reason: 'Hết giờ', absentees: [] });
    expect(unconfirmed.json.error?.code).toBe('ABSENTEES_UNCONFIRMED');
    const closedA = await act(invA, roomA, { action: 'close_room', reason: 'Hết giờ', absentees: [candA2.candidateId] });
    expect(closedA.status).toBe(200);
    expect(closedA.json.incidents[0]?.details.absentees).toHaveLength(1);
    // a closed room refuses actions and new starts; the sitting still waits for room B
    const afterClose = await act(invA, roomA, { action: 'message', text: 'x', reason: 'y' });
    expect(afterClose.json.error?.code).toBe('ROOM_CLOSED');
    const stillB = await api<{ error: { code: string; message: string } }>(
      invA,
      `/api/proctor/sittings/${ctx.sittingId}/seal`,
      'POST',
      {},
    );
    expect(stillB.json.error.message).toMatch(/P2 \(Chưa mở\)/);
    // a room that never opened cannot close: the invigilator opens it (everyone absent), then closes it
    expect((await act(board, roomB, { action: 'close_room', reason: 'Hết giờ', absentees: [] })).json.error?.code).toBe(
      'ROOM_NOT_OPEN',
    );
    expect((await act(board, roomB, { action: 'open_sitting', reason: 'Giờ thi' })).status).toBe(200);
    const preB = await api<RoomClosingDto>(board, `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomB}/closing`);
    expect(
      (
        await act(board, roomB, {
          action: 'close_room',
          reason: 'Hết giờ',
          absentees: preB.json.absentees.map((a) => a.candidateId),
        })
      ).status,
    ).toBe(200);

    const sealed = await api<SealResultDto>(invA, `/api/proctor/sittings/${ctx.sittingId}/seal`, 'POST', { reason: 'Hết giờ' });
    expect(sealed.status).toBe(200);
    expect(sealed.json.attempts).toBe(1);
    expect(sealed.json.answers).toBe(1);
    // after the seal: sign-in, actions and starts are refused with their own codes
    const late = await fetch(`${base}/api/candidate/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: candB.number, pin: candB.pin, deviceId: 'late-pc-0001' }),
    });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('SITTING_SEALED');
    expect((await act(board, roomB, { action: 'message', text: 'x', reason: 'y' })).json.error?.code).toBe('SITTING_SEALED');
    const file = await fetch(`${base}/api/proctor/sittings/${ctx.sittingId}/export`, { headers: { cookie: invA } });
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sealed.json.sha256);
    expect(file.headers.get('x-content-sha256')).toBe(sealed.json.sha256);
    const doc = JSON.parse(bytes.toString('utf8')) as {
      candidates: { number: string; attempts: { answers: unknown[] }[] }[];
      auditAnchor: string;
    };
    expect(doc.candidates.find((c) => c.number === candA.number)?.attempts[0]?.answers).toHaveLength(1);
    // the audit chain's anchor at sealing (issue 14), checkable later
    expect(doc.auditAnchor).toMatch(/^\d+:[0-9a-f]{64}$/);
    const check = await api<{ anchorCheck?: { ok: boolean } }>(board, `/api/audit/verify?anchor=${doc.auditAnchor}`);
    expect(check.json.anchorCheck?.ok).toBe(true);
    // sealing again returns the same seal; the sealed row and the incidents cannot be changed
    const again = await api<SealResultDto>(board, `/api/proctor/sittings/${ctx.sittingId}/seal`, 'POST', {});
    expect(again.json.sha256).toBe(sealed.json.sha256);
    expect(() => t.db.$client.prepare("UPDATE incidents SET reason = 'sửa'").run()).toThrow(/append-only/);
    expect(() => t.db.$client.prepare('DELETE FROM sitting_exports').run()).toThrow(/immutable/);

    const minutes = await fetch(`${base}/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}/minutes.pdf`, {
      headers: { cookie: invA },
    });
    expect(minutes.headers.get('content-type')).toBe('application/pdf');
    const sheet = await fetch(`${base}/api/proctor/sittings/${ctx.sittingId}/rooms/${roomA}/result-sheet.pdf`, {
      headers: { cookie: invA },
    });
    expect(sheet.status).toBe(200);
    if (HAS_PDFTOTEXT) {
      const text = (buf: ArrayBuffer, name: string) => {
        const f = join(t.dir, name);
        writeFileSync(f, Buffer.from(buf));
        return spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      };
      const m = text(await minutes.arrayBuffer(), 'minutes.pdf');
      expect(m).toContain('BIÊN BẢN PHÒNG THI');
      expect(m).toContain('Cảnh cáo');
      expect(m).toContain('Trao đổi bài với thí sinh bên cạnh');
      expect(m).toContain(candA.number);
      expect(m).toContain('Giám thị A');
      const r = text(await sheet.arrayBuffer(), 'sheet.pdf');
      expect(r).toContain('BẢNG KẾT QUẢ THI TRÊN MÁY TÍNH');
      expect(r).toContain(sealed.json.sha256.slice(0, 32));
      expect(r).toContain('Ký tên');
      expect(r).toContain(candA2.number);
      expect(r).toContain('Vắng'); // candA2, confirmed absent at the closing
      expect(m).toContain('Đóng phòng thi');
      expect(r).toContain('Mốc nhật ký thao tác');
    }
  });
});
