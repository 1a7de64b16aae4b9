/**
 * Issue 12, error 6: late arrival. TT 22/2025 Nội quy Điều 1 k1: late candidates "được dự thi trong
 * các trường hợp sau: a) Không quá 05 phút đối với bài thi có thời gian thi tối đa 30 phút hoặc không
 * quá 10 phút đối với bài thi có thời gian thi tối đa từ 60 phút trở lên; b) Các trường hợp khác do
 * Chủ tịch Hội đồng xem xét, quyết định" (nld.com.vn, 21/10/2025). Before the fix nobody was ever
 * refused for arriving late, and the chair's decision could not be recorded: here a candidate 12
 * minutes late for a 20-minute paper is refused, the chair's decision (who, when, why) goes to the
 * room's minutes and the audit log, and the candidate then starts.
 */
import {
  type AttemptDto,
  type IncidentDto,
  type LateAdmissionRule,
  ND138_2020,
  ND170_2025,
  type ProctorActionResult,
} from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lateArrival } from '../src/modules/delivery/late-admission.js';
import { createUser, makeApp, readyExam, seedBank, login as staffLogin, type TestApp } from './helpers.js';

let t: TestApp;
let ctx: Awaited<ReturnType<typeof readyExam>>;
let board: string;
let inv: string;
let cand: { candidateId: number; number: string; pin: string };
let roomId: number;

function tt22(): LateAdmissionRule {
  if (!ND170_2025.lateAdmission) throw new Error('nd170-2025 has the TT 22/2025 bands');
  return structuredClone(ND170_2025.lateAdmission);
}
function tt06(): LateAdmissionRule {
  if (!ND138_2020.lateAdmission) throw new Error('nd138-2020 has the TT 06/2020 rule');
  return structuredClone(ND138_2020.lateAdmission);
}

async function call<T>(cookie: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: Record<string, unknown>) {
  const r = await t.app.inject(
    payload === undefined ? { method, url, headers: { cookie } } : { method, url, headers: { cookie }, payload },
  );
  return { status: r.statusCode, json: r.json() as T };
}

async function candLogin(): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/candidate/login',
    payload: { number: cand.number, pin: cand.pin, deviceId: 'pc-lab-01' },
  });
  expect(r.statusCode).toBe(200);
  const c = r.cookies[0];
  if (!c) throw new Error('no candidate cookie');
  return `${c.name}=${c.value}`;
}

async function setup(lateAdmission: LateAdmissionRule) {
  t = await makeApp();
  const s = await seedBank(t);
  board = s.board;
  // the sitting started 12 minutes ago; the paper lasts 20 minutes (band: ≤ 30 minutes → 5 minutes late)
  ctx = await readyExam(t, s, {
    candidates: 1,
    durationMin: 20,
    startsInMin: -12,
    pin: '246810',
    overrides: { timingMode: 'fixed_window', lateAdmission },
  });
  roomId = ctx.roomIds[0]!;
  cand = ctx.pins[0]!;
  await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị 1', roles: ['invigilator'] });
  const uid = t.db.$client.prepare("SELECT id FROM users WHERE username = 'giamthi'").pluck().get() as number;
  t.db.$client
    .prepare('INSERT INTO room_invigilators (sitting_id, room_id, user_id) VALUES (?, ?, ?)')
    .run(ctx.sittingId, roomId, uid);
  inv = await staffLogin(t.app, 'giamthi');
}

/** Each describe that starts an app closes it. */
function closeAfterEach() {
  afterEach(async () => {
    await t.close();
  });
}

