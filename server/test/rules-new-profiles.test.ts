import type { ExamResultsDto } from '@exam/shared';
import { sortByInForce } from '@exam/shared';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 12: the profiles added for viên chức (NĐ 115/2020 as amended by NĐ 85/2023) and for thi nâng
 * ngạch 2010–2020 (NĐ 24/2010), through the real app:
 * - /api/profiles lists them with their dates, and the in-force-first order the creation screen uses
 *   puts them where the exam's date says;
 * - an exam is created under each, on a date it governs, with the parts the profile gives;
 * - the review for thăng hạng viên chức has no part at all: candidates imported with the council's
 *   achievement level and their service are ranked through the API by the order of Điều 40 k2
 *   (achievements → woman → ethnic minority → older → longer service), with each step explained.
 */
let t: TestApp;
let board: string;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const inject = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const r = await t.app.inject({ method, url, headers: { cookie: board }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};

beforeEach(async () => {
  t = await makeApp();
  board = (await seedBank(t)).board;
});
afterEach(async () => {
  await t.close();
});

interface ProfileSummary {
  id: string;
  kind: string;
  effective: { from: string | null; to: string | null };
  name: { vi: string; en: string };
  parts: { id: string }[];
}

describe('the new profiles through the API', () => {
  it('are listed with their dates and in force first on their dates; an exam is created under each', async () => {
    const list = (await inject<ProfileSummary[]>('GET', '/api/profiles')).body;
    const byId = new Map(list.map((p) => [p.id, p]));
    expect(byId.get('vc-thi-tuyen-nd85-2023')?.effective).toMatchObject({ from: '2023-12-07', to: null });
    expect(byId.get('vc-xet-thang-hang-nd85-2023')?.kind).toBe('title_promotion');
    expect(byId.get('promotion-nd24-2010')?.effective).toMatchObject({ from: null, to: '2020-11-30' });

    // the screen's order on 15/3/2026 and on 15/11/2013 (the Hậu Giang plan's regime)
    const first = (date: string) => sortByInForce(list, date).map((p) => p.id);
    const in2026 = first('2026-03-15');
    for (const id of ['vc-thi-tuyen-nd85-2023', 'vc-xet-tuyen-nd85-2023', 'vc-xet-thang-hang-nd85-2023'])
      expect(in2026.indexOf(id)).toBeLessThan(in2026.indexOf('promotion-nd24-2010'));
    const in2013 = first('2013-11-15');
    expect(in2013.indexOf('promotion-nd24-2010')).toBeLessThan(in2013.indexOf('promotion-nd138-2020'));
    expect(in2013.indexOf('promotion-nd24-2010')).toBeLessThan(in2013.indexOf('vc-thi-tuyen-nd85-2023'));

    const cases: [string, string, string[]][] = [
      ['vc-thi-tuyen-nd85-2023', '2026-03-15', ['r1_ktc', 'r1_nn']],
      ['vc-xet-tuyen-nd85-2023', '2026-03-15', ['r1_nn_sat_hach']],
      ['vc-xet-thang-hang-nd85-2023', '2026-03-15', []],
      ['promotion-nd24-2010', '2013-11-15', ['ktc', 'cm', 'nn', 'th']],
    ];
    for (const [profileId, examDate, parts] of cases) {
      const code = `P${cases.findIndex((c) => c[0] === profileId)}`;
      const created = await inject<{ id: number }>('POST', '/api/exams', { code, name: profileId, profileId, examDate });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const exam = (
        await inject<{ profileId: string; profileOutOfForceReason: string | null; parts: { code: string }[] }>(
          'GET',
          `/api/exams/${created.body.id}`,
        )
      ).body;
      expect([exam.profileId, exam.profileOutOfForceReason]).toEqual([profileId, null]);
      const made = exam.parts.map((p) => p.code);
      // round-2 parts are one option of the board's choice and appear once it is made
      expect(made).toEqual(parts);
    }
    // a viên chức exam dated before NĐ 85/2023 needs the board's reason
    const early = await inject('POST', '/api/exams', {
      code: 'VC22',
      name: 'x',
      profileId: 'vc-thi-tuyen-nd85-2023',
      examDate: '2023-06-01',
    });
    expect([early.status, early.body.error?.code]).toEqual([409, 'PROFILE_NOT_IN_FORCE']);
  });
});

describe('xét thăng hạng viên chức: a review ranked through the API', () => {
  it('ranks the files by achievements, woman, ethnic minority, older, longer service; each step is explained', async () => {
    const examId = (
      await inject<{ id: number }>('POST', '/api/exams', {
        code: 'TH26',
        name: 'Xét thăng hạng giáo viên hạng II',
        profileId: 'vc-xet-thang-hang-nd85-2023',
        examDate: '2026-03-15',
      })
    ).body.id;
    // no grade for a hạng chức danh: it is not an administrative grade
    const pos = await inject('POST', `/api/exams/${examId}/positions`, {
      code: 'GVII',
      name: 'Giáo viên THCS hạng II',
      quota: 3,
    });
    expect(pos.status, JSON.stringify(pos.body)).toBe(201);

    const tpl = await t.app.inject({ url: `/api/exams/${examId}/candidates/template`, headers: { cookie: board } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((w) => w.name === 'Danh sách thí sinh') ?? wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toContain('Mã hạng chức danh dự xét');
    expect(header).toContain('Mức thành tích (Hội đồng xếp)');
    expect(header).toContain('Thời gian công tác');
    let n = 0;
    const person = (name: string, over: Record<string, string>) => ({
      'Họ và tên': name,
      'Ngày sinh': '01/01/1980',
      'Giới tính': 'Nam',
      'Số CCCD/CMND': `00118000000${++n}`,
      'Dân tộc': 'Việt (Kinh)',
      'Mã hạng chức danh dự xét': 'GVII',
      'Thời gian công tác': '15 năm',
      'Mức thành tích (Hội đồng xếp)': '1',
      ...over,
    });
    const rows = [
      person('Lê Văn An', { 'Mức thành tích (Hội đồng xếp)': '2' }), // 1st: achievements
      person('Phạm Thị Bình', { 'Giới tính': 'Nữ' }), // 2nd: woman
      person('Lò Văn Cường', { 'Dân tộc': 'Thái' }), // 3rd: ethnic minority
      person('Trần Văn Dũng', { 'Ngày sinh': '31/12/1979' }), // 4th: older (by a day)
      person('Hoàng Văn Em', { 'Thời gian công tác': '15 năm 1 tháng' }), // 5th: longer service
      person('Vũ Văn Giang', {}), // 6th
    ];
    const write = async (list: Record<string, string>[]) => {
      for (let i = 0; i < list.length; i++) {
        const r = list[i] ?? {};
        ws.getRow(i + 2).values = header.map((h) => r[h] ?? '');
      }
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    // a level that is not a whole number is refused with the row and the column
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/exams/${examId}/candidates/import?dryRun=true`,
      headers: { cookie: board, 'content-type': XLSX_MIME },
      payload: await write([person('Lê Văn An', { 'Mức thành tích (Hội đồng xếp)': 'cao' })]),
    });
    expect((bad.json() as { issues: { row: number; column: string; code: string }[] }).issues).toEqual([
      expect.objectContaining({ row: 2, column: 'Mức thành tích (Hội đồng xếp)', code: 'INVALID_ACHIEVEMENT_LEVEL' }),
    ]);
    const file = await write(rows);
    const imp = await t.app.inject({
      method: 'POST',
      url: `/api/exams/${examId}/candidates/import?dryRun=false`,
      headers: { cookie: board, 'content-type': XLSX_MIME },
      payload: file,
    });
    expect(imp.statusCode, imp.body).toBeLessThan(300);
    expect((imp.json() as { created: number }).created, imp.body).toBe(6);

    const res = (await inject<ExamResultsDto>('GET', `/api/exams/${examId}/results`)).body;
    const p0 = res.positions[0];
    if (!p0) throw new Error('no position');
    expect(p0.rows.map((r) => [r.fullName, r.rank, r.status, r.total])).toEqual([
      ['Lê Văn An', 1, 'selected', 0],
      ['Phạm Thị Bình', 2, 'selected', 0],
      ['Lò Văn Cường', 3, 'selected', 0],
      ['Trần Văn Dũng', 4, 'below_quota', 0],
      ['Hoàng Văn Em', 5, 'below_quota', 0],
      ['Vũ Văn Giang', 6, 'below_quota', 0],
    ]);
    const why = p0.rows.map((r) => JSON.stringify(r.explanation));
    expect(why[1]).toContain('mức thành tích 2');
    expect(why[2]).toContain('nữ');
    expect(why[3]).toContain('Thái');
    expect(why[4]).toContain('01/01/1980');
    expect(why[5]).toContain('181 tháng');
    expect(res.blockers).toEqual([]);

    // nothing to sit: the review goes to ready and its result is published as for any exam
    expect((await inject('POST', `/api/exams/${examId}/ready`)).status).toBe(200);
    const pub = await inject<ExamResultsDto>('POST', `/api/exams/${examId}/results/publish`, {
      reason: 'Hội đồng xét thăng hạng thống nhất',
    });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.published?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pub.body.positions[0]?.rows.filter((r) => r.selected).map((r) => r.fullName)).toEqual([
      'Lê Văn An',
      'Phạm Thị Bình',
      'Lò Văn Cường',
    ]);
  });
});
