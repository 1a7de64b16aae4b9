import * as XLSX from '@e965/xlsx';
import {
  applyOverrides,
  ND116_2024,
  ND138_2020,
  PROMOTION_ND138_2020,
  RATING_LABELS,
  type RegulationProfile,
} from '@exam/shared';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  assignCandidateNumbers,
  CANDIDATES_GUIDE_SHEET,
  CANDIDATES_SHEET,
  type CandidateImportContext,
  candidateTemplate,
  columnsFor,
  type NumberingCandidate,
  parseCandidates,
} from '../src/modules/exams/candidates-import/index.js';

const POSITIONS = [
  { id: 11, code: 'VT01', name: 'Chuyên viên quản lý đất đai', grade: '01.003' },
  { id: 12, code: 'VT02', name: 'Kế toán viên', grade: '01.003' },
];
const PRIORITIES = ND116_2024.priority.categories.map((c) => ({ code: c.code, label: c.label.vi }));

function recruitmentCtx(profile: RegulationProfile = ND116_2024): CandidateImportContext {
  return {
    profile,
    kind: 'recruitment',
    positions: POSITIONS.map(({ id, code, grade }) => ({ id, code, grade })),
    examDate: '2025-06-15',
    // kiểm định validity counts to the application deadline under NĐ 116/2024 (issue 12); the same day here
    applicationDeadline: '2025-06-15',
  };
}

const promotionCtx: CandidateImportContext = {
  profile: PROMOTION_ND138_2020,
  kind: 'promotion',
  positions: [
    { id: 21, code: 'CVC', grade: '01.002' },
    { id: 22, code: 'CVCC', grade: '01.001' },
  ],
  examDate: '2025-06-15',
};

/** A workbook with one sheet: header + rows (cells as given: strings, numbers or Dates). */
async function sheetOf(
  header: readonly string[],
  rows: readonly (readonly (string | number | Date | null)[])[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(CANDIDATES_SHEET);
  ws.addRow([...header]);
  for (const r of rows) ws.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const RECRUITMENT_HEADER = columnsFor('recruitment').map((c) => c.header);
const PROMOTION_HEADER = columnsFor('promotion').map((c) => c.header);

/** A recruitment row keyed by header; unspecified cells are blank. */
function rec(values: Record<string, string | number | Date>): (string | number | Date | null)[] {
  return RECRUITMENT_HEADER.map((h) => values[h] ?? null);
}
function promo(values: Record<string, string | number | Date>): (string | number | Date | null)[] {
  return PROMOTION_HEADER.map((h) => values[h] ?? null);
}

describe('candidate template', () => {
  it('has the list sheet with Vietnamese headers and a guide listing positions and priority categories', async () => {
    const buf = await candidateTemplate({ kind: 'recruitment', positions: POSITIONS, priorityCategories: PRIORITIES });
    const wb = XLSX.read(buf, { type: 'buffer' });
    expect(wb.SheetNames).toEqual([CANDIDATES_SHEET, CANDIDATES_GUIDE_SHEET]);
    const list = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[CANDIDATES_SHEET]!, { header: 1, defval: '' });
    expect(list).toHaveLength(1); // header only: the example row is on the guide sheet
    expect(list[0]).toEqual([
      'Họ và tên',
      'Ngày sinh',
      'Giới tính',
      'Số CCCD/CMND',
      'Dân tộc',
      'Mã vị trí dự tuyển',
      'Đối tượng ưu tiên',
      'Miễn thi ngoại ngữ',
      'Miễn thi tin học',
      'Điểm kiểm định',
      'Ngày kiểm định',
    ]);
    const guide = XLSX.utils
      .sheet_to_json<string[]>(wb.Sheets[CANDIDATES_GUIDE_SHEET]!, { header: 1, defval: '' })
      .map((r) => r.join(' | '));
    const text = guide.join('\n');
    expect(text).toContain('VT01 | Chuyên viên quản lý đất đai');
    expect(text).toContain('can_bo_cong_doan | Cán bộ công đoàn');
    expect(text).toContain('dd/mm/yyyy');
    expect(text).toContain('Nguyễn Thị Hồng Nhung'); // example row

    // drop-down lists: gender inline, positions from the guide sheet
    const xwb = new ExcelJS.Workbook();
    await xwb.xlsx.load(buf as unknown as ArrayBuffer);
    const dv = (
      xwb.getWorksheet(CANDIDATES_SHEET) as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }
    ).dataValidations.model;
    const formulas = Object.values(dv).map((v) => v.formulae?.[0]);
    expect(formulas).toContain('"Nam,Nữ"');
    expect(formulas.some((f) => String(f).includes(`'${CANDIDATES_GUIDE_SHEET}'!$A$`))).toBe(true);
  });

  it('adds the promotion columns and names the position column "Mã ngạch dự thi"', async () => {
    const buf = await candidateTemplate({
      kind: 'promotion',
      positions: [{ code: 'CVC', name: 'Chuyên viên chính' }],
      priorityCategories: [],
    });
    const wb = XLSX.read(buf, { type: 'buffer' });
    const header = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[CANDIDATES_SHEET]!, { header: 1 })[0];
    expect(header).toContain('Mã ngạch dự thi');
    expect(header).not.toContain('Mã vị trí dự tuyển');
    for (const h of [
      'Ngạch hiện giữ',
      'Thời gian giữ ngạch (kể cả tương đương)',
      'Thời gian giữ ngạch hiện giữ',
      'Xếp loại năm trước',
      'Đang bị kỷ luật',
      'Thời gian công tác',
    ]) {
      expect(header).toContain(h);
    }
  });
});

