import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ChoiceOption,
  ExamItemAnalysisDto,
  ExamResultsDto,
  PositionResultDto,
  QuestionItemAnalysisDto,
  ResultPartDto,
  ResultRowDto,
  ResultsStatsDto,
} from '@exam/shared';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePaper } from '../src/modules/exams/papers.js';
import {
  CHAIR_NOTE,
  CHAIR_TITLE,
  DRAFT_NOTE,
  dateLineVi,
  NOTICE_TITLE,
  noticesPdf,
  priorityLabel,
  RANKING_TITLE,
  rankingPdf,
  resultsXlsx,
} from '../src/modules/results/documents.js';
import { examItemAnalysis } from '../src/modules/results/itemAnalysisService.js';
import { binIndex, resultsStats } from '../src/modules/results/stats.js';
import { createUser, json, login, makeApp, readyExam, seedBank, type TestApp } from './helpers.js';

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'results-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text of the PDF (or of one page) through pdftotext. */
function pdfText(pdf: Buffer, page?: number, layout = true): string {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const range = page !== undefined ? ['-f', String(page), '-l', String(page)] : [];
  const mode = layout ? ['-layout'] : [];
  const out = spawnSync('pdftotext', [...mode, '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  return out.stdout;
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

/** Row values of a sheet as plain arrays (1-based columns dropped). */
function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// A hand-built ExamResultsDto: two positions, three parts (computer KTC /60, foreign language /30
// as a condition, round-2 written /100), two rooms and a candidate without a room, a decided tie
// and a pending one.

const EXAM = { name: 'Kỳ thi tuyển công chức tỉnh Quảng Nam năm 2025', code: 'QN25', organisingBody: 'Sở Nội vụ tỉnh Quảng Nam' };

function part(
  partId: number,
  status: ResultPartDto['status'],
  score: number | null,
  over: Partial<ResultPartDto> = {},
): ResultPartDto {
  const spec: Record<number, Pick<ResultPartDto, 'code' | 'name' | 'round' | 'mode' | 'role' | 'scoreScale'>> = {
    1: { code: 'r1_ktc', name: 'Kiến thức chung', round: 1, mode: 'computer_mc', role: 'condition', scoreScale: 60 },
    2: { code: 'r1_nn', name: 'Ngoại ngữ', round: 1, mode: 'written', role: 'condition', scoreScale: 30 },
    3: { code: 'r2_written', name: 'Thi viết chuyên ngành', round: 2, mode: 'written', role: 'counted', scoreScale: 100 },
  };
  return {
    partId,
    ...(spec[partId] as (typeof spec)[number]),
    status,
    score,
    correct: null,
    total: null,
    marks: null,
    ...over,
  };
}

function row(
  candidateId: number,
  fullName: string,
  roomCode: string | null,
  parts: ResultPartDto[],
  over: Partial<ResultRowDto>,
): ResultRowDto {
  return {
    candidateId,
    number: `QN25${String(candidateId).padStart(4, '0')}`,
    fullName,
    dateOfBirth: `199${candidateId % 10}-0${(candidateId % 9) + 1}-15`,
    roomCode,
    parts,
    conditionsMet: true,
    baseScore: null,
    priorityPoints: 0,
    priorityCode: null,
    total: null,
    rank: null,
    selected: false,
    status: 'failed',
    reason: null,
    reasonEn: null,
    reasons: [],
    reasonsEn: [],
    warnings: [],
    warningsEn: [],
    tieGroup: null,
    sanctions: [],
    explanation: { lines: [], tie: null },
    ...over,
  };
}

const POS_A: PositionResultDto = {
  positionId: 1,
  code: 'CV-DD',
  name: 'Chuyên viên quản lý đất đai',
  quota: 2,
  selected: 2,
  rows: [
    row(1, 'Nguyễn Thị Hồng Nhung', 'P1', [part(1, 'passed', 45), part(2, 'passed', 20), part(3, 'passed', 88)], {
      total: 93,
      priorityPoints: 5,
      priorityCode: 'con_chinh_sach',
      baseScore: 88,
      rank: 1,
      selected: true,
      status: 'selected',
    }),
    row(2, 'Đặng Quốc Dũng', 'P2', [part(1, 'passed', 50), part(2, 'exempt', null), part(3, 'passed', 86.5)], {
      total: 86.5,
      rank: 2,
      selected: true,
      status: 'selected',
      tieGroup: 0,
    }),
    row(3, 'Lê Thị Ửng Hồng', 'P1', [part(1, 'passed', 40), part(2, 'passed', 18), part(3, 'passed', 86.5)], {
      total: 86.5,
      rank: 2,
      status: 'below_quota',
      reason: 'Xếp hạng 2, ngoài chỉ tiêu (chỉ tiêu: 2).',
      tieGroup: 0,
    }),
    row(4, 'Phạm Đức Hưng', 'P2', [part(1, 'failed', 20), part(2, 'passed', 25), part(3, 'absent', null)], {
      status: 'failed',
      reason: 'Không đạt phần thi Kiến thức chung (20/60).',
      reasons: ['Không đạt phần thi Kiến thức chung (20/60).'],
      conditionsMet: false,
    }),
    row(5, 'Vũ Ngọc Ánh', null, [part(1, 'absent', null), part(2, 'absent', null), part(3, 'absent', null)], {
      status: 'failed',
      reason: 'Vắng thi.',
    }),
  ],
  tiedGroups: [
    {
      rank: 2,
      candidateIds: [2, 3],
      seats: 1,
      decision: {
        candidateIds: [2, 3],
        reason: 'Thủ trưởng cơ quan quyết định',
        by: 'board',
        at: '2025-07-01T03:00:00Z',
        ref: null,
      },
    },
  ],
};

const POS_B: PositionResultDto = {
  positionId: 2,
  code: 'KTV',
  name: 'Kế toán viên',
  quota: 1,
  selected: 0,
  rows: [
    row(6, 'Trần Văn Ấn', 'P1', [part(1, 'passed', 60), part(2, 'passed', 30), part(3, 'passed', 70)], {
      total: 70,
      rank: 1,
      status: 'tie_pending',
      reason: 'Đồng hạng 1 với 1 người khác — chờ người đứng đầu cơ quan quyết định.',
      tieGroup: 0,
    }),
    row(7, 'Đỗ Thị Yến', 'P2', [part(1, 'passed', 36), part(2, 'passed', 15), part(3, 'passed', 70)], {
      total: 70,
      rank: 1,
      status: 'tie_pending',
      reason: 'Đồng hạng 1 với 1 người khác — chờ người đứng đầu cơ quan quyết định.',
      tieGroup: 0,
    }),
    row(8, 'Hoàng Minh Đức', 'P2', [part(1, 'cancelled', 0), part(2, 'passed', 20), part(3, 'barred', null)], {
      status: 'sanction',
      reason: 'Bị hủy kết quả thi.',
      sanctions: ['huy_ket_qua'],
    }),
  ],
  tiedGroups: [{ rank: 1, candidateIds: [6, 7], seats: 1, decision: null }],
};

const RESULTS: ExamResultsDto = {
  examId: 1,
  examName: EXAM.name,
  examCode: EXAM.code,
  profileId: 'nd138-2020',
  published: { publishedAt: '2025-07-01T20:00:00Z', by: 'board', sha256: 'a'.repeat(64) },
  positions: [POS_A, POS_B],
  blockers: [],
  computedAt: '2025-07-01T10:00:00Z',
};

describe('statistics', () => {
  it('bins equal widths from 0 to the scale, the maximum in the last bin', () => {
    expect(binIndex(0, 60, 10)).toBe(0);
    expect(binIndex(5.99, 60, 10)).toBe(0);
    expect(binIndex(6, 60, 10)).toBe(1);
    expect(binIndex(60, 60, 10)).toBe(9);
    expect(binIndex(0.6, 3, 10)).toBe(2); // 0.6 / 0.3 is 1.999… in floating point
  });

  it('histograms per part count only scored parts; pass rates per room and per position', () => {
    const s = resultsStats(RESULTS);
    expect(s.histograms.map((h) => h.name)).toEqual(['Kiến thức chung', 'Ngoại ngữ', 'Thi viết chuyên ngành']);
    const ktc = s.histograms[0];
    // scores 45, 50, 40, 20, 60, 36, 0 (cancelled counts with its score); the absent one does not
    expect(ktc?.bins).toHaveLength(10);
    expect(ktc?.bins[0]).toEqual({ from: 0, to: 6, count: 1 });
    expect(ktc?.bins[9]).toEqual({ from: 54, to: 60, count: 1 });
    expect(ktc?.bins.reduce((a, b) => a + b.count, 0)).toBe(7);
    expect(ktc?.mean).toBe(Math.round((251 / 7) * 100) / 100);
    expect(ktc?.passRate).toBe(Math.round((5 / 7) * 10_000) / 10_000);
    const nn = s.histograms[1];
    expect(nn?.bins.reduce((a, b) => a + b.count, 0)).toBe(6); // exempt and absent left out
    const r2 = s.histograms[2];
    expect(r2?.bins.reduce((a, b) => a + b.count, 0)).toBe(5); // absent and barred left out
    expect(r2?.bins[8]?.count).toBe(3); // 86.5, 86.5, 88
    expect(r2?.passRate).toBe(1);

    expect(s.byPosition).toEqual([
      { key: 'CV-DD', label: 'Chuyên viên quản lý đất đai', candidates: 5, passed: 3, rate: 0.6 },
      { key: 'KTV', label: 'Kế toán viên', candidates: 3, passed: 2, rate: 0.6667 },
    ]);
    expect(s.byRoom).toEqual([
      { key: 'P1', label: 'Phòng P1', candidates: 3, passed: 3, rate: 1 },
      { key: 'P2', label: 'Phòng P2', candidates: 4, passed: 2, rate: 0.5 },
      { key: '', label: 'Chưa xếp phòng', candidates: 1, passed: 0, rate: 0 },
    ]);
  });

  it('an exam without candidates has empty statistics', () => {
    const s = resultsStats({ ...RESULTS, positions: [{ ...POS_B, rows: [], tiedGroups: [] }] });
    expect(s.histograms).toEqual([]);
    expect(s.byRoom).toEqual([]);
    expect(s.byPosition[0]).toMatchObject({ candidates: 0, rate: null });
    expect(() => resultsStats(RESULTS, 0)).toThrow(RangeError);
  });
});

describe('results workbook (XLSX)', () => {
  it('has the results sheet, a ranking sheet per position and a score sheet per room', async () => {
    const wb = await readXlsx(await resultsXlsx(RESULTS, EXAM));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Kết quả',
      'Xếp hạng CV-DD',
      'Xếp hạng KTV',
      'Phòng P1',
      'Phòng P2',
      'Chưa xếp phòng',
    ]);

    const all = sheetRows(wb.getWorksheet('Kết quả') as ExcelJS.Worksheet);
    const headerAt = all.findIndex((r) => r[0] === 'STT');
    expect(all[0]?.[0]).toBe('SỞ NỘI VỤ TỈNH QUẢNG NAM');
    expect(all.flat()).toContain('KẾT QUẢ THI');
    expect(all[headerAt]).toEqual([
      'STT',
      'SBD',
      'Họ và tên',
      'Ngày sinh',
      'Vị trí dự tuyển',
      'Phòng thi',
      'Kiến thức chung (60 điểm), điều kiện',
      'Ngoại ngữ (30 điểm), điều kiện',
      'Thi viết chuyên ngành (100 điểm)',
      'Điểm ưu tiên',
      'Tổng điểm',
      'Thứ hạng',
      'Trúng tuyển',
      'Lý do',
    ]);
    const body = all.slice(headerAt + 1);
    expect(body).toHaveLength(8);
    expect(body[0]).toEqual([
      1,
      'QN250001',
      'Nguyễn Thị Hồng Nhung',
      '15/02/1991',
      'Chuyên viên quản lý đất đai',
      'P1',
      45,
      20,
      88,
      5,
      93,
      1,
      'Có',
      '',
    ]);
    // exempt shows as text, numbers stay numbers with a 2-decimal format
    expect(body[1]?.[7]).toBe('Miễn thi');
    expect(body[1]?.[8]).toBe(86.5);
    expect(body[3]?.[12]).toBe('Không');
    expect(body[3]?.[13]).toMatch(/Kiến thức chung/);
    const ws = wb.getWorksheet('Kết quả') as ExcelJS.Worksheet;
    expect(ws.getCell(headerAt + 2, 11).numFmt).toBe('0.00');

    const rank = sheetRows(wb.getWorksheet('Xếp hạng CV-DD') as ExcelJS.Worksheet);
    expect(rank.flat()).toContain(RANKING_TITLE);
    expect(rank.flat().some((v) => typeof v === 'string' && v.includes('Chỉ tiêu: 2'))).toBe(true);
    const rh = rank.findIndex((r) => r[0] === 'STT');
    const ranked = rank.slice(rh + 1, rh + 6);
    expect(ranked.map((r) => r[1])).toEqual(['QN250001', 'QN250002', 'QN250003', 'QN250004', 'QN250005']);
    expect(ranked[1]?.[10]).toBe('Nhóm 1');
    expect(ranked[2]?.[10]).toBe('Nhóm 1');
    expect(ranked[2]?.[11]).toBe('Không trúng tuyển');
    expect(ranked[0]?.[10]).toBe('');
    // tied rows are highlighted, and the group is explained below the table
    const rws = wb.getWorksheet('Xếp hạng CV-DD') as ExcelJS.Worksheet;
    const fill = rws.getCell(rh + 3, 2).fill as ExcelJS.FillPattern | undefined;
    expect(fill?.fgColor?.argb).toBe('FFFFF2CC');
    expect(rank.flat().some((v) => typeof v === 'string' && /Nhóm bằng điểm 1.*QN250002, QN250003.*đã quyết định/.test(v))).toBe(
      true,
    );
    const kt = sheetRows(wb.getWorksheet('Xếp hạng KTV') as ExcelJS.Worksheet);
    expect(kt.flat()).toContain('Chờ quyết định');

    const p2 = sheetRows(wb.getWorksheet('Phòng P2') as ExcelJS.Worksheet);
    const ph = p2.findIndex((r) => r[0] === 'STT');
    expect(p2[ph]).toEqual([
      'STT',
      'SBD',
      'Họ và tên',
      'Ngày sinh',
      'Kiến thức chung (60 điểm), điều kiện',
      'Ngoại ngữ (30 điểm), điều kiện',
      'Thi viết chuyên ngành (100 điểm)',
    ]);
    expect(p2.slice(ph + 1).map((r) => r[1])).toEqual(['QN250002', 'QN250004', 'QN250007', 'QN250008']);
    expect(p2[ph + 2]?.slice(4)).toEqual([20, 25, 'Vắng thi']);
  });

  it('marks unpublished results as a draft', async () => {
    const wb = await readXlsx(await resultsXlsx({ ...RESULTS, published: null }, EXAM));
    expect(sheetRows(wb.getWorksheet('Kết quả') as ExcelJS.Worksheet).flat()).toContain(DRAFT_NOTE);
  });
});

describe('ranking and notice PDFs', () => {
  it('writes the date line the administrative way, in Vietnam time', () => {
    expect(dateLineVi('2025-07-01T20:00:00Z', 'Quảng Nam')).toBe('Quảng Nam, ngày 02 tháng 7 năm 2025');
    expect(dateLineVi('2026-02-05T01:00:00Z')).toBe('……………, ngày 05 tháng 02 năm 2026');
  });

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)(
    'ranking: national heading, title, position and quota, columns, tied groups and the chair signature',
    async () => {
      const pdf = await rankingPdf(RESULTS, { ...EXAM, place: 'Quảng Nam' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pageCount(pdf)).toBe(2);
      const p1 = pdfText(pdf, 1);
      for (const s of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'SỞ NỘI VỤ TỈNH QUẢNG NAM',
        'HỘI ĐỒNG THI',
        RANKING_TITLE,
        EXAM.name,
        'Vị trí: Chuyên viên quản lý đất đai (CV-DD)',
        'Chỉ tiêu: 2',
        'STT',
        'SBD',
        'Họ và tên',
        'Ngày sinh',
        'Kết quả',
        'Nguyễn Thị Hồng Nhung',
        'QN250001',
        '86,5',
        'Trúng tuyển',
        'Không trúng tuyển',
        '2 (N1)',
        'N1: nhóm bằng điểm',
        'Quảng Nam, ngày 02 tháng 7 năm 2025',
        CHAIR_TITLE,
        CHAIR_NOTE,
        'QN25 — Danh sách kết quả thi và xếp hạng — trang 1/2',
      ])
        expect(p1).toContain(s);
      // headers that wrap inside their cell, read in drawing order
      const flow = pdfText(pdf, 1, false).replace(/\s+/g, ' ');
      for (const h of ['Điểm ưu tiên', 'Tổng điểm', 'Xếp hạng', 'Kiến thức chung (60)', 'Thi viết chuyên ngành (100)'])
        expect(flow).toContain(h);
      const p2 = pdfText(pdf, 2);
      expect(p2).toContain('Vị trí: Kế toán viên (KTV)');
      expect(p2).toContain('chờ người đứng đầu quyết định');
      expect(p2).toContain(CHAIR_TITLE);
      expect(pdfText(await rankingPdf({ ...RESULTS, published: null }, EXAM), 1)).toContain(DRAFT_NOTE);
    },
  );

  it.skipIf(!HAS_PDFTOTEXT && !process.env.CI)(
    'notices: one page per candidate with the parts, total, rank, result, reason and signature',
    async () => {
      const pdf = await noticesPdf(RESULTS, EXAM);
      expect(pageCount(pdf)).toBe(8);
      const first = pdfText(pdf, 1);
      for (const s of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        NOTICE_TITLE,
        'Nguyễn Thị Hồng Nhung',
        'QN250001',
        '15/02/1991',
        'Chuyên viên quản lý đất đai',
        'Kiến thức chung (điều kiện)',
        'Thi viết chuyên ngành',
        'Đạt',
        'Điểm ưu tiên:',
        'Tổng điểm:',
        '93',
        'TRÚNG TUYỂN',
        CHAIR_TITLE,
        CHAIR_NOTE,
      ])
        expect(first).toContain(s);
      // the priority category by its label under the profile, not its code
      expect(pdfText(pdf, 1, false).replace(/\s+/g, ' ')).toContain(`5 (${priorityLabel(RESULTS, 'con_chinh_sach')})`);
      expect(priorityLabel(RESULTS, 'con_chinh_sach')).toMatch(/^Con liệt sĩ/);
      const fourth = pdfText(pdf, 4);
      expect(fourth).toContain('Phạm Đức Hưng');
      expect(fourth).toContain('KHÔNG TRÚNG TUYỂN');
      expect(fourth).toContain('Không đạt phần thi Kiến thức chung (20/60).');
      expect(fourth).toContain('Vắng thi');
      expect(pdfText(pdf, 6)).toContain('CHỜ NGƯỜI ĐỨNG ĐẦU QUYẾT ĐỊNH');
    },
  );

  it('documents of an exam without positions or candidates are still valid', async () => {
    const empty = { ...RESULTS, positions: [] };
    expect(pageCount(await rankingPdf(empty))).toBe(1);
    expect(pageCount(await noticesPdf(empty))).toBe(1);
    const wb = await readXlsx(await resultsXlsx(empty));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Kết quả']);
  });
});

