import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { fillTemplate, login } from './helpers';

/**
 * Issue 13, as a board runs a promotion exam (promotion-nd138-2020, to 01.002, quota 2), in the UI:
 * the board imports a list with two ineligible rows and, by explicit choice after the check, keeps
 * them on record; the eligibility tab shows them with their reasons; the chair records the head's
 * decision on the tie at the last seat with its number; the board publishes, records a phúc khảo
 * request (a late one is refused, with the reason on screen), assigns two reviewers who did not
 * mark the paper, types their marks twice, and republishes as version 2 with both SHA-256s. The
 * exam's set-up and the marks, which are not what is tested here, go through the API.
 */

test.describe.configure({ mode: 'serial' });

const CODE = 'NN13';
const base = {
  'Dân tộc': 'Kinh',
  'Giới tính': 'Nam',
  'Mã ngạch dự thi': 'CVC',
  'Ngạch hiện giữ': '01.003',
  'Thời gian giữ ngạch (kể cả tương đương)': '10 năm',
  'Thời gian giữ ngạch hiện giữ': '4 năm',
  'Xếp loại năm trước': 'Hoàn thành tốt nhiệm vụ',
  'Đang bị kỷ luật': 'Không',
  'Thời gian công tác': '12 năm 7 tháng',
};
/** Bình and Cường are alike in everything the tie-break chain looks at: only the head can part them. */
const ROWS = [
  { ...base, 'Họ và tên': 'Nguyễn Văn An', 'Ngày sinh': '02/03/1978', 'Số CCCD/CMND': '001078001301' },
  { ...base, 'Họ và tên': 'Trần Văn Bình', 'Ngày sinh': '01/05/1980', 'Số CCCD/CMND': '001080001302' },
  { ...base, 'Họ và tên': 'Lê Văn Cường', 'Ngày sinh': '01/05/1980', 'Số CCCD/CMND': '001080001303' },
  { ...base, 'Họ và tên': 'Phạm Văn Dũng', 'Ngày sinh': '09/09/1981', 'Số CCCD/CMND': '001081001304' },
  // not eligible: 7 months in the grade held (at least 1 year required), and under discipline
  {
    ...base,
    'Họ và tên': 'Hoàng Văn Em',
    'Ngày sinh': '03/03/1982',
    'Số CCCD/CMND': '001082001305',
    'Thời gian giữ ngạch hiện giữ': '7 tháng',
  },
  { ...base, 'Họ và tên': 'Vũ Văn Phúc', 'Ngày sinh': '04/04/1983', 'Số CCCD/CMND': '001083001306', 'Đang bị kỷ luật': 'Có' },
];
const WRITTEN: Record<string, number> = { 'Nguyễn Văn An': 85, 'Trần Văn Bình': 70, 'Lê Văn Cường': 70, 'Phạm Văn Dũng': 60 };

let examId = 0;
const numbers = new Map<string, string>();