describe('parseCandidates', () => {
  it('round-trips the template: three rows filled with exceljs give three candidates', async () => {
    const tpl = await candidateTemplate({ kind: 'recruitment', positions: POSITIONS, priorityCategories: PRIORITIES });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(CANDIDATES_SHEET)!;
    ws.addRow(
      rec({
        'Họ và tên': ' Nguyễn  Thị Hồng Nhung ',
        'Ngày sinh': '05/09/1995',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '049195012345',
        'Mã vị trí dự tuyển': 'VT01',
        'Đối tượng ưu tiên': 'dan_toc_thieu_so',
        'Dân tộc': 'Tày',
        'Miễn thi ngoại ngữ': 'Có',
      }),
    );
    // an Excel date cell, a label for the priority (any case, no diacritics), several categories
    ws.addRow(
      rec({
        'Họ và tên': 'Trần Văn Bình',
        'Ngày sinh': new Date(Date.UTC(1990, 0, 31)),
        'Giới tính': 'nam',
        'Số CCCD/CMND': '001090000001',
        'Mã vị trí dự tuyển': 'vt02',
        'Đối tượng ưu tiên': 'nguoi hoan thanh nghia vu quan su, nghia vu tham gia cong an nhan dan; tnxp',
        'Miễn thi tin học': 'Có',
      }),
    );
    // ISO date, CMND, a valid kiểm định result (exempts round 1 under NĐ 116/2024)
    ws.addRow(
      rec({
        'Họ và tên': 'Lê Ánh',
        'Ngày sinh': '1998-12-01',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '123456789',
        'Mã vị trí dự tuyển': 'VT01',
        'Điểm kiểm định': '62/100',
        'Ngày kiểm định': '20/11/2023',
      }),
    );
    const filled = Buffer.from(await wb.xlsx.writeBuffer());

    const { rows, issues } = parseCandidates(filled, recruitmentCtx());
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      sourceRow: 2,
      fullName: 'Nguyễn Thị Hồng Nhung',
      dateOfBirth: '1995-09-05',
      gender: 'female',
      idNumber: '049195012345',
      ethnicity: 'Tày',
      positionId: 11,
      priorityCategory: 'dan_toc_thieu_so',
      exemptions: ['foreign_language'],
      kiemDinh: null,
      currentGrade: null,
      yearsInGrade: null,
      extra: { rating: null, disciplined: null, yearsOfService: null },
    });
    expect(rows[1]).toMatchObject({
      sourceRow: 3,
      dateOfBirth: '1990-01-31',
      gender: 'male',
      ethnicity: 'Kinh',
      positionId: 12,
      priorityCategory: 'xuat_ngu',
      exemptions: ['it'],
    });
    expect(rows[2]).toMatchObject({
      sourceRow: 4,
      dateOfBirth: '1998-12-01',
      idNumber: '123456789',
      kiemDinh: { resultDate: '2023-11-20', correct: 62, total: 100, passed: true },
      exemptions: ['kiem_dinh'],
    });
  });

  it('reports each bad row with its row number and Vietnamese column', async () => {
    const buf = await sheetOf(RECRUITMENT_HEADER, [
      rec({
        'Họ và tên': 'Phạm Minh Châu',
        'Ngày sinh': '01/01/1990',
        'Giới tính': 'Nam',
        'Số CCCD/CMND': '001090000010',
        'Mã vị trí dự tuyển': 'VT01',
      }),
      rec({ 'Ngày sinh': '01/01/1990', 'Giới tính': 'Nam', 'Số CCCD/CMND': '001090000011', 'Mã vị trí dự tuyển': 'VT01' }),
      rec({
        'Họ và tên': 'Đỗ Hà',
        'Ngày sinh': '31/02/1990',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '001090000012',
        'Mã vị trí dự tuyển': 'VT01',
      }),
      rec({
        'Họ và tên': 'Hồ Nam',
        'Ngày sinh': '02/02/1991',
        'Giới tính': 'Nam',
        'Số CCCD/CMND': '001090000013',
        'Mã vị trí dự tuyển': 'VT99',
      }),
      rec({
        'Họ và tên': 'Vũ Lan',
        'Ngày sinh': '03/03/1992',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '001090000014',
        'Mã vị trí dự tuyển': 'VT02',
        'Đối tượng ưu tiên': 'con cán bộ',
      }),
      rec({
        'Họ và tên': 'Mai Anh',
        'Ngày sinh': '04/04/1993',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '001090000010',
        'Mã vị trí dự tuyển': 'VT02',
      }),
      rec({
        'Họ và tên': 'Lý Tú',
        'Ngày sinh': '05/05/1994',
        'Giới tính': 'Khác',
        'Số CCCD/CMND': '12345',
        'Mã vị trí dự tuyển': 'VT02',
        'Miễn thi ngoại ngữ': 'chắc chắn',
      }),
      rec({}), // blank rows are skipped
      rec({
        'Họ và tên': 'Cao Vy',
        'Ngày sinh': '06/06/1995',
        'Giới tính': 'Nữ',
        'Số CCCD/CMND': '001090000016',
        'Mã vị trí dự tuyển': 'VT01',
      }),
    ]);
    const { rows, issues } = parseCandidates(buf, recruitmentCtx());
    expect(rows.map((r) => r.sourceRow)).toEqual([2, 10]);
    const got = issues.map((i) => [i.row, i.column, i.code]);
    expect(got).toEqual([
      [3, 'Họ và tên', 'REQUIRED'],
      [4, 'Ngày sinh', 'INVALID_DATE'],
      [5, 'Mã vị trí dự tuyển', 'UNKNOWN_POSITION'],
      [6, 'Đối tượng ưu tiên', 'UNKNOWN_PRIORITY'],
      [7, 'Số CCCD/CMND', 'DUPLICATE_ID_NUMBER'],
      [8, 'Giới tính', 'INVALID_GENDER'],
      [8, 'Số CCCD/CMND', 'INVALID_ID_NUMBER'],
      [8, 'Miễn thi ngoại ngữ', 'INVALID_YES_NO'],
    ]);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
    expect(issues.find((i) => i.code === 'DUPLICATE_ID_NUMBER')?.message).toContain('trùng với dòng 2');
    expect(issues.find((i) => i.code === 'UNKNOWN_POSITION')?.message).toContain('VT01, VT02');
    expect(issues.find((i) => i.code === 'INVALID_DATE')?.message).toContain('31/02/1990');
  });

  it('names a missing required column and reads headers in any order, case and diacritics', async () => {
    const missing = await sheetOf(
      ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Mã vị trí dự tuyển'],
      [['A B', '01/01/1990', 'Nam', 'VT01']],
    );
    const r1 = parseCandidates(missing, recruitmentCtx());
    expect(r1.rows).toEqual([]);
    expect(r1.issues).toMatchObject([{ row: 1, column: 'Số CCCD/CMND', code: 'COLUMN_MISSING' }]);

    const shuffled = await sheetOf(
      ['STT', 'so cccd/cmnd', 'MA VI TRI DU TUYEN', 'ho ten', 'GIOI TINH', 'ngay sinh'],
      [[1, '001090000020', 'VT02', 'Đinh Công Tráng', 'Nam', '7/3/1988']],
    );
    const r2 = parseCandidates(shuffled, recruitmentCtx());
    expect(r2.issues).toEqual([]);
    expect(r2.rows).toMatchObject([
      { fullName: 'Đinh Công Tráng', idNumber: '001090000020', positionId: 12, dateOfBirth: '1988-03-07' },
    ]);
  });

  it('rejects a file that is not .xlsx', () => {
    const { rows, issues } = parseCandidates(Buffer.from('Họ và tên,Ngày sinh\n'), recruitmentCtx());
    expect(rows).toEqual([]);
    expect(issues).toMatchObject([{ code: 'XLSX_INVALID', severity: 'error' }]);
  });

  it('checks a kiểm định result against the profile and the exam date', async () => {
    const base = { 'Ngày sinh': '01/01/1990', 'Giới tính': 'Nam', 'Mã vị trí dự tuyển': 'VT01' };
    const buf = await sheetOf(RECRUITMENT_HEADER, [
      rec({
        ...base,
        'Họ và tên': 'Còn hạn',
        'Số CCCD/CMND': '001090000030',
        'Điểm kiểm định': '40/80',
        'Ngày kiểm định': '15/06/2023',
      }),
      rec({
        ...base,
        'Họ và tên': 'Hết hạn',
        'Số CCCD/CMND': '001090000031',
        'Điểm kiểm định': '70/100',
        'Ngày kiểm định': '14/06/2023',
      }),
      rec({
        ...base,
        'Họ và tên': 'Không đạt',
        'Số CCCD/CMND': '001090000032',
        'Điểm kiểm định': '49/100',
        'Ngày kiểm định': '01/11/2024',
      }),
      rec({ ...base, 'Họ và tên': 'Thiếu ngày', 'Số CCCD/CMND': '001090000033', 'Điểm kiểm định': '80/100' }),
    ]);
    const nd116 = parseCandidates(buf, recruitmentCtx(ND116_2024));
    // valid through the same day 24 months later (kiemDinhValid), exactly 50% passes
    expect(nd116.rows).toMatchObject([
      { sourceRow: 2, exemptions: ['kiem_dinh'], kiemDinh: { resultDate: '2023-06-15', correct: 40, total: 80, passed: true } },
    ]);
    expect(nd116.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 'Ngày kiểm định', 'KIEM_DINH_EXPIRED'],
      [4, 'Điểm kiểm định', 'KIEM_DINH_FAILED'],
      [5, 'Ngày kiểm định', 'REQUIRED'],
    ]);
    expect(nd116.issues[0]?.message).toContain('24 tháng');

    // Issue 12, error 4: validity counts to the application deadline (NĐ 116/2024), not the exam date.
    // Applications closed on 10/6/2025: the result of 14/6/2023 was still valid then (to 14/6/2025).
    const early = parseCandidates(buf, { ...recruitmentCtx(ND116_2024), applicationDeadline: '2025-06-10' });
    expect(early.rows.map((r) => r.sourceRow)).toEqual([2, 3]);
    // Without a deadline on the exam the import says what is missing instead of guessing.
    const noDeadline = parseCandidates(buf, { ...recruitmentCtx(ND116_2024), applicationDeadline: null });
    expect(noDeadline.issues.filter((i) => i.code === 'APPLICATION_DEADLINE_MISSING').map((i) => i.row)).toEqual([2, 3]);
    // The recruiting body's minimum kiểm định score (an exam setting): 40/80 = 50% < 60% required.
    const min60 = parseCandidates(buf, { ...recruitmentCtx(applyOverrides(ND116_2024, { kiemDinhMinPercent: 60 })) });
    expect(min60.issues.filter((i) => i.code === 'KIEM_DINH_BELOW_MIN').map((i) => i.row)).toEqual([2]);

    // NĐ 138/2020 has no kiểm định: a result is not accepted
    const nd138 = parseCandidates(buf, recruitmentCtx(ND138_2020));
    expect(nd138.issues.filter((i) => i.code === 'KIEM_DINH_NOT_ACCEPTED').map((i) => i.row)).toEqual([2, 3, 4]);
  });

  it('reports promotion eligibility failures on their rows', async () => {
    const ok = {
      'Ngày sinh': '01/01/1980',
      'Giới tính': 'Nữ',
      'Mã ngạch dự thi': 'CVC',
      'Ngạch hiện giữ': '01.003',
      'Thời gian giữ ngạch (kể cả tương đương)': '9 năm 6 tháng',
      'Thời gian giữ ngạch hiện giữ': '2 năm',
      'Xếp loại năm trước': RATING_LABELS.tot.vi,
      'Đang bị kỷ luật': 'Không',
      'Thời gian công tác': '12 năm 7 tháng',
    };
    const buf = await sheetOf(PROMOTION_HEADER, [
      promo({ ...ok, 'Họ và tên': 'Đủ điều kiện', 'Số CCCD/CMND': '001080000001' }),
      promo({ ...ok, 'Họ và tên': 'Chưa đủ năm', 'Số CCCD/CMND': '001080000002', 'Thời gian giữ ngạch (kể cả tương đương)': 5 }),
      promo({ ...ok, 'Họ và tên': 'Bị kỷ luật', 'Số CCCD/CMND': '001080000003', 'Đang bị kỷ luật': 'Có' }),
      promo({ ...ok, 'Họ và tên': 'Xếp loại thấp', 'Số CCCD/CMND': '001080000004', 'Xếp loại năm trước': 'HTNV' }),
      promo({ ...ok, 'Họ và tên': 'Ngạch sai', 'Số CCCD/CMND': '001080000005', 'Ngạch hiện giữ': '01.009' }),
      promo({ ...ok, 'Họ và tên': 'Ngạch không thuộc diện', 'Số CCCD/CMND': '001080000006', 'Ngạch hiện giữ': 'Cán sự' }),
      // by target grade code instead of the position code
      promo({
        ...ok,
        'Họ và tên': 'Lên cao cấp',
        'Số CCCD/CMND': '001080000007',
        'Mã ngạch dự thi': '01.001',
        'Ngạch hiện giữ': 'CVC',
        'Thời gian giữ ngạch (kể cả tương đương)': 6,
      }),
      // 9 years in all, but only 7 months in the grade held now: "at least 1 year as CV" fails (issue 13)
      promo({ ...ok, 'Họ và tên': 'Mới giữ ngạch', 'Số CCCD/CMND': '001080000008', 'Thời gian giữ ngạch hiện giữ': '7 tháng' }),
      // decimal years are refused: the law counts years and months
      promo({
        ...ok,
        'Họ và tên': 'Số thập phân',
        'Số CCCD/CMND': '001080000009',
        'Thời gian giữ ngạch (kể cả tương đương)': '9,5',
      }),
    ]);
    const { rows, issues } = parseCandidates(buf, promotionCtx);
    expect(rows.map((r) => r.sourceRow)).toEqual([2, 8]);
    expect(rows[0]).toMatchObject({
      positionId: 21,
      currentGrade: '01.003',
      yearsInGrade: 9.5,
      extra: { rating: 'tot', disciplined: false, monthsInGrade: 114, monthsInExactGrade: 24, serviceMonths: 151 },
    });
    expect(rows[1]).toMatchObject({ positionId: 22, currentGrade: '01.002', yearsInGrade: 6 });
    expect(issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 'Thời gian giữ ngạch (kể cả tương đương)', 'NOT_ELIGIBLE_YEARS_IN_GRADE'],
      [4, 'Đang bị kỷ luật', 'NOT_ELIGIBLE_DISCIPLINE'],
      [5, 'Xếp loại năm trước', 'NOT_ELIGIBLE_RATING'],
      [6, 'Ngạch hiện giữ', 'INVALID_GRADE'],
      [7, 'Ngạch hiện giữ', 'NOT_ELIGIBLE_CURRENT_GRADE'],
      [9, 'Thời gian giữ ngạch hiện giữ', 'NOT_ELIGIBLE_YEARS_IN_EXACT_GRADE'],
      [10, 'Thời gian giữ ngạch (kể cả tương đương)', 'INVALID_DURATION'],
    ]);
    expect(issues[0]?.message).toMatch(/yêu cầu tối thiểu 9 năm.*hiện có 5 năm/);

    // by explicit choice, the ineligible rows are kept with their reasons (warnings); bad data still fails
    const kept = parseCandidates(buf, { ...promotionCtx, keepIneligible: true });
    expect(kept.rows.map((r) => [r.sourceRow, r.notEligible?.length ?? 0])).toEqual([
      [2, 0],
      [3, 1],
      [4, 1],
      [5, 1],
      [7, 1],
      [8, 0],
      [9, 1],
    ]);
    expect(kept.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['INVALID_GRADE', 'INVALID_DURATION']);

    // an equivalent grade from the exam's table is accepted
    const eq = await sheetOf(PROMOTION_HEADER, [
      promo({ ...ok, 'Họ và tên': 'Kế toán viên', 'Số CCCD/CMND': '001080000010', 'Ngạch hiện giữ': '06.031' }),
    ]);
    expect(parseCandidates(eq, promotionCtx).issues.map((i) => i.code)).toEqual(['INVALID_GRADE']);
    const withTable = parseCandidates(eq, {
      ...promotionCtx,
      equivalences: [{ code: '06.031', name: 'Kế toán viên', equivalentTo: '01.003', source: 'Căn cứ Hội đồng ghi' }],
    });
    expect(withTable.issues).toEqual([]);
    expect(withTable.rows[0]?.currentGrade).toBe('06.031');
  });

  it('requires the promotion data', async () => {
    const buf = await sheetOf(PROMOTION_HEADER, [
      promo({
        'Họ và tên': 'Thiếu dữ liệu',
        'Ngày sinh': '01/01/1980',
        'Giới tính': 'Nam',
        'Số CCCD/CMND': '001080000009',
        'Mã ngạch dự thi': 'CVC',
      }),
    ]);
    const { rows, issues } = parseCandidates(buf, promotionCtx);
    expect(rows).toEqual([]);
    expect(issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, 'Ngạch hiện giữ', 'REQUIRED'],
      [2, 'Thời gian giữ ngạch (kể cả tương đương)', 'REQUIRED'],
      [2, 'Thời gian giữ ngạch hiện giữ', 'REQUIRED'],
      [2, 'Xếp loại năm trước', 'REQUIRED'],
      [2, 'Đang bị kỷ luật', 'REQUIRED'],
    ]);
  });
});