// ---------------------------------------------------------------------------------------------
// Routes and item analysis over a real exam: six candidates, two questions each drawn from six.

describe('report routes and item analysis', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof seedBank>>;
  let ctx: Awaited<ReturnType<typeof readyExam>>;

  const db = () => t.db.$client;
  const get = (url: string, cookie = s.board) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  function paperOf(candidateId: number) {
    const items = db()
      .prepare('SELECT items FROM papers WHERE candidate_id = ? AND part_id = ?')
      .pluck()
      .get(candidateId, ctx.partId) as string;
    return decodePaper(items).items.map((it) => {
      const opts = JSON.parse(
        db().prepare('SELECT options FROM question_versions WHERE id = ?').pluck().get(Number(it.versionId)) as string,
      ) as ChoiceOption[];
      return {
        versionId: Number(it.versionId),
        questionId: Number(it.questionId),
        right: opts.find((o) => o.correct)?.id ?? '',
        wrong: opts.find((o) => !o.correct)?.id ?? '',
      };
    });
  }

  /** Candidate n answers `right` of the two questions correctly (the first `right` ones) and submits. */
  async function sit(n: number, right: number, blankSecond = false) {
    const id = ctx.pins[n - 1]?.candidateId ?? 0;
    const a = await t.delivery.start(id, ctx.partId);
    const paper = paperOf(id);
    for (let q = 0; q < 2; q++) {
      if (q === 1 && blankSecond) continue;
      const ack = await t.delivery.saveAnswer(id, a.attemptId, {
        questionNo: q + 1,
        choice: [q < right ? (paper[q]?.right ?? '') : (paper[q]?.wrong ?? '')],
        seq: q + 1,
      });
      expect(ack.ok).toBe(true);
    }
    await t.delivery.submit(a.attemptId, 'candidate');
  }

  beforeEach(async () => {
    t = await makeApp();
    s = await seedBank(t);
    ctx = await readyExam(t, s, { candidates: 6, durationMin: 30, rooms: 2 });
    await sit(1, 2);
    await sit(2, 2);
    await sit(3, 1);
    await sit(4, 0);
    await sit(5, 1, true);
    // candidate 6 is absent
  });
  afterEach(async () => {
    await t.close();
  });

  const submittedVersions = () =>
    new Set(
      (db().prepare("SELECT candidate_id AS c FROM attempts WHERE status = 'submitted'").all() as { c: number }[]).flatMap((a) =>
        paperOf(a.c).map((q) => q.versionId),
      ),
    );

  it('downloads the XLSX and both PDFs, and the statistics', async () => {
    const xlsx = await get(`/api/exams/${ctx.examId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain('attachment');
    const wb = await readXlsx(xlsx.rawPayload);
    expect(wb.worksheets[0]?.name).toBe('Kết quả');
    expect(wb.worksheets.some((w) => w.name.startsWith('Phòng '))).toBe(true);

    for (const url of ['ranking.pdf', 'notices.pdf']) {
      const res = await get(`/api/exams/${ctx.examId}/results/${url}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain('attachment');
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const notices = await get(`/api/exams/${ctx.examId}/results/notices.pdf`);
    expect(pageCount(notices.rawPayload)).toBe(6);
    if (HAS_PDFTOTEXT) expect(pdfText(notices.rawPayload, 1)).toContain(NOTICE_TITLE);

    const stats = await get(`/api/exams/${ctx.examId}/results/stats?bins=5`);
    expect(stats.statusCode).toBe(200);
    const st = json<ResultsStatsDto>(stats);
    const ktc = st.histograms.find((h) => h.partId === ctx.partId);
    expect(ktc?.bins).toHaveLength(5);
    expect(ktc?.bins.reduce((a, b) => a + b.count, 0)).toBe(5); // five sat, one absent
    expect(st.byPosition[0]?.candidates).toBe(6);
    expect(st.byRoom.reduce((a, b) => a + b.candidates, 0)).toBe(6);

    // the board only
    expect((await get(`/api/exams/${ctx.examId}/results.xlsx`, s.authorA)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/exams/${ctx.examId}/results/stats` })).statusCode).toBe(401);
    expect((await get('/api/exams/9999/results/ranking.pdf')).statusCode).toBe(404);
  });

  it('item analysis: one entry per distinct version, sane numbers, consistent with the attempts', async () => {
    const res = await get(`/api/exams/${ctx.examId}/item-analysis`);
    expect(res.statusCode).toBe(200);
    const a = json<ExamItemAnalysisDto>(res);
    expect(a.parts).toHaveLength(1);
    const p = a.parts[0];
    if (!p) throw new Error('no part');
    expect(p.partId).toBe(ctx.partId);
    expect(p.candidates).toBe(5);
    const versions = submittedVersions();
    expect(p.items.map((i) => i.versionId).sort((x, y) => x - y)).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(p.items.map((i) => i.versionId)).size).toBe(p.items.length);
    let credit = 0;
    let blanks = 0;
    for (const item of p.items) {
      expect(item.facility).not.toBeNull();
      expect(item.facility).toBeGreaterThanOrEqual(0);
      expect(item.facility).toBeLessThanOrEqual(1);
      if (item.discrimination !== null) expect(Math.abs(item.discrimination)).toBeLessThanOrEqual(1);
      if (item.pointBiserial !== null) expect(Math.abs(item.pointBiserial)).toBeLessThanOrEqual(1);
      expect(item.stemText).toMatch(/^Câu hỏi số \d\?$/);
      expect(item.distractors.map((d) => d.letter)).toEqual(['A', 'B', 'C', 'D']);
      expect(item.distractors.filter((d) => d.correct)).toHaveLength(1);
      expect(item.distractors.reduce((x, d) => x + d.count, 0) + item.blank).toBe(item.candidates);
      credit += (item.facility ?? 0) * item.candidates;
      blanks += item.blank;
    }
    const attempts = db().prepare("SELECT SUM(correct) AS c, COUNT(*) AS n FROM attempts WHERE status = 'submitted'").get() as {
      c: number;
      n: number;
    };
    expect(attempts.n).toBe(5);
    expect(credit).toBeCloseTo(attempts.c, 3);
    expect(credit).toBeCloseTo(6, 3); // 2 + 2 + 1 + 0 + 1
    expect(blanks).toBe(1);
    expect(p.items.reduce((x, i) => x + i.candidates, 0)).toBe(10);
    expect(await examItemAnalysis(t.db, ctx.examId)).toEqual(a);

    expect((await get(`/api/exams/${ctx.examId}/item-analysis`, s.reviewerA)).statusCode).toBe(403);
    expect((await get('/api/exams/9999/item-analysis')).statusCode).toBe(404);
  });

  it('key corrections: full marks score 1 for everyone, dropped questions leave the analysis', async () => {
    const [full, drop] = [...submittedVersions()];
    if (full === undefined || drop === undefined) throw new Error('need two versions');
    for (const body of [
      { versionId: full, kind: 'void', mode: 'full_marks', reason: 'Câu hỏi có hai đáp án đúng' },
      { versionId: drop, kind: 'void', mode: 'drop', reason: 'Câu hỏi sai nội dung' },
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/exams/${ctx.examId}/key-corrections`,
        headers: { cookie: s.board },
        payload: body,
      });
      expect(r.statusCode).toBe(200);
    }
    const p = json<ExamItemAnalysisDto>(await get(`/api/exams/${ctx.examId}/item-analysis`)).parts[0];
    expect(p?.droppedVersionIds).toEqual([drop]);
    expect(p?.items.some((i) => i.versionId === drop)).toBe(false);
    const item = p?.items.find((i) => i.versionId === full);
    expect(item).toMatchObject({ facility: 1, correction: 'full_marks' });
    expect(item?.flags).toContain('facility_high');
  });

  it('per question: every exam that used it, visible to the board and to the subject’s authors and reviewers only', async () => {
    const first = paperOf(ctx.pins[0]?.candidateId ?? 0)[0];
    if (!first) throw new Error('no question');
    const url = `/api/questions/${first.questionId}/item-analysis`;
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    const q = json<QuestionItemAnalysisDto>(res);
    expect(q.questionId).toBe(first.questionId);
    expect(q.exams).toHaveLength(1);
    expect(q.exams[0]).toMatchObject({ examId: ctx.examId, examName: 'Thi thử', versionId: first.versionId, partId: ctx.partId });
    const facility = q.exams[0]?.facility ?? -1;
    expect(facility).toBeGreaterThanOrEqual(0);
    expect(facility).toBeLessThanOrEqual(1);
    const fromExam = json<ExamItemAnalysisDto>(await get(`/api/exams/${ctx.examId}/item-analysis`)).parts[0]?.items.find(
      (i) => i.versionId === first.versionId,
    );
    expect(q.exams[0]?.facility).toBe(fromExam?.facility);

    expect((await get(url, s.authorA)).statusCode).toBe(200);
    expect((await get(url, s.reviewerA)).statusCode).toBe(200);
    const other = await get(url, s.authorB);
    expect(other.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(other).error.code).toBe('FORBIDDEN_SUBJECT');
    await createUser(t.db, { username: 'giamthi', fullName: 'Giám thị', roles: ['invigilator'] });
    expect((await get(url, await login(t.app, 'giamthi'))).statusCode).toBe(403);
    expect((await get('/api/questions/99999/item-analysis')).statusCode).toBe(404);
  });
});
