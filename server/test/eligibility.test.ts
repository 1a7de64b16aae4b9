import type { CandidateImportReport, EligibilityDto, ExamResultsDto, GradeEquivalence } from '@exam/shared';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, seedBank, type TestApp } from './helpers.js';

/**
 * Issue 13: eligibility as a record, through the API. A promotion list (to 01.002) with two
 * ineligible rows is imported with "keep them on record"; the records hold the data, the status and
 * the reasons; the ranking leaves them out; the board edits a record (audited) and overrides one
 * (a reason and a document reference are required); an equivalent grade is accepted once the board
 * has put it in the exam's table with its source.
 */
let t: TestApp;
let board: string;
let examId: number;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const inject = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const r = await t.app.inject({ method, url, headers: { cookie: board }, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: (r.body ? r.json() : null) as T & { error?: { code: string; message: string } } };
};

beforeEach(async () => {
  t = await makeApp();
  board = (await seedBank(t)).board;
  examId = (
    await inject<{ id: number }>('POST', '/api/exams', { code: 'NN', name: 'Thi nâng ngạch', profileId: 'promotion-nd138-2020' })
  ).body.id;
  expect(
    (
      await inject('POST', `/api/exams/${examId}/positions`, {
        code: 'CVC',
        name: 'Chuyên viên chính',
        quota: 1,
        grade: '01.002',
      })
    ).status,
  ).toBe(201);
});
afterEach(async () => {
  await t.close();
});