describe('assignCandidateNumbers', () => {
  const people: NumberingCandidate[] = [
    { fullName: 'Trần Văn Ân', dateOfBirth: '1990-01-01', idNumber: '001', positionCode: 'VT2' },
    { fullName: 'Nguyễn Thị Anh', dateOfBirth: '1991-01-01', idNumber: '002', positionCode: 'VT2' },
    { fullName: 'Lê An', dateOfBirth: '1992-01-01', idNumber: '003', positionCode: 'VT2' },
    { fullName: 'Phạm Ăn', dateOfBirth: '1993-01-01', idNumber: '004', positionCode: 'VT2' },
    { fullName: 'Đỗ Bình', dateOfBirth: '1994-01-01', idNumber: '005', positionCode: 'VT10' },
    { fullName: 'Hoàng Đức', dateOfBirth: '1995-01-01', idNumber: '006', positionCode: 'VT2' },
    { fullName: 'Võ Dũng', dateOfBirth: '1996-01-01', idNumber: '007', positionCode: 'VT2' },
    { fullName: 'Bùi An', dateOfBirth: '1989-05-05', idNumber: '008', positionCode: 'VT2' },
    { fullName: 'Bùi An', dateOfBirth: '1985-05-05', idNumber: '009', positionCode: 'VT2' },
  ];

  it('numbers by position code, then given name, full name and date of birth (Vietnamese order)', () => {
    const numbers = assignCandidateNumbers('TT25', people);
    const byNumber = people
      .map((p, i) => [numbers[i]!, p.fullName, p.dateOfBirth] as const)
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(byNumber).toEqual([
      ['TT250001', 'Bùi An', '1985-05-05'],
      ['TT250002', 'Bùi An', '1989-05-05'],
      ['TT250003', 'Lê An', '1992-01-01'],
      ['TT250004', 'Nguyễn Thị Anh', '1991-01-01'],
      ['TT250005', 'Phạm Ăn', '1993-01-01'],
      ['TT250006', 'Trần Văn Ân', '1990-01-01'],
      ['TT250007', 'Võ Dũng', '1996-01-01'],
      ['TT250008', 'Hoàng Đức', '1995-01-01'],
      ['TT250009', 'Đỗ Bình', '1994-01-01'], // VT10 after VT2 (natural order)
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const expected = new Map(people.map((p, i) => [p.idNumber, assignCandidateNumbers('TT25', people)[i]]));
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = [...people].sort(
        (a, b) => ((Number(a.idNumber) * 7919 * seed) % 13) - ((Number(b.idNumber) * 7919 * seed) % 13),
      );
      const numbers = assignCandidateNumbers('TT25', shuffled);
      shuffled.forEach((p, i) => {
        expect(numbers[i]).toBe(expected.get(p.idNumber));
      });
    }
    expect(new Set(assignCandidateNumbers('TT25', people)).size).toBe(people.length);
  });

  it('pads to four digits, more for large exams', () => {
    const many: NumberingCandidate[] = Array.from({ length: 10_000 }, (_, i) => ({
      fullName: `Thí Sinh ${i}`,
      dateOfBirth: '1990-01-01',
      idNumber: String(i).padStart(12, '0'),
      positionCode: 'VT01',
    }));
    const numbers = assignCandidateNumbers('K', many);
    expect(numbers.every((n) => /^K\d{5}$/.test(n))).toBe(true);
    expect(assignCandidateNumbers('K', many.slice(0, 3)).sort()).toEqual(['K0001', 'K0002', 'K0003']);
  });
});
