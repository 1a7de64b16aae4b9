/**
 * Issue 12: profiles in force by date, and overrides that would judge candidates against the law.
 * - Creating an exam under a profile not in force on the exam's date needs the board's confirmation
 *   with a reason (PROFILE_NOT_IN_FORCE), written to the audit log.
 * - Overrides may not turn on partial credit under an official profile, nor make round 2 anything but
 *   a score out of 100 (PROFILE_AGAINST_RULES).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, seedBank, type TestApp } from './helpers.js';

let t: TestApp;
let board: string;
beforeEach(async () => {
  t = await makeApp();
  board = (await seedBank(t)).board;
});
afterEach(async () => {
  await t.close();
});

const create = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/exams', headers: { cookie: board }, payload });

describe('profiles in force on the exam date', () => {
  it('nd138-2020 (1/12/2020–16/9/2024) for an exam on 15/3/2026 is refused without a reason, accepted and audited with one', async () => {
    const refused = await create({ code: 'T2026', name: 'Thi tuyển 2026', profileId: 'nd138-2020', examDate: '2026-03-15' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('PROFILE_NOT_IN_FORCE');
    expect(refused.json().error.message).toContain('áp dụng từ 01/12/2020 đến 16/09/2024');
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM exams').pluck().get()).toBe(0);

    const reason = 'Tổ chức lại kỳ thi năm 2024 theo quyết định của cơ quan có thẩm quyền';
    const ok = await create({
      code: 'T2026',
      name: 'Thi tuyển 2026',
      profileId: 'nd138-2020',
      examDate: '2026-03-15',
      profileOutOfForceReason: reason,
    });
    expect(ok.statusCode).toBe(201);
    const id = ok.json().id as number;
    const exam = (await t.app.inject({ method: 'GET', url: `/api/exams/${id}`, headers: { cookie: board } })).json();
    expect(exam.profileOutOfForceReason).toBe(reason);
    const audit = t.db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'exam.profile_out_of_force' AND entity_id = ?")
      .pluck()
      .get(String(id)) as string;
    expect(JSON.parse(audit)).toEqual({ reason });
  });

  it('nd170-2025 on 15/3/2026 needs nothing; nd116-2024 on 20/9/2025 is inside the NĐ 170/2025 Điều 70 transition', async () => {
    expect((await create({ code: 'A1', name: 'A', profileId: 'nd170-2025', examDate: '2026-03-15' })).statusCode).toBe(201);
    expect((await create({ code: 'A2', name: 'B', profileId: 'nd116-2024', examDate: '2025-09-20' })).statusCode).toBe(201);
    expect((await create({ code: 'A3', name: 'C', profileId: 'nd116-2024', examDate: '2025-10-01' })).statusCode).toBe(409);
  });

  it('moving the exam date out of the profile’s dates later is refused the same way', async () => {
    const id = (await create({ code: 'B1', name: 'B', profileId: 'nd170-2025', examDate: '2026-03-15' })).json().id as number;
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/exams/${id}`,
      headers: { cookie: board },
      payload: { examDate: '2025-05-01' },
    });
    expect([moved.statusCode, moved.json().error.code]).toEqual([409, 'PROFILE_NOT_IN_FORCE']);
  });
});

describe('overrides that break the regulation are refused', () => {
  it('partial credit under nd170-2025; a 200-point round 2 under nd116-2024; the application deadline is stored', async () => {
    const id = (await create({ code: 'C1', name: 'C', profileId: 'nd170-2025', examDate: '2026-03-15' })).json().id as number;
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/exams/${id}`, headers: { cookie: board }, payload });
    const pc = await patch({ overrides: { partialCredit: true } });
    expect([pc.statusCode, pc.json().error.code]).toEqual([400, 'PROFILE_AGAINST_RULES']);
    expect(pc.json().error.message).toContain('số câu trả lời đúng');

    const r2 = await patch({
      overrides: {
        choices: [{ id: 'round2_format', selected: 'written_interview' }],
        parts: [
          { id: 'r2_wi_written', coefficient: 1 },
          { id: 'r2_wi_interview', coefficient: 1 },
        ],
      },
    });
    expect([r2.statusCode, r2.json().error.code]).toEqual([400, 'PROFILE_AGAINST_RULES']);
    const fine = await patch({
      applicationDeadline: '2026-02-15',
      overrides: {
        choices: [{ id: 'round2_format', selected: 'written_interview' }],
        parts: [
          { id: 'r2_wi_written', coefficient: 0.6 },
          { id: 'r2_wi_interview', coefficient: 0.4 },
        ],
      },
    });
    expect(fine.statusCode).toBe(200);
    const exam = (await t.app.inject({ method: 'GET', url: `/api/exams/${id}`, headers: { cookie: board } })).json();
    expect(exam.applicationDeadline).toBe('2026-02-15');
  });
});
