import type { AddressInfo } from 'node:net';
import type { AttemptDto, LockdownSettingsDto, SeatDto, SeatLockdown } from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let base: string;
let ctx: Awaited<ReturnType<typeof readyExam>>;

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
  ctx = await readyExam(t, s, { durationMin: 30 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await t.close();
});

async function call<T>(cookie: string, path: string, method = 'GET', body?: unknown) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: (await r.json()) as T };
}

async function candLogin(number: string, pin: string, deviceId: string) {
  const r = await fetch(`${base}/api/candidate/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number, pin, deviceId }),
  });
  return { status: r.status, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '', body: (await r.json()) as unknown };
}

const roomPath = () => `/api/proctor/sittings/${ctx.sittingId}/rooms/${ctx.roomIds[0]}`;
async function seatOf(candidateId: number): Promise<SeatDto> {
  const d = await call<{ seats: SeatDto[] }>(s.board, roomPath());
  const seat = d.json.seats.find((x) => x.candidateId === candidateId);
  if (!seat) throw new Error('no seat');
  return seat;
}

describe('focus losses and the unlock policy', () => {
  it('counts focus losses on the seat map; under `unlock` answers are refused after N until an invigilator unlocks, in the minutes', async () => {
    const p = ctx.pins[0];
    if (!p) throw new Error('no pin');
    const policy = await call<LockdownSettingsDto>(s.board, `/api/exams/${ctx.examId}/lockdown`, 'PUT', {
      focusPolicy: 'unlock',
      focusLimit: 2,
    });
    expect(policy.status).toBe(200);
    const { cookie } = await candLogin(p.number, p.pin, 'device-focus-01');
    const attempt = (await call<AttemptDto>(cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST')).json;
    const q1 = attempt.questions[0];
    if (!q1) throw new Error('no question');
    const answer = (seq: number) =>
      call<{ ok: boolean; code?: string }>(cookie, `/api/candidate/attempts/${attempt.attemptId}/answers`, 'POST', {
        questionNo: 1,
        choice: [q1.options[0]?.id ?? ''],
        seq,
      });

    const one = await call<SeatLockdown>(cookie, '/api/candidate/lockdown', 'POST', { kind: 'blur' });
    expect(one.json).toMatchObject({ focusLosses: 1, fullscreenExits: 0, locked: false });
    expect((await answer(1)).json.ok).toBe(true);
    expect((await seatOf(p.candidateId)).lockdown).toMatchObject({ focusLosses: 1, locked: false });

    const two = await call<SeatLockdown>(cookie, '/api/candidate/lockdown', 'POST', { kind: 'fullscreen_exit' });
    expect(two.json).toMatchObject({ focusLosses: 1, fullscreenExits: 1, locked: true });
    expect((await answer(2)).json).toMatchObject({ ok: false, code: 'FOCUS_LOCKED' });
    expect((await call<{ error: { code: string } }>(cookie, '/api/candidate/lockdown', 'POST', { kind: 'nothing' })).status).toBe(
      400,
    );

    const unlock = await call<{ incidents: { action: string }[] }>(s.board, `${roomPath()}/actions`, 'POST', {
      action: 'unlock_focus',
      candidateIds: [p.candidateId],
      reason: 'Thí sinh ngồi đúng chỗ, giám thị đã kiểm tra máy',
    });
    expect(unlock.status).toBe(200);
    expect(unlock.json.incidents[0]?.action).toBe('unlock_focus');
    expect((await answer(3)).json.ok).toBe(true);
    expect((await call<SeatLockdown>(cookie, '/api/candidate/lockdown')).json).toMatchObject({ locked: false, focusLosses: 1 });
    // nothing to unlock now
    const again = await call<{ error: { code: string } }>(s.board, `${roomPath()}/actions`, 'POST', {
      action: 'unlock_focus',
      candidateIds: [p.candidateId],
      reason: 'x',
    });
    expect(again.json.error.code).toBe('NOT_FOCUS_LOCKED');
  });
});

describe('extra time and the other PC', () => {
  it('extra time set before the sitting lengthens the deadline and shows on the seat; refused once started', async () => {
    const [a, b] = ctx.pins;
    if (!a || !b) throw new Error('no pins');
    const noReason = await call<{ error: { code: string } }>(
      s.board,
      `/api/exams/${ctx.examId}/candidates/${a.candidateId}/accommodation`,
      'PUT',
      { extraMinutes: 15, reason: ' ' },
    );
    expect(noReason.json.error.code).toBe('REASON_REQUIRED');
    const set = await call(s.board, `/api/exams/${ctx.examId}/candidates/${a.candidateId}/accommodation`, 'PUT', {
      extraMinutes: 15,
      reason: 'Thí sinh khiếm thị (giấy xác nhận của cơ sở y tế)',
    });
    expect(set.status).toBe(200);
    const ca = await candLogin(a.number, a.pin, 'device-extra-a');
    const cb = await candLogin(b.number, b.pin, 'device-extra-b');
    const ta = (await call<AttemptDto>(ca.cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST')).json;
    const tb = (await call<AttemptDto>(cb.cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST')).json;
    const length = (x: AttemptDto) => (x.timing.deadline ?? 0) - (x.timing.startedAt ?? 0);
    // the part's duration for B, the same + 15 minutes for A
    expect(length(ta) - length(tb)).toBe(15 * 60_000);
    expect(length(tb)).toBe(30 * 60_000);
    expect((await seatOf(a.candidateId)).lockdown?.extraMinutes).toBe(15);
    const late = await call<{ error: { code: string } }>(
      s.board,
      `/api/exams/${ctx.examId}/candidates/${a.candidateId}/accommodation`,
      'PUT',
      { extraMinutes: 20, reason: 'đổi' },
    );
    expect(late.json.error.code).toBe('ALREADY_STARTED');
  });

  it('a second PC is told whether the candidate only signed in elsewhere or is answering there', async () => {
    const p = ctx.pins[0];
    if (!p) throw new Error('no pin');
    const first = await candLogin(p.number, p.pin, 'device-one-0001');
    expect(first.status).toBe(200);
    const signedIn = await candLogin(p.number, p.pin, 'device-two-0002');
    expect(signedIn.status).toBe(409);
    expect(signedIn.body).toMatchObject({ error: { code: 'DEVICE_LOCKED', details: { elsewhere: 'signed_in' } } });
    expect(JSON.stringify(signedIn.body)).toContain('đã đăng nhập trên máy khác');
    await call(first.cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    const answering = await candLogin(p.number, p.pin, 'device-two-0002');
    expect(answering.body).toMatchObject({ error: { code: 'DEVICE_LOCKED', details: { elsewhere: 'answering' } } });
    expect(JSON.stringify(answering.body)).toContain('đang làm bài trên máy khác');
  });
});