async function fill(rows: Record<string, string>[]): Promise<Buffer> {
  const tpl = await t.app.inject({ url: `/api/exams/${examId}/candidates/template`, headers: { cookie: board } });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => w.name === 'Danh sách thí sinh') ?? wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  for (let i = 2; i <= rows.length + 1; i++) {
    const r = rows[i - 2];
    ws.getRow(i).values = r ? header.map((h) => r[h] ?? '') : [];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const person = (i: number, over: Record<string, string> = {}) => ({
  'Họ và tên': `Trần Thị ${String.fromCharCode(65 + i)}`,
  'Ngày sinh': `0${i + 1}/05/1980`,
  'Giới tính': 'Nữ',
  'Số CCCD/CMND': `00118000000${i}`,
  'Dân tộc': 'Việt (Kinh)',
  'Mã ngạch dự thi': 'CVC',
  'Ngạch hiện giữ': '01.003',
  'Thời gian giữ ngạch (kể cả tương đương)': '10 năm',
  'Thời gian giữ ngạch hiện giữ': '3 năm',
  'Xếp loại năm trước': 'Hoàn thành tốt nhiệm vụ',
  'Đang bị kỷ luật': 'Không',
  'Thời gian công tác': '12 năm 7 tháng',
  ...over,
});

const send = (file: Buffer, query: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/exams/${examId}/candidates/import?${query}`,
    headers: { cookie: board, 'content-type': XLSX_MIME },
    payload: file,
  });

describe('eligibility records', () => {
  it('keeps ineligible rows on record by choice, shows and edits the data (audited), overrides with a reason and a document', async () => {
    const file = await fill([
      person(0),
      person(1, { 'Thời gian giữ ngạch hiện giữ': '7 tháng' }), // "at least 1 year as CV" fails
      person(2, { 'Đang bị kỷ luật': 'Có' }),
    ]);
    // the XLSX is accepted with its own content type; without the choice, the list is refused whole
    const refused = (await send(file, 'dryRun=false')).json() as CandidateImportReport;
    expect(refused.ok).toBe(false);
    expect(refused.created).toBe(0);
    const dry = (await send(file, 'dryRun=true&keepIneligible=true')).json() as CandidateImportReport;
    expect(dry).toMatchObject({ ok: true, created: 0 });
    expect(dry.issues.map((i) => [i.row, i.severity])).toEqual([
      [3, 'warning'],
      [4, 'warning'],
    ]);
    const done = (await send(file, 'dryRun=false&keepIneligible=true')).json() as CandidateImportReport;
    expect(done).toMatchObject({ ok: true, created: 3 });

    const list = (await inject<EligibilityDto[]>('GET', `/api/exams/${examId}/eligibility`)).body;
    const byName = (n: string) => {
      const e = list.find((x) => x.fullName === n);
      if (!e) throw new Error(n);
      return e;
    };
    expect(byName('Trần Thị A')).toMatchObject({
      effective: 'eligible',
      data: { monthsInGrade: 120, monthsInExactGrade: 36, serviceMonths: 151, ethnicity: 'Việt (Kinh)' },
    });
    const b = byName('Trần Thị B');
    expect(b.effective).toBe('not_eligible');
    expect(b.computed.reasons.join(' ')).toMatch(/yêu cầu tối thiểu 1 năm, hiện có 7 tháng/);
    expect(byName('Trần Thị C').computed.reasons.join(' ')).toMatch(/kỷ luật/);

    // the ranking leaves the not-eligible candidates out, with the reason
    const r = (await inject<ExamResultsDto>('GET', `/api/exams/${examId}/results`)).body;
    const rowB = r.positions[0]?.rows.find((x) => x.candidateId === b.candidateId);
    expect(rowB?.status).toBe('failed');
    expect(rowB?.reasons[0]).toMatch(/^Không đủ điều kiện dự thi/);

    // editing the data: the status is computed again and the edit is audited
    const url = `/api/exams/${examId}/candidates/${b.candidateId}/eligibility`;
    const badEthnicity = await inject('PUT', url, { ...b.data, ethnicity: 'Sao Hỏa' });
    expect(badEthnicity.body.error?.code).toBe('INVALID_ETHNICITY');
    const edited = await inject<EligibilityDto>('PUT', url, { ...b.data, monthsInExactGrade: 13 });
    expect(edited.status).toBe(200);
    expect(edited.body.effective, JSON.stringify(edited.body)).toBe('eligible');
    const audit = t.db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'exam.candidate.eligibility' AND entity_id = ?")
      .pluck()
      .get(String(b.candidateId)) as string;
    expect(JSON.parse(audit)).toMatchObject({ before: { monthsInExactGrade: 7 }, after: { monthsInExactGrade: 13 } });

    // the board's override needs a reason and a document reference
    const c = byName('Trần Thị C');
    const over = `/api/exams/${examId}/candidates/${c.candidateId}/eligibility/override`;
    expect((await inject('POST', over, { status: 'eligible', reason: ' ', documentRef: 'CV 12' })).body.error?.code).toBe(
      'REASON_REQUIRED',
    );
    expect(
      (await inject('POST', over, { status: 'eligible', reason: 'Đã hết thời hạn kỷ luật', documentRef: '' })).body.error?.code,
    ).toBe('DOCUMENT_REF_REQUIRED');
    const ok = await inject<EligibilityDto>('POST', over, {
      status: 'eligible',
      reason: 'Quyết định kỷ luật đã hết hiệu lực, văn bản đến muộn',
      documentRef: 'Quyết định 88/QĐ-SNV ngày 01/12/2026',
    });
    expect(ok.body).toMatchObject({
      computed: { status: 'not_eligible' },
      override: { status: 'eligible', documentRef: 'Quyết định 88/QĐ-SNV ngày 01/12/2026' },
      effective: 'eligible',
    });
    expect(
      t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'exam.candidate.eligibility_override'").pluck().get(),
    ).toBe(1);

    // an equivalent grade: refused until the board records it with its source, then accepted
    const eqFile = await fill([person(5, { 'Ngạch hiện giữ': '06.031' })]);
    const noTable = (await send(eqFile, 'dryRun=true')).json() as CandidateImportReport;
    expect(noTable.issues.map((i) => i.code)).toEqual(['INVALID_GRADE']);
    const noSource = await inject('POST', `/api/exams/${examId}/grade-equivalences`, {
      code: '06.031',
      name: 'Kế toán viên',
      equivalentTo: '01.003',
      source: ' ',
    });
    expect(noSource.body.error?.code).toBe('SOURCE_REQUIRED');
    const table = await inject<GradeEquivalence[]>('POST', `/api/exams/${examId}/grade-equivalences`, {
      code: '06.031',
      name: 'Kế toán viên',
      equivalentTo: '01.003',
      source: 'Văn bản Hội đồng dẫn chiếu (bảng lương công chức loại A1)',
    });
    expect(table.body).toHaveLength(1);
    const withTable = (await send(eqFile, 'dryRun=false')).json() as CandidateImportReport;
    expect(withTable).toMatchObject({ ok: true, created: 1 });
    const f = (await inject<EligibilityDto[]>('GET', `/api/exams/${examId}/eligibility`)).body.find(
      (x) => x.fullName === 'Trần Thị F',
    );
    expect(f).toMatchObject({ effective: 'eligible', data: { currentGrade: '06.031' } });
    expect(f?.computed.gradeVia).toMatch(/Kế toán viên \(06.031\) tương đương Chuyên viên/);
  }, 180_000); // six imports, each read in its own process: slow on a loaded 2-core machine
});

describe('positions', () => {
  it('are editable until papers exist, and the edit is audited', async () => {
    const list = (await inject<{ positions: { id: number }[] }>('GET', `/api/exams/${examId}`)).body.positions;
    const id = list[0]?.id ?? 0;
    const r = await inject<{ quota: number; name: string }>('PUT', `/api/exams/${examId}/positions/${id}`, {
      quota: 3,
      name: 'CVC (sửa)',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ quota: 3, name: 'CVC (sửa)' });
    expect(t.db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'exam.position.update'").pluck().get()).toBe(1);
    expect((await inject('PUT', `/api/exams/${examId}/positions/999`, { quota: 1 })).status).toBe(404);
  });
});
