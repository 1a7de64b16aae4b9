import type { RoomDashboardDto } from '@exam/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREE_FAILURES, lockDelayMs, MAX_DELAY_MS, maxGuesses } from '../src/modules/delivery/signinLock.js';
import { createUser, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
let ex: Awaited<ReturnType<typeof readyExam>>;

beforeAll(async () => {
  t = await makeApp({ loginRateLimit: 10 });
  s = await seedBank(t);
  ex = await readyExam(t, s, { candidates: 3 });
});
afterAll(() => t.close());

const signIn = (number: string, pin: string, deviceId = `dev-${number}`, ip = '10.0.0.7') =>
  t.app.inject({ method: 'POST', url: '/api/candidate/login', remoteAddress: ip, payload: { number, pin, deviceId } });
const wrong = (pin: string) => (pin === '000000' ? '111111' : '000000');

describe('sign-in rate limit and lock-out (issue 14, item 2)', () => {
  it('10 wrong PINs for one number from one address do not lock another number out of the same address', async () => {
    const [a, b] = ex.pins;
    if (!a || !b) throw new Error('pins');
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) codes.push((await signIn(a.number, wrong(a.pin))).json().error.code);
    // the free tries, then the number is locked (not the address)
    expect(codes.slice(0, FREE_FAILURES)).toEqual(Array(FREE_FAILURES).fill('BAD_CREDENTIALS'));
    expect(codes.slice(FREE_FAILURES).every((c) => c === 'SIGNIN_LOCKED')).toBe(true);
    const other = await signIn(b.number, b.pin);
    expect(other.statusCode).toBe(200);
    // an 11th request for the same number and address within the minute hits the per-(address, number) limit
    const eleventh = await signIn(a.number, a.pin);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.code).toBe('RATE_LIMITED');
    // from another lab PC the right PIN still meets the lock-out, with a Vietnamese message
    const locked = await signIn(a.number, a.pin, `dev-${a.number}`, '10.0.0.8');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'SIGNIN_LOCKED' });
    expect(locked.json().error.message).toContain('báo giám thị');
  });

  it('the invigilator of the room sees the lock on the seat map and lifts it with a reason (incident + audit)', async () => {
    const [a] = ex.pins;
    const roomId = ex.roomIds[0];
    if (!a || !roomId) throw new Error('seed');
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    t.db.$client
      .prepare(
        'INSERT INTO room_invigilators (sitting_id, room_id, user_id) VALUES (?, ?, (SELECT id FROM users WHERE username = ?))',
      )
      .run(ex.sittingId, roomId, 'giamthi');
    const inv = await login(t.app, 'giamthi');
    const url = `/api/proctor/sittings/${ex.sittingId}/rooms/${roomId}`;
    const dash = (await t.app.inject({ method: 'GET', url, headers: { cookie: inv } })).json() as RoomDashboardDto;
    const seat = dash.seats.find((x) => x.candidateId === a.candidateId);
    expect(seat?.signInLockedUntil).toBeGreaterThan(Date.now());
    const noReason = await t.app.inject({
      method: 'POST',
      url: `${url}/actions`,
      headers: { cookie: inv },
      payload: { action: 'unlock_signin', candidateIds: [a.candidateId], reason: ' ' },
    });
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');
    const lift = await t.app.inject({
      method: 'POST',
      url: `${url}/actions`,
      headers: { cookie: inv },
      payload: { action: 'unlock_signin', candidateIds: [a.candidateId], reason: 'Thí sinh có mặt, đối chiếu CCCD' },
    });
    expect(lift.statusCode).toBe(200);
    expect(lift.json().incidents[0]).toMatchObject({ action: 'unlock_signin', candidateId: a.candidateId });
    const audit = t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'proctor.unlock_signin'").pluck().get();
    expect(audit).toBe(1);
    const after = (await t.app.inject({ method: 'GET', url, headers: { cookie: inv } })).json() as RoomDashboardDto;
    expect(after.seats.find((x) => x.candidateId === a.candidateId)?.signInLockedUntil).toBeNull();
    expect((await signIn(a.number, a.pin, `dev-${a.number}`, '10.0.0.9')).statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `${url}/actions`,
      headers: { cookie: inv },
      payload: { action: 'unlock_signin', candidateIds: [a.candidateId], reason: 'lần hai' },
    });
    expect(again.json().error.code).toBe('NOT_LOCKED');
  });

  it('the staff sign-in limit is per address and username too', async () => {
    for (let i = 0; i < 10; i++)
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'authorB', password: 'wrong-password' },
      });
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'authorA', password: 'Secret@2026' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('the delay doubles and guessing a 6-digit PIN stays infeasible', () => {
    expect([4, 5, 6, 7].map(lockDelayMs)).toEqual([0, 30_000, 60_000, 120_000]);
    expect(lockDelayMs(40)).toBe(MAX_DELAY_MS);
    const perDay = maxGuesses(24 * 3600_000);
    expect(perDay).toBe(34);
    expect(perDay / 1_000_000).toBeLessThan(0.0001);
  });
});