async function ok<T>(r: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  expect(r.ok(), `${r.url()}: ${await r.text()}`).toBe(true);
  return (await r.json()) as T;
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'defence-e2e-'));
  try {
    const file = join(dir, 'file.pdf');
    writeFileSync(file, pdf);
    const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
    return out.stdout.replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** YYYY-MM-DD in Vietnam, `days` from today. */
function vnDay(days = 0): string {
  const d = new Date(Date.now() + 7 * 3600_000);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function openExam(page: Page, tab: string, user: string): Promise<void> {
  await login(page, user);
  await page.goto(`/board/exams/${examId}/${tab}`);
  await expect(page.getByTestId('exam-title')).toContainText(CODE);
}

test('1. the board imports the list, keeps the two ineligible rows on record, and sees why', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'hoidong');
  // set-up through the API: the exam, its parts marked by hand, the position with quota 2
  examId = (
    await ok<{ id: number }>(
      await page.request.post('/api/exams', {
        data: { code: CODE, name: 'Thi nâng ngạch chuyên viên chính 2026', profileId: 'promotion-nd138-2020' },
      }),
    )
  ).id;
  const exam = await ok<{ parts: { id: number }[] }>(await page.request.get(`/api/exams/${examId}`));
  for (const p of exam.parts) await ok(await page.request.put(`/api/exam-parts/${p.id}`, { data: { mode: 'written' } }));
  await ok(
    await page.request.post(`/api/exams/${examId}/positions`, {
      data: { code: 'CVC', name: 'Chuyên viên chính', quota: 2, grade: '01.002' },
    }),
  );

  const dir = mkdtempSync(join(tmpdir(), 'defence-import-'));
  try {
    const tpl = join(dir, 'mau.xlsx');
    writeFileSync(tpl, await (await page.request.get(`/api/exams/${examId}/candidates/template`)).body());
    const file = join(dir, 'danh-sach.xlsx');
    await fillTemplate(tpl, ROWS, file);

    await page.goto(`/board/exams/${examId}/candidates`);
    await page.getByTestId('candidates-file').setInputFiles(file);
    await page.getByTestId('candidates-check').click();
    // the check refuses the list as a whole and offers the explicit choice
    await expect(page.getByTestId('import-report')).toHaveAttribute('data-ok', 'false');
    const choice = page.getByTestId('keep-ineligible-choice');
    await expect(choice).toContainText('Kiểm tra thấy 2 dòng không đủ điều kiện dự thi');
    await expect(page.getByTestId('candidates-import')).toBeDisabled();
    await page.getByTestId('candidates-keep-ineligible').check();
    await expect(page.getByTestId('import-report')).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('kept-ineligible-summary')).toContainText('2 dòng không đủ điều kiện sẽ được lưu');
    await page.getByTestId('candidates-import').click();
    await expect(page.getByTestId('kept-ineligible-summary')).toContainText('Đã lưu 2 dòng không đủ điều kiện');
    await expect(page.getByTestId('candidates-count')).toHaveAttribute('data-count', '6');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // the eligibility tab: every record with its status and reasons
  await page.getByTestId('tab-eligibility').click();
  await expect(page.getByTestId('eligibility-table')).toBeVisible();
  await page.getByTestId('eligibility-filter-not_eligible').click();
  const rows = page.getByTestId('eligibility-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Hoàng Văn Em' })).toContainText('hiện có 7 tháng');
  await expect(rows.filter({ hasText: 'Vũ Văn Phúc' })).toContainText('kỷ luật');
  // a candidate's page: the data in years + months, the computed reasons, what follows
  await rows.filter({ hasText: 'Hoàng Văn Em' }).getByRole('link').click();
  await expect(page.getByTestId('eligibility-candidate')).toHaveAttribute('data-effective', 'not_eligible');
  await expect(page.getByTestId('eligibility-months-exact-years')).toHaveValue('0');
  await expect(page.getByTestId('eligibility-months-exact-months')).toHaveValue('7');
  await expect(page.getByTestId('eligibility-service-years')).toHaveValue('12');
  await expect(page.getByTestId('eligibility-service-months')).toHaveValue('7');
  await expect(page.getByTestId('eligibility-ethnicity')).toHaveValue('Kinh (Việt)');
  await expect(page.getByTestId('eligibility-consequence')).toContainText('không được đăng nhập làm bài');
  // the override needs a reason and a document: the button says why it is disabled
  await expect(page.getByTestId('override-submit')).toBeDisabled();
  await expect(page.getByTestId('override-why')).toHaveText('Ghi lý do.');

  // the list is complete: the exam goes ready, and the marks are entered (API: not what is tested here)
  await ok(await page.request.post(`/api/exams/${examId}/ready`));
  const list = await ok<{ number: string; fullName: string }[]>(await page.request.get(`/api/exams/${examId}/candidates`));
  for (const c of list) numbers.set(c.fullName, c.number);
  const parts = (await ok<{ parts: { id: number; code: string }[] }>(await page.request.get(`/api/exams/${examId}`))).parts;
  const marks: Record<string, number> = { ktc: 40, nn: 20, th: 20 };
  for (const p of parts.filter((x) => ['ktc', 'nn', 'th', 'cm_written'].includes(x.code))) {
    const rows = Object.entries(WRITTEN).map(([name, written]) => {
      const score = p.code === 'cm_written' ? written : (marks[p.code] ?? 20);
      return { number: numbers.get(name) ?? '', score, scoreAgain: score };
    });
    await ok(await page.request.post(`/api/exams/${examId}/scores`, { data: { partId: p.id, marker: 1, rows } }));
  }
});