describe('the bands, as a pure function', () => {
  const p = (lateAdmission: LateAdmissionRule) => ({ lateAdmission }) as Parameters<typeof lateArrival>[0];
  it('TT 22/2025: 5′ for a 30′ paper, 10′ for 60′; beyond, or 45′ papers, only with the chair’s decision', () => {
    const bands22 = p(tt22());
    expect(lateArrival(bands22, 30, 5 * 60_000, false).admitted).toBe(true);
    expect(lateArrival(bands22, 30, 5 * 60_000 + 1000, false).admitted).toBe(false);
    expect(lateArrival(bands22, 30, 6 * 60_000, true)).toMatchObject({ admitted: true, byChair: true });
    expect(lateArrival(bands22, 60, 10 * 60_000, false).admitted).toBe(true);
    expect(lateArrival(bands22, 45, 60_000, false).admitted).toBe(false);
    expect(lateArrival(bands22, 45, 60_000, true).admitted).toBe(true);
  });
  it('TT 06/2020: 30′, and no chair’s power to admit later', () => {
    const bands06 = p(tt06());
    expect(lateArrival(bands06, 120, 30 * 60_000, false).admitted).toBe(true);
    expect(lateArrival(bands06, 120, 31 * 60_000, true).admitted).toBe(false);
  });
});

describe('TT 22/2025: the chair admits a candidate 12 minutes late', () => {
  beforeEach(async () => {
    await setup(tt22());
  });
  closeAfterEach();

  it('refused at first; the invigilator cannot decide; the chair’s decision is in the minutes and the audit log; then the candidate starts', async () => {
    const cookie = await candLogin();
    const refused = await call<{ error: { code: string; message: string } }>(
      cookie,
      `/api/candidate/parts/${ctx.partId}/start`,
      'POST',
    );
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('LATE_NOT_ADMITTED');
    expect(refused.json.error.message).toContain('Chủ tịch Hội đồng xem xét, quyết định');
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM attempts').pluck().get()).toBe(0);

    const url = `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomId}/actions`;
    const body = {
      action: 'admit_late',
      candidateIds: [cand.candidateId],
      reason: 'Tắc đường do tai nạn, có xác nhận của công an phường',
    };
    const byInv = await call<{ error: { code: string } }>(inv, url, 'POST', body);
    expect([byInv.status, byInv.json.error.code]).toEqual([403, 'CHAIR_ONLY']);
    const noReason = await call<{ error: { code: string } }>(board, url, 'POST', { ...body, reason: '  ' });
    expect(noReason.status).toBe(400);

    const decided = await call<ProctorActionResult>(board, url, 'POST', body);
    expect(decided.status).toBe(200);
    const incident = decided.json.incidents[0] as IncidentDto;
    expect(incident).toMatchObject({
      action: 'admit_late',
      candidateId: cand.candidateId,
      reason: body.reason,
      invigilator: 'Hội đồng',
    });
    expect(incident.details).toEqual({ decidedBy: 'Hội đồng' });
    const audit = t.db.$client
      .prepare("SELECT entity_id AS entityId, detail FROM audit_log WHERE action = 'proctor.admit_late'")
      .get() as { entityId: string; detail: string };
    expect(audit.entityId).toBe(String(cand.candidateId));
    expect(audit.detail).toContain(body.reason);

    const started = await call<AttemptDto>(cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(started.status).toBe(200);
    // the clock is the sitting's: the late candidate has what is left of the window, not a fresh 20′
    expect(started.json.timing.remainingMs).toBeLessThanOrEqual(8 * 60_000);

    // once started, there is nothing left to decide
    const again = await call<{ error: { code: string } }>(board, url, 'POST', body);
    expect(again.json.error.code).toBe('ALREADY_STARTED');
  });
});

describe('TT 06/2020 (nd138-2020 as shipped): 30 minutes, no chair’s decision', () => {
  beforeEach(async () => {
    await setup(tt06());
  });
  closeAfterEach();
  it('12 minutes late is within 30: admitted; the chair has no power to record', async () => {
    const cookie = await candLogin();
    const started = await call<AttemptDto>(cookie, `/api/candidate/parts/${ctx.partId}/start`, 'POST');
    expect(started.status).toBe(200);
  });
  it('the chair’s decision is refused where the regulation gives no such power', async () => {
    const r = await call<{ error: { code: string } }>(
      board,
      `/api/proctor/sittings/${ctx.sittingId}/rooms/${roomId}/actions`,
      'POST',
      {
        action: 'admit_late',
        candidateIds: [cand.candidateId],
        reason: 'Đến muộn',
      },
    );
    expect([r.status, r.json.error.code]).toEqual([409, 'CHAIR_CANNOT_ADMIT']);
  });
});
