import type { CandidateMeDto, ExamResultsDto } from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endSitting, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * The lifecycle's refusals through the real app (issue 11), each with its code and message, and the
 * one source of truth for a part's rules.
 */

let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
const PIN = '246810';

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
});
afterEach(async () => {
  await t.close();
});

const call = async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, cookie = s.board) => {
  const r = await t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
  return {
    status: r.statusCode,
    body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string; details?: unknown } },
  };
};
const candidateLogin = (number: string, deviceId = `device-${number}`) =>
  call<CandidateMeDto>('POST', '/api/candidate/login', { number, pin: PIN, deviceId }, '');

describe('refusals by state', () => {
  it('a closed room refuses sign-in and starts; a published exam tells the candidate where to look the result up', async () => {
    const ctx = await readyExam(t, s, {
      candidates: 3,
      pin: PIN,
      overrides: { choices: [{ id: 'round2_format', selected: 'written' }] },
    });
    const [a, b] = ctx.pins;
    if (!a || !b) throw new Error('pins');
    const me = await candidateLogin(a.number);
    expect(me.status).toBe(200);
    expect(me.body.exam.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(me.body.sitting?.state).toBe('open');
    const attempt = await t.delivery.start(a.candidateId, ctx.partId);
    await t.delivery.submit(attempt.attemptId, 'candidate');

    // publishing now is refused with what is missing: the sitting is not closed nor sealed
    const early = await call<ExamResultsDto>('POST', `/api/exams/${ctx.examId}/results/publish`, {});
    expect(early.status).toBe(409);
    const codes = ((early.body.error?.details as { blockers: { code: string }[] } | undefined)?.blockers ?? []).map(
      (x) => x.code,
    );
    expect(codes).toContain('PARTS_UNSAT');
    expect(codes).toContain('SITTINGS_NOT_SEALED');
    expect(early.body.error?.message).toMatch(/chưa thi/);

    await endSitting(t, ctx, s.board);
    // b never signed in: absent, confirmed at the closing; the sealed room refuses b's sign-in
    const late = await candidateLogin(b.number);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('SITTING_SEALED');
    expect(late.body.error?.message).toMatch(/đã kết thúc và dữ liệu đã được niêm phong/);
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM absences WHERE candidate_id = ?').pluck().get(b.candidateId)).toBe(1);
    // the exam moved on to marking when its last sitting was sealed
    expect(t.db.$client.prepare('SELECT status FROM exams WHERE id = ?').pluck().get(ctx.examId)).toBe('finished');
    const results = await call<ExamResultsDto>('GET', `/api/exams/${ctx.examId}/results`);
    const rowB = results.body.positions[0]?.rows.find((r) => r.candidateId === b.candidateId);
    expect(rowB?.parts.find((p) => p.partId === ctx.partId)?.status).toBe('absent');
    expect(results.body.blockers.map((x) => x.code)).not.toContain('PARTS_UNSAT');

    // the right PIN after publication: the exam is over, and where to look
    t.db.$client.prepare("UPDATE exams SET status = 'published' WHERE id = ?").run(ctx.examId);
    const over = await candidateLogin(a.number);
    expect(over.status).toBe(409);
    expect(over.body.error?.code).toBe('EXAM_PUBLISHED');
    expect(over.body.error?.message).toMatch(/tra-cuu-ket-qua/);
    // a wrong PIN is still just a wrong PIN
    const wrong = await call(
      'POST',
      '/api/candidate/login',
      { number: a.number, pin: '000000', deviceId: 'device-wrong-pin' },
      '',
    );
    expect(wrong.body.error?.code).toBe('BAD_CREDENTIALS');
  });

  it('a computer part in no sitting blocks publication; marks are refused while the exam is being set up', async () => {
    const ctx = await readyExam(t, s, { candidates: 1, pin: PIN });
    // a second exam still in set-up
    const draft = await call<{ id: number }>('POST', '/api/exams', { code: 'NHAP', name: 'Nháp', profileId: 'nd138-2020' });
    const draftParts = await call<{ parts: { id: number; mode: string }[] }>('GET', `/api/exams/${draft.body.id}`);
    const refused = await call('POST', `/api/exams/${draft.body.id}/scores`, {
      partId: draftParts.body.parts[0]?.id ?? 1,
      marker: 1,
      rows: [{ number: 'X', score: 1, scoreAgain: 1 }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('EXAM_NOT_READY');
    // the ready exam: a computer part with no sitting
    const other = ctx.exams.parts(ctx.examId).find((p) => p.id !== ctx.partId && p.mode === 'written');
    t.db.$client.prepare("UPDATE exam_parts SET mode = 'computer_mc' WHERE id = ?").run(other?.id);
    const r = await call<ExamResultsDto>('GET', `/api/exams/${ctx.examId}/results`);
    expect(r.body.blockers.find((x) => x.code === 'PART_NOT_SCHEDULED')?.message).toMatch(/chưa được xếp vào ca thi nào/);
  });

  it('a time zone must be a real IANA zone', async () => {
    const bad = await call('POST', '/api/exams', {
      code: 'TZ1',
      name: 'Múi giờ',
      profileId: 'nd138-2020',
      timeZone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('TIME_ZONE_INVALID');
    const ok = await call<{ id: number }>('POST', '/api/exams', {
      code: 'TZ2',
      name: 'Múi giờ',
      profileId: 'nd138-2020',
      timeZone: 'Asia/Bangkok',
    });
    expect(ok.status).toBe(201);
    expect((await call<{ timeZone: string }>('GET', `/api/exams/${ok.body.id}`)).body.timeZone).toBe('Asia/Bangkok');
  });
});

describe('one source of truth for a part’s rules', () => {
  it('every route that changes a part changes what delivery and ranking both read', async () => {
    const created = await call<{ id: number }>('POST', '/api/exams', {
      code: 'NGUON',
      name: 'Một nguồn',
      profileId: 'nd138-2020',
    });
    const examId = created.body.id;
    const detail = async () =>
      (
        await call<{
          parts: { id: number; code: string; durationMin: number | null; scoreScale: number; passRule: unknown; role: string }[];
          overridden: { path: string }[];
        }>('GET', `/api/exams/${examId}`)
      ).body;
    const ktc = (await detail()).parts.find((p) => p.code === 'r1_ktc');
    if (!ktc) throw new Error('no KTC part');
    const { ExamService } = await import('../src/modules/exams/service.js');
    const exams = new ExamService(t.db);
    /** what ranking reads (the effective profile) and what delivery reads (the exam_parts row) */
    const both = () => {
      const e = exams.examRow(examId);
      const ranking = exams.effectiveProfile(e).parts.find((p) => p.id === 'r1_ktc');
      const row = exams.parts(examId).find((p) => p.code === 'r1_ktc');
      return { ranking, row };
    };

    // 1. PATCH /api/exams/:id with overrides.parts (this route once wrote only the JSON)
    const patched = await call('PATCH', `/api/exams/${examId}`, {
      overrides: { parts: [{ id: 'r1_ktc', durationMin: 75, passRule: { kind: 'min_percent', percent: 60 } }] },
    });
    expect(patched.status).toBe(200);
    let v = both();
    expect(v.row?.durationMin).toBe(75);
    expect(v.ranking?.durationMin).toBe(75);
    expect(v.row?.passRule).toEqual({ kind: 'min_percent', percent: 60 });
    expect(v.ranking?.passRule).toEqual({ kind: 'min_percent', percent: 60 });
    // the JSON keeps no copy of the part's values
    const stored = JSON.parse(exams.examRow(examId).overrides) as Record<string, unknown>;
    expect(stored.parts).toBeUndefined();
    expect((await detail()).overridden.map((d) => d.path)).toContain('parts[r1_ktc].durationMin');

    // 2. PUT /api/exam-parts/:id
    expect((await call('PUT', `/api/exam-parts/${ktc.id}`, { durationMin: 50, scoreScale: 60, role: 'condition' })).status).toBe(
      200,
    );
    v = both();
    expect([v.row?.durationMin, v.ranking?.durationMin]).toEqual([50, 50]);
    expect([v.row?.scoreScale, v.ranking?.scoreScale]).toEqual([60, 60]);
    expect([v.row?.role, v.ranking?.role]).toEqual(['condition', 'condition']);

    // 3. a later PATCH of something else leaves the part as it is
    expect((await call('PATCH', `/api/exams/${examId}`, { overrides: { bankMultiple: 4 } })).status).toBe(200);
    v = both();
    expect([v.row?.durationMin, v.ranking?.durationMin]).toEqual([50, 50]);

    // 4. removing a part through the overrides removes it for both
    expect((await call('PATCH', `/api/exams/${examId}`, { overrides: { parts: [{ id: 'r1_ktc', remove: true }] } })).status).toBe(
      200,
    );
    v = both();
    expect(v.row).toBeUndefined();
    expect(v.ranking).toBeUndefined();
  });
});