test('2. the chair records the head’s decision with its number; the board publishes', async ({ page }) => {
  const binh = numbers.get('Trần Văn Bình') ?? '';
  const cuong = numbers.get('Lê Văn Cường') ?? '';
  await openExam(page, 'results/ranking', 'chutich');
  // the ineligible ones are not ranked, with the reason
  const em = page.getByTestId(`rank-row-${numbers.get('Hoàng Văn Em')}`);
  await expect(em).toHaveAttribute('data-status', 'failed');
  await expect(em).toContainText('Không đủ điều kiện dự thi');
  for (const n of [binh, cuong]) await expect(page.getByTestId(`rank-row-${n}`)).toHaveAttribute('data-status', 'tie_pending');
  await expect(page.getByTestId('publish-open')).toBeDisabled();
  await page.getByTestId('ties-CVC').getByTestId('tie-decide').click();
  const dialog = page.getByTestId('tie-dialog');
  const first = dialog.getByTestId('tie-order').locator('li').first();
  if ((await first.getAttribute('data-testid')) !== `tie-item-${binh}`) {
    await dialog.getByTestId(`tie-up-${binh}`).focus();
    await page.keyboard.press('Enter');
  }
  await expect(first).toHaveAttribute('data-testid', `tie-item-${binh}`);
  await dialog.getByTestId('tie-reason').fill('Thủ trưởng quyết định theo khoản 2 Điều 38 Nghị định 138/2020/NĐ-CP');
  await dialog.getByTestId('tie-decision-number').fill('45/QĐ-SNV');
  await dialog.getByTestId('tie-decision-date').fill(vnDay(0));
  await dialog.getByTestId('tie-signer').fill('Nguyễn Văn Thủ, Giám đốc Sở Nội vụ');
  await dialog.getByTestId('tie-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('tie-decision-ref')).toContainText('45/QĐ-SNV');
  await expect(page.getByTestId(`rank-row-${binh}`)).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId(`rank-row-${cuong}`)).toHaveAttribute('data-selected', 'false');

  await page.getByTestId('publish-open').click();
  const pub = page.getByTestId('publish-dialog');
  await pub.getByTestId('publish-reason').fill('Quyết định công nhận kết quả số 46/QĐ-HĐT');
  await pub.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('results-published')).toBeVisible();
  // what comes next is said, with the way there
  await expect(page.getByTestId('publication-next')).toContainText('đề nghị phúc khảo');
  await expect(page.getByTestId('go-reviews')).toHaveAttribute('href', `/board/exams/${examId}/results/reviews`);
});

