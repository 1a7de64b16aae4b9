import type { CandidateImportReport, EligibilityDto, ExamResultsDto } from '@exam/shared';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CandidateService } from '../src/modules/exams/candidates.js';
import { EligibilityService } from '../src/modules/exams/eligibility.js';
import { ExamService } from '../src/modules/exams/service.js';
import { makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 13: a candidate kept on the list as not eligible is on record only. The sign-in refuses them
 * (after the right PIN, so a guess learns nothing), with a Vietnamese message and the code
 * NOT_ELIGIBLE; the board's override to "eligible" lets them in; an override to "not eligible" after
 * sign-in stops the start of a part.
 */
let t: TestApp;
let s: Awaited<ReturnType<typeof seedBank>>;
const PIN = '864200';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const actor = { id: null, name: 'test' };

beforeEach(async () => {
  t = await makeApp();
  s = await seedBank(t);
});
afterEach(async () => {
  await t.close();
});

const call = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, cookie = s.board) => {
  const r = await t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};
const candidateLogin = (number: string) =>
  call('POST', '/api/candidate/login', { number, pin: PIN, deviceId: `device-${number}` }, '');

const person = (i: number, over: Record<string, string> = {}) => ({
  'Họ và tên': `Lê Văn ${String.fromCharCode(65 + i)}`,
  'Ngày sinh': `0${i + 1}/03/1979`,
  'Giới tính': 'Nam',
  'Số CCCD/CMND': `00107900000${i}`,
  'Dân tộc': 'Việt (Kinh)',
  'Mã ngạch dự thi': 'CVC',
  'Ngạch hiện giữ': '01.003',
  'Thời gian giữ ngạch (kể cả tương đương)': '10 năm',
  'Thời gian giữ ngạch hiện giữ': '4 năm',
  'Xếp loại năm trước': 'Hoàn thành tốt nhiệm vụ',
  'Đang bị kỷ luật': 'Không',
  'Thời gian công tác': '12 năm 7 tháng',
  ...over,
});

describe('candidates kept as not eligible', () => {
  it('are refused at sign-in with NOT_ELIGIBLE until the board overrides, and the refusal comes only after the right PIN', async () => {
    const exam = await call<{ id: number }>('POST', '/api/exams', {
      code: 'KDK',
      name: 'Thi nâng ngạch (không đủ điều kiện)',
      profileId: 'promotion-nd138-2020',
    });
    const examId = exam.body.id;
    expect(
      (await call('POST', `/api/exams/${examId}/positions`, { code: 'CVC', name: 'CVC', quota: 1, grade: '01.002' })).status,
    ).toBe(201);
    const tpl = await t.app.inject({ url: `/api/exams/${examId}/candidates/template`, headers: { cookie: s.board } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((w) => w.name === 'Danh sách thí sinh') ?? wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const rows = [person(0), person(1, { 'Đang bị kỷ luật': 'Có' })];
    rows.forEach((r, i) => {
      ws.getRow(i + 2).values = header.map((h) => (r as Record<string, string>)[h] ?? '');
    });
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const imported = await t.app.inject({
      method: 'POST',
      url: `/api/exams/${examId}/candidates/import?dryRun=false&keepIneligible=true`,
      headers: { cookie: s.board, 'content-type': XLSX_MIME },
      payload: file,
    });
    expect((imported.json() as CandidateImportReport).created, imported.body).toBe(2);
    const exams = new ExamService(t.db);
    for (const p of exams.parts(examId)) await exams.updatePart(actor, p.id, { mode: 'written' });
    await new CandidateService(t.db, exams, new EligibilityService(t.db, exams)).issuePins(actor, examId, false, PIN);
    await exams.markReady(actor, examId);

    const list = (await call<EligibilityDto[]>('GET', `/api/exams/${examId}/eligibility`)).body;
    const ok = list.find((e) => e.fullName === 'Lê Văn A');
    const kept = list.find((e) => e.fullName === 'Lê Văn B');
    if (!ok || !kept) throw new Error('records');
    expect(kept.effective).toBe('not_eligible');

    // the one kept as not eligible needs no marks: publication is not blocked by their missing marks
    for (const part of exams.parts(examId)) {
      const r = await call('POST', `/api/exams/${examId}/scores`, {
        partId: part.id,
        marker: 1,
        rows: [{ number: ok.number, score: 25, scoreAgain: 25 }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const results = (await call<ExamResultsDto>('GET', `/api/exams/${examId}/results`)).body;
    expect(results.blockers.map((b) => b.code)).toEqual([]);
    const keptRow = results.positions[0]?.rows.find((r) => r.candidateId === kept.candidateId);
    expect(keptRow?.status).toBe('failed');
    expect(keptRow?.reasons[0]).toMatch(/^Không đủ điều kiện dự thi/);

    expect((await candidateLogin(ok.number)).status).toBe(200);
    // a wrong PIN says nothing about eligibility
    const guess = await call(
      'POST',
      '/api/candidate/login',
      { number: kept.number, pin: '000000', deviceId: 'device-guess-0001' },
      '',
    );
    expect(guess.body.error?.code).toBe('BAD_CREDENTIALS');
    const refused = await candidateLogin(kept.number);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('NOT_ELIGIBLE');
    expect(refused.body.error?.message).toMatch(/không đủ điều kiện dự thi/);
    // no device was bound for the refused candidate
    expect(
      t.db.$client.prepare('SELECT COUNT(*) FROM candidate_devices WHERE candidate_id = ?').pluck().get(kept.candidateId),
    ).toBe(0);

    // the board's override (reason + document) lets the candidate in
    const over = await call<EligibilityDto>('POST', `/api/exams/${examId}/candidates/${kept.candidateId}/eligibility/override`, {
      status: 'eligible',
      reason: 'Quyết định kỷ luật đã hết hiệu lực',
      documentRef: 'Quyết định 12/QĐ-SNV ngày 01/12/2026',
    });
    expect(over.body.effective).toBe('eligible');
    expect((await candidateLogin(kept.number)).status).toBe(200);
  }, 120_000); // the import is read in its own process: slow on a loaded machine

  it('an override to "not eligible" after sign-in stops the start of a part', async () => {
    const ctx = await readyExam(t, s, { candidates: 2, pin: PIN });
    const [a, b] = ctx.pins;
    if (!a || !b) throw new Error('pins');
    expect((await candidateLogin(a.number)).status).toBe(200);
    expect((await candidateLogin(b.number)).status).toBe(200);
    const over = await call<EligibilityDto>('POST', `/api/exams/${ctx.examId}/candidates/${a.candidateId}/eligibility/override`, {
      status: 'not_eligible',
      reason: 'Hồ sơ giả mạo văn bằng',
      documentRef: 'Công văn 7/CV-HĐT ngày 02/12/2026',
    });
    expect(over.status).toBe(200);
    await expect(t.delivery.start(a.candidateId, ctx.partId)).rejects.toMatchObject({ code: 'NOT_ELIGIBLE', status: 403 });
    expect(t.db.$client.prepare('SELECT COUNT(*) FROM attempts WHERE candidate_id = ?').pluck().get(a.candidateId)).toBe(0);
    // the other candidate starts as before
    const started = await t.delivery.start(b.candidateId, ctx.partId);
    expect(started.attemptId).toBeGreaterThan(0);
  });
});