test('3. a phúc khảo: a late request refused, two reviewers, marks typed twice, republished as version 2', async ({ page }) => {
  test.setTimeout(120_000);
  const binh = numbers.get('Trần Văn Bình') ?? '';
  const cuong = numbers.get('Lê Văn Cường') ?? '';
  await openExam(page, 'results/reviews', 'chutich');
  const panel = page.getByTestId('reviews-panel');
  await expect(panel.getByTestId('review-computer-note')).toContainText('Bài thi trên máy tính');
  // no window yet: the request form says what is missing
  await expect(panel.getByTestId('review-new-why')).toContainText('Hãy đặt thời hạn nhận đơn');
  await panel.getByTestId('review-window-days').fill('15');
  await panel.getByTestId('review-mark-rule').selectOption('review');
  await panel.getByTestId('review-settings-save').click();
  await expect(panel.getByTestId('review-window')).toContainText('đến hết ngày');
  await expect(panel.getByTestId('review-new-why')).toHaveCount(0);

  // a request after the window: warned before sending, refused by the server with the reason
  await panel.getByTestId('review-number').fill(cuong);
  const writtenLabel = await panel.getByTestId('review-part').locator('option', { hasText: '(thi viết)' }).first().textContent();
  await panel.getByTestId('review-part').selectOption({ label: writtenLabel ?? '' });
  await panel.getByTestId('review-date').fill(vnDay(16));
  await expect(panel.getByRole('alert').first()).toContainText('đơn sẽ bị từ chối vì quá thời hạn');
  await panel.getByTestId('review-submit').click();
  await expect(panel.getByTestId('review-new-error')).toContainText('đã quá thời hạn 15 ngày kể từ ngày công bố kết quả');
  await expect(panel.getByTestId(`review-row-${cuong}`)).toHaveCount(0);

  // within the window
  await panel.getByTestId('review-date').fill(vnDay(0));
  await panel.getByTestId('review-submit').click();
  await expect(panel.getByTestId(`review-row-${cuong}`)).toHaveAttribute('data-status', 'open');
  const detail = panel.getByTestId('review-detail');
  await expect(detail).toHaveAttribute('data-status', 'open');
  await expect(detail.getByTestId('review-next')).toContainText('phân công hai người chấm phúc khảo');

  // reviewers: the one who entered the marks (hoidong) cannot be chosen
  const r1 = detail.getByTestId('review-reviewer1');
  await expect(r1.locator('option', { hasText: '(hoidong)' })).toBeDisabled();
  await expect(detail.getByTestId('review-assign-submit')).toBeDisabled();
  const idOf = async (username: string) => (await r1.locator('option', { hasText: `(${username})` }).getAttribute('value')) ?? '';
  await r1.selectOption(await idOf('chutich'));
  await detail.getByTestId('review-reviewer2').selectOption(await idOf('admin'));
  await detail.getByTestId('review-assign-submit').click();
  await expect(detail).toHaveAttribute('data-status', 'assigned');

  // marks typed twice: a mismatch keeps the button disabled
  await detail.getByTestId('review-score-1').fill('80');
  await detail.getByTestId('review-score-again-1').fill('8');
  await expect(detail.getByTestId('review-mark-submit-1')).toBeDisabled();
  await detail.getByTestId('review-score-again-1').fill('80');
  await detail.getByTestId('review-score-again-1').press('Enter');
  await expect(detail.getByTestId('review-mark-1-saved')).toContainText('80');
  await detail.getByTestId('review-score-2').fill('82');
  await detail.getByTestId('review-score-again-2').fill('82');
  await detail.getByTestId('review-mark-submit-2').click();
  await expect(detail).toHaveAttribute('data-status', 'marked');
  await expect(detail.getByTestId('review-final')).toHaveText('81');
  await expect(detail.getByTestId('review-rule')).toContainText('điểm phúc khảo (trung bình của hai người chấm phúc khảo)');

  // republish: version 2, both digests, the before/after report
  const v1 = (await panel.getByTestId('publication-v1').getByTestId('publication-sha').textContent())?.trim() ?? '';
  expect(v1).toMatch(/^[0-9a-f]{64}$/);
  await expect(panel.getByTestId('republish-submit')).toBeDisabled();
  await panel.getByTestId('republish-reason').fill('Quyết định công nhận kết quả phúc khảo số 52/QĐ-HĐT');
  await panel.getByTestId('republish-submit').click();
  const v2 = panel.getByTestId('publication-v2');
  await expect(v2).toBeVisible();
  await expect(v2.getByTestId('publication-previous-sha')).toHaveText(v1);
  const sha2 = (await v2.getByTestId('publication-sha').textContent())?.trim() ?? '';
  expect(sha2).toMatch(/^[0-9a-f]{64}$/);
  expect(sha2).not.toBe(v1);
  await expect(v2.getByTestId(`change-${cuong}`)).toContainText('81 · #2 · Trúng tuyển');
  await expect(v2.getByTestId(`change-${binh}`)).toContainText('Không trúng tuyển');
  await expect(panel.getByTestId(`review-row-${cuong}`)).toHaveAttribute('data-status', 'republished');

  // the notice of the outcome (the request stays open below the list)
  await expect(detail).toHaveAttribute('data-status', 'republished');
  const href = (await detail.getByTestId('review-notice-pdf').getAttribute('href')) ?? '';
  const notice = pdfText(await (await page.request.get(href)).body());
  expect(notice).toContain('THÔNG BÁO KẾT QUẢ PHÚC KHẢO');
  expect(notice).toContain(cuong);
  expect(notice).toContain(`SHA-256 bản mới: ${sha2}`);

  // the ranking shows the republished result
  await page.getByTestId('results-sub-ranking').click();
  await expect(page.getByTestId('results-sha')).toHaveText(sha2);
  await expect(page.getByTestId(`rank-row-${cuong}`)).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId(`rank-row-${binh}`)).toHaveAttribute('data-selected', 'false');
});
