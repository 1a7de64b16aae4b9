import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { fillTemplate, login, type SheetRow } from './helpers';

/**
 * An exam from the NĐ 138/2020 profile end to end, against the real server (--demo data) in
 * Chromium, as the board (hoidong): create the exam, add a position, import 50 candidates from the
 * template, two rooms and a sitting with seats assigned, blueprints the sample banks can serve at
 * the ×3 bank rule, papers generated with a progress bar, admission slips downloaded as PDF.
 */

// unique per run, in case the same data directory is reused
const TAG = Date.now().toString(36).slice(-5).toUpperCase();
const CODE = `E138${TAG}`;
const CANDIDATES = 50;
const POSITION = 'CV01';

/**
 * Whole-subject blueprint rows per difficulty. The sample banks hold, approved:
 * KTC 71/60/45/20 and TA 36/35/30/13 (nhận biết/thông hiểu/vận dụng/vận dụng cao), so at ×3 each
 * count must stay ≤ floor(available/3): KTC ≤ 23/20/15/6, TA ≤ 12/11/10/4.
 */
const BLUEPRINTS: Record<string, { total: number; counts: Record<string, number> }> = {
  // the quick fill's split at 40/30/20/10 %, where the bank serves it at ×3; a cell the bank cannot
  // serve is lowered and the rest goes to the next (issue 19). How many KTC "nhận biết" questions are
  // approved depends on what earlier spec files did to the demo bank (71 or 72 of the 24 × 3 = 72
  // needed), so the test checks the proposal against each cell's maximum, not against fixed numbers.
  r1_ktc: { total: 60, counts: { nhan_biet: 24, thong_hieu: 18, van_dung: 12, van_dung_cao: 6 } },
  r1_nn: { total: 30, counts: { nhan_biet: 12, thong_hieu: 9, van_dung: 6, van_dung_cao: 3 } },
};

test.describe.configure({ mode: 'serial' });

let examId = 0;
/** the PIN slips PDF downloaded in step 6 (for step 7's candidate); kept as bytes, downloads go with their context */
let pinsPdf: Buffer = Buffer.alloc(0);

async function openTab(page: Page, tab: string): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId(`${tab}-tab`)).toBeVisible();
}

async function openExam(page: Page, tab: string): Promise<void> {
  await login(page, 'hoidong');
  await page.getByTestId('nav-exams').click();
  await page.getByTestId(`exam-link-${CODE}`).click();
  await expect(page.getByTestId('exam-title')).toContainText(CODE);
  await openTab(page, tab);
}

function candidate(n: number): SheetRow {
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((n % 12) + 1).padStart(2, '0');
  return {
    'Họ và tên': `Nguyễn Thị Thử Nghiệm ${String(n).padStart(2, '0')}`,
    'Ngày sinh': `${day}/${month}/${1985 + (n % 15)}`,
    'Giới tính': n % 2 ? 'Nam' : 'Nữ',
    'Số CCCD/CMND': `0011${String(90000000 + n)}`,
    'Dân tộc': 'Kinh',
    'Mã vị trí dự tuyển': POSITION,
  };
}

test('1. the board creates an exam from the nd138-2020 profile; readiness is refused with the reasons', async ({ page }) => {
  await login(page, 'hoidong');
  await expect(page.getByTestId('nav-exams')).toHaveText('Kỳ thi');
  await page.getByTestId('nav-exams').click();
  await expect(page.getByRole('heading', { name: 'Kỳ thi', level: 1 })).toBeVisible();

  await page.getByTestId('exam-code').fill(CODE);
  await page.getByTestId('exam-name').fill(`Kỳ thi tuyển công chức kiểm thử ${TAG}`);
  await page.getByTestId('exam-profile').selectOption('nd138-2020');
  await expect(page.getByTestId('profile-legal-basis')).toContainText('138/2020');
  await page.getByTestId('exam-organising-body').fill('Sở Nội vụ tỉnh Kiểm Thử');
  await page.getByTestId('exam-date').fill('2026-06-15');
  // NĐ 138/2020 governed until 16/9/2024: the board confirms its use with a reason (issue 12)
  await expect(page.getByTestId('exam-out-of-force')).toContainText('16/09/2024');
  await expect(page.getByTestId('exam-create')).toBeDisabled();
  await expect(page.locator('[data-testid="exam-profile"] option').nth(1)).toHaveAttribute('value', 'nd170-2025');
  // the viên chức profiles (NĐ 115/2020 as amended by NĐ 85/2023) are in force on that date, with their dates;
  // thi nâng ngạch under NĐ 24/2010 is listed after them, ended 30/11/2020 (issue 12)
  const vc = page.locator('[data-testid="exam-profile"] option[value="vc-xet-thang-hang-nd85-2023"]');
  await expect(vc).toHaveAttribute('data-in-force', 'true');
  await expect(vc).toContainText('07/12/2023 – …');
  const old = page.locator('[data-testid="exam-profile"] option[value="promotion-nd24-2010"]');
  await expect(old).toHaveAttribute('data-in-force', 'false');
  await expect(old).toContainText('… – 30/11/2020');
  const order = await page
    .locator('[data-testid="exam-profile"] option')
    .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  expect(order.indexOf('vc-thi-tuyen-nd85-2023')).toBeLessThan(order.indexOf('promotion-nd24-2010'));
  await page.getByTestId('exam-out-of-force-reason').fill('Kỳ thi kiểm thử theo quy chế cũ');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/exams') && r.request().method() === 'POST');
  await page.getByTestId('exam-create').click();
  expect((await created).status()).toBe(201);

  await expect(page.getByTestId('exam-title')).toContainText(CODE);
  examId = Number(/\/board\/exams\/(\d+)/.exec(page.url())?.[1]);
  expect(examId).toBeGreaterThan(0);
  await expect(page.getByTestId('overview-tab')).toBeVisible();
  await expect(page.getByTestId('exam-status').first()).toHaveText('Nháp');
  await expect(page.getByTestId('overview-profile')).toContainText('nd138-2020');
  await expect(page.getByTestId('overridden')).toContainText('Điều chỉnh so với quy chế');

  // nd138 on computer: KTC and foreign language; IT is dropped on computer and not created
  await openTab(page, 'parts');
  await expect(page.getByTestId('part-row-r1_ktc')).toBeVisible();
  await expect(page.getByTestId('part-row-r1_nn')).toBeVisible();
  await expect(page.getByTestId('part-row-r1_ktc').getByTestId('part-subject-code')).toHaveText('KTC');
  await expect(page.getByTestId('part-row-r1_nn').getByTestId('part-subject-code')).toHaveText('TA');

  // not ready yet: no blueprint, no candidates — the server's reasons are listed
  await openTab(page, 'overview');
  await page.getByTestId('exam-ready').click();
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/ready`));
  await page.getByTestId('exam-ready-confirm').click();
  expect((await refused).status()).toBe(409);
  await expect(page.getByTestId('ready-error')).toContainText('Chưa thể chuyển sang sẵn sàng');
  await expect(page.getByTestId('ready-error-issues')).toContainText('chưa có ma trận đề');
  await expect(page.getByTestId('exam-status').first()).toHaveText('Nháp');
});

test('2. a position with its quota, then 50 candidates imported from the template (check, then import)', async ({
  page,
}, info) => {
  await openExam(page, 'positions');
  await page.getByTestId('position-code').fill(POSITION);
  await page.getByTestId('position-name').fill('Chuyên viên quản lý nhân sự');
  await page.getByTestId('position-quota').fill('5');
  const added = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/positions`));
  await page.getByTestId('position-add').click();
  expect((await added).status()).toBe(201);
  await expect(page.getByTestId(`position-row-${POSITION}`)).toContainText('Chuyên viên quản lý nhân sự');
  await expect(page.getByTestId('positions-total')).toHaveText('5');

  await openTab(page, 'candidates');
  await expect(page.getByTestId('candidates-count')).toHaveAttribute('data-count', '0');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('candidates-template').click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const templatePath = info.outputPath('mau-thi-sinh.xlsx');
  await download.saveAs(templatePath);

  const file = info.outputPath('thi-sinh-e2e.xlsx');
  await fillTemplate(
    templatePath,
    Array.from({ length: CANDIDATES }, (_, i) => candidate(i + 1)),
    file,
  );
  await page.getByTestId('candidates-file').setInputFiles(file);

  const checked = page.waitForResponse((r) => r.url().includes('/candidates/import?dryRun=true'));
  await page.getByTestId('candidates-check').click();
  expect((await checked).status()).toBe(200);
  const report = page.getByTestId('import-report');
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(report).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('report-rows')).toHaveText(String(CANDIDATES));
  await expect(page.getByTestId('report-errors')).toHaveText('0');
  await expect(page.getByTestId('report-summary')).toContainText(`ghi ${CANDIDATES} thí sinh`);

  const imported = page.waitForResponse((r) => r.url().includes('/candidates/import?dryRun=false'));
  await page.getByTestId('candidates-import').click();
  expect((await imported).status()).toBe(200);
  await expect(report).toHaveAttribute('data-dry-run', 'false');
  await expect(page.getByTestId('report-created')).toHaveText(String(CANDIDATES));
  await expect(page.getByTestId('report-summary')).toContainText(`Đã nhập ${CANDIDATES} thí sinh`);
  await expect(page.getByTestId('candidates-count')).toHaveAttribute('data-count', String(CANDIDATES));
  await expect(page.getByTestId('candidate-row')).toHaveCount(CANDIDATES);
  await expect(page.getByTestId('pins-warning')).toContainText('chỉ hiện một lần');
});

test('3. two rooms of 30 seats and a sitting with the computer parts; seats are assigned 25/25', async ({ page }) => {
  // board screens never call a route the board may not use (issue 19: the rooms tab asked for the accounts)
  const refused: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 403) refused.push(r.url());
  });
  await openExam(page, 'rooms');
  for (const n of [1, 2]) {
    await page.getByTestId('room-code').fill(`P0${n}`);
    await page.getByTestId('room-name').fill(`Phòng máy số ${n}`);
    await page.getByTestId('room-location').fill('Trung tâm sát hạch, tầng 2');
    await page.getByTestId('room-seats').fill('30');
    await page.getByTestId('room-per-row').fill('6');
    const added = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/rooms`));
    await page.getByTestId('room-add').click();
    expect((await added).status()).toBe(201);
    await expect(page.getByTestId(`room-row-P0${n}`)).toBeVisible();
  }
  await expect(page.getByTestId('rooms-capacity')).toContainText('60');

  await page.getByTestId('sitting-name').fill('Ca 1 — Vòng 1');
  // typed as 08:00 on 20/12 in the exam's zone (Asia/Ho_Chi_Minh), with the browser in Tokyo
  await page.getByTestId('sitting-start').fill('2027-12-20T08:00');
  const computerParts = page.locator('[data-testid^="sitting-part-"][data-mode="computer_mc"]');
  await expect(computerParts).toHaveCount(2);
  for (const box of await computerParts.all()) await box.check();
  const sittingAdded = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/sittings`));
  await page.getByTestId('sitting-add').click();
  const sittingRes = await sittingAdded;
  expect(sittingRes.status()).toBe(201);
  expect(JSON.parse(sittingRes.request().postData() ?? '{}').startsAt).toBe('2027-12-20T01:00:00.000Z');

  const row = page.getByTestId('sitting-row').filter({ hasText: 'Ca 1 — Vòng 1' });
  await expect(row.getByTestId('sitting-assigned')).toHaveText(`0/${CANDIDATES}`);
  const assigned = page.waitForResponse((r) => /\/api\/sittings\/\d+\/assign$/.test(r.url()));
  await row.getByTestId('sitting-assign').click();
  const body = (await (await assigned).json()) as { assigned: number; perRoom: Record<string, number> };
  expect(body).toEqual({ assigned: CANDIDATES, perRoom: { P01: 25, P02: 25 } });
  await expect(row.getByTestId('sitting-assign-result')).toContainText('P01: 25, P02: 25');
  await expect(row.getByTestId('sitting-assigned')).toHaveText(`${CANDIDATES}/${CANDIDATES}`);
  // a manual move: the first candidate to the free seat 30 of P02; an occupied seat is refused
  const move = page.getByTestId('move-seat');
  await move.getByLabel('Ca thi').selectOption({ index: 1 });
  await move.getByLabel('Thí sinh').selectOption({ index: 1 });
  await move.getByLabel('Phòng thi').selectOption({ index: 2 }); // P02
  await move.getByLabel('Máy số').fill('1');
  const taken = page.waitForResponse((r) => /\/api\/sittings\/\d+\/seats\/\d+$/.test(r.url()));
  await move.getByRole('button', { name: 'Chuyển' }).click();
  expect((await taken).status()).toBe(409);
  await expect(move.getByText('đã có thí sinh')).toBeVisible();
  await move.getByLabel('Máy số').fill('30');
  const moved = page.waitForResponse((r) => /\/api\/sittings\/\d+\/seats\/\d+$/.test(r.url()));
  await move.getByRole('button', { name: 'Chuyển' }).click();
  expect((await moved).status()).toBe(200);
  // invigilators are listed only for administrators; the board is told so
  await expect(page.getByTestId('invigilators-admin-only')).toBeVisible();
  expect(refused).toEqual([]);
});

test('4. blueprints the banks can serve at ×3: quick fill by difficulty, then exact counts', async ({ page }) => {
  await openExam(page, 'parts');
  for (const [code, bp] of Object.entries(BLUEPRINTS)) {
    await page.getByTestId(`part-edit-${code}`).click();
    const editor = page.getByTestId('part-editor');
    await expect(editor).toHaveAttribute('data-part-code', code);
    await expect(page.getByTestId('bp-empty')).toBeVisible();

    await page.getByTestId('bp-quick-fill').locator('summary').click();
    // a split the bank cannot serve (70 % "nhận biết"): each cell is lowered to what the bank serves
    // at ×3 and the rest goes to the others, so nothing proposed is refused later
    const skew: Record<string, string> = { nhan_biet: '70', thong_hieu: '10', van_dung: '10', van_dung_cao: '10' };
    for (const [d, pct] of Object.entries(skew)) await page.getByTestId(`bp-pct-${d}`).fill(pct);
    await page.getByTestId('bp-quick-apply').click();
    await expect(page.getByTestId('bp-sum')).toHaveAttribute('data-sum', String(bp.total));
    await expect(page.getByTestId('bp-quick-shortfall')).toHaveCount(0);
    for (const row of await page.getByTestId('bp-row').all()) {
      const count = Number(await row.getByTestId('bp-count').inputValue());
      expect(count).toBeLessThanOrEqual(Number(await row.getByTestId('bp-max').textContent()));
      await expect(row.getByTestId('bp-shortfall')).toHaveCount(0);
    }
    const skewFirst = page.locator('[data-testid="bp-row"][data-topic="all"][data-difficulty="nhan_biet"]');
    expect(Number(await skewFirst.getByTestId('bp-count').inputValue())).toBe(
      Math.min(Math.round((bp.total * 70) / 100), Number(await skewFirst.getByTestId('bp-max').textContent())),
    );

    // quick fill: whole-subject rows by 40/30/20/10 % of the part's questions
    const even: Record<string, string> = { nhan_biet: '40', thong_hieu: '30', van_dung: '20', van_dung_cao: '10' };
    for (const [d, pct] of Object.entries(even)) await page.getByTestId(`bp-pct-${d}`).fill(pct);
    await page.getByTestId('bp-quick-apply').click();
    await expect(page.getByTestId('bp-row')).toHaveCount(4);
    await expect(page.getByTestId('bp-sum')).toHaveAttribute('data-sum', String(bp.total));

    // the proposal is what the bank can serve at ×3, cell by cell: saved as it is, the papers tab accepts it
    await expect(page.getByTestId('bp-quick-shortfall')).toHaveCount(0);
    const proposed: Record<string, number> = {};
    for (const [difficulty, split] of Object.entries(bp.counts)) {
      const row = page.locator(`[data-testid="bp-row"][data-topic="all"][data-difficulty="${difficulty}"]`);
      const count = Number(await row.getByTestId('bp-count').inputValue());
      const max = Number(await row.getByTestId('bp-max').textContent());
      // never more than the bank serves; a cell the bank cannot serve gets exactly what it serves, and
      // the first cell its whole split when it can
      expect(count).toBeLessThanOrEqual(max);
      if (split > max) expect(count).toBe(max);
      else if (difficulty === 'nhan_biet') expect(count).toBe(split);
      proposed[difficulty] = count;
      await expect(row.getByTestId('bp-shortfall')).toHaveCount(0);
    }
    expect(Object.values(proposed).reduce((a, b) => a + b, 0)).toBe(bp.total);
    // typing one more than the bank serves shows the shortfall in that cell at once; back again
    const first = page.locator('[data-testid="bp-row"][data-topic="all"][data-difficulty="nhan_biet"]');
    const firstMax = Number(await first.getByTestId('bp-max').textContent());
    await first.getByTestId('bp-count').fill(String(firstMax + 1));
    await expect(first.getByTestId('bp-shortfall')).toContainText('thiếu');
    await first.getByTestId('bp-count').fill(String(proposed.nhan_biet));
    await expect(first.getByTestId('bp-shortfall')).toHaveCount(0);
    await expect(page.getByTestId('bp-sum')).toHaveAttribute('data-sum', String(bp.total));
    await expect(page.getByTestId('bp-sum')).toHaveAttribute('data-total', String(bp.total));

    const saved = page.waitForResponse((r) => /\/api\/exam-parts\/\d+$/.test(r.url()) && r.request().method() === 'PUT');
    await page.getByTestId('part-save').click();
    const res = await saved;
    expect(res.status()).toBe(200);
    const cells = ((await res.json()) as { blueprint: { cells: { topicId: null; difficulty: string; count: number }[] } })
      .blueprint.cells;
    expect(Object.fromEntries(cells.map((c) => [c.difficulty, c.count]))).toEqual(proposed);
    await expect(page.getByTestId('part-editor')).toHaveCount(0);
    await expect(page.getByTestId(`part-row-${code}`).getByTestId('part-check')).toHaveAttribute('data-ok', 'true');
  }
});

test('5. papers are generated with a progress bar that reaches done', async ({ page }) => {
  await openExam(page, 'papers');
  await expect(page.getByTestId('blueprint-check')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('check-row-r1_ktc')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('check-row-r1_nn')).toHaveAttribute('data-ok', 'true');

  const started = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/papers`) && r.request().method() === 'POST');
  await page.getByTestId('papers-generate-button').click();
  const start = await started;
  expect(start.status()).toBe(202);
  const { jobId } = (await start.json()) as { jobId: number };
  expect(jobId).toBeGreaterThan(0);

  const progress = page.getByTestId('papers-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const total = String(CANDIDATES * 2);
  await expect(progress).toHaveAttribute('data-total', total);
  await expect(progress).toHaveAttribute('data-done', total);
  await expect(progress.locator('progress')).toHaveJSProperty('value', 100);
  await expect(progress).toContainText('Hoàn tất');

  const rows = page.getByTestId('papers-result-row');
  await expect(rows).toHaveCount(2);
  for (const r of await rows.all()) await expect(r).toHaveAttribute('data-papers', String(CANDIDATES));
  await expect(page.getByTestId('papers-existing')).toContainText(String(CANDIDATES));
});

test('6. the admission slips download as a PDF; PIN slips too; then the exam becomes ready', async ({ page }) => {
  await openExam(page, 'papers');
  const link = page.getByTestId('admission-slips');
  await expect(link).toHaveText('Tải giấy báo dự thi (PDF)');
  const href = await link.getAttribute('href');
  expect(href).toBe(`/api/exams/${examId}/admission-slips.pdf`);

  // the same request the link makes, with the browser's session
  const res = await page.request.get(href ?? '');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/pdf');
  const body = await res.body();
  expect(body.subarray(0, 4).toString('latin1')).toBe('%PDF');

  // and the link itself hands the browser a PDF file
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const path = await download.path();
  expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('%PDF');

  // PINs: a warning first, then a PDF of slips
  await openTab(page, 'candidates');
  await page.getByTestId('pins-issue').click();
  await expect(page.getByTestId('pins-issue-box')).toContainText(`${CANDIDATES} thí sinh`);
  const [pins] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pins-issue-confirm').click()]);
  expect(pins.suggestedFilename()).toMatch(/\.pdf$/);
  pinsPdf = readFileSync(await pins.path());
  expect(
    readFileSync(await pins.path())
      .subarray(0, 4)
      .toString('latin1'),
  ).toBe('%PDF');
  await expect(page.getByTestId('candidate-has-pin').first()).toHaveText('Có');

  // every check passes now: draft → ready, and the setup is frozen
  await openTab(page, 'overview');
  await page.getByTestId('exam-ready').click();
  const ready = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/ready`));
  await page.getByTestId('exam-ready-confirm').click();
  expect((await ready).status()).toBe(200);
  await expect(page.getByTestId('exam-status').first()).toHaveText('Sẵn sàng');
  await expect(page.getByTestId('exam-frozen')).toBeVisible();
});

const pdfText = (file: string) =>
  spawnSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');

test('7. one clock: the sitting typed as 08:00 on 20/12 reads 08:00 on every screen and document, whatever the zones', async ({
  page,
  browser,
}) => {
  // the browser runs in Asia/Tokyo and the server in America/New_York (playwright.config.ts)
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Tokyo');
  await openExam(page, 'rooms');
  const row = page.getByTestId('sitting-row').filter({ hasText: 'Ca 1 — Vòng 1' });
  await expect(row).toContainText('20/12/2027 08:00');
  const exam = (await (await page.request.get(`/api/exams/${examId}`)).json()) as {
    sittings: { id: number }[];
    timeZone: string;
  };
  expect(exam.timeZone).toBe('Asia/Ho_Chi_Minh');
  const sittingId = exam.sittings[0]?.id ?? 0;

  // the admission slip PDF and the room list XLSX
  const slips = await page.request.get(`/api/exams/${examId}/admission-slips.pdf`);
  const slipFile = test.info().outputPath('slips.pdf');
  writeFileSync(slipFile, await slips.body());
  const slipText = pdfText(slipFile);
  expect(slipText).toContain('08 giờ 00');
  expect(slipText).toContain('20/12/2027');
  const xlsx = await page.request.get(`/api/sittings/${sittingId}/room-list.xlsx`);
  const wb = new ExcelJS.Workbook();
  const xlsxFile = test.info().outputPath('room-list.xlsx');
  writeFileSync(xlsxFile, await xlsx.body());
  await wb.xlsx.readFile(xlsxFile);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value ?? '')))));
  expect(cells.some((c) => c.includes('08 giờ 00') && c.includes('20/12/2027'))).toBe(true);

  // the proctor screens (the board sees every room)
  await page.goto('/proctor');
  await expect(page.getByText('20/12/2027 08:00').first()).toBeVisible();
  await page.goto(`/proctor/sittings/${sittingId}/rooms/${(await firstRoom(page, sittingId)).roomId}`);
  await expect(page.getByTestId('room-dashboard')).toContainText('20/12/2027 08:00');
  await expect(page.getByTestId('room-state')).toHaveAttribute('data-state', 'scheduled');

  // the candidate's waiting screen, from the first PIN slip
  const pinsFile = test.info().outputPath('pins.pdf');
  writeFileSync(pinsFile, pinsPdf);
  const slip = pdfText(pinsFile).split('PHIẾU MÃ ĐĂNG NHẬP')[1] ?? '';
  const number = new RegExp(`${CODE}\\d{4}`).exec(slip)?.[0] ?? '';
  const pin = /\b(\d{6})\b/.exec(slip.slice(slip.indexOf('Mã PIN')))?.[1] ?? '';
  expect(number).not.toBe('');
  expect(pin).toMatch(/^\d{6}$/);
  const context = await browser.newContext();
  try {
    const cand = await context.newPage();
    await cand.goto('/thi-sinh');
    await cand.getByLabel('Số báo danh').fill(number);
    await cand.getByLabel('Mã PIN').fill(pin);
    await cand.getByRole('button', { name: 'Đăng nhập' }).click();
    await cand.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();
    await cand.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
    await cand.getByRole('button', { name: 'Tiếp tục' }).click();
    const scheduled = cand.getByTestId('scheduled');
    await expect(scheduled).toContainText('08:00');
    await expect(scheduled).toContainText('20/12/2027');
  } finally {
    await context.close();
  }
});

async function firstRoom(page: Page, sittingId: number): Promise<{ roomId: number }> {
  const rooms = (await (await page.request.get('/api/proctor/rooms')).json()) as { sittingId: number; roomId: number }[];
  const r = rooms.find((x) => x.sittingId === sittingId);
  if (!r) throw new Error('no room of the sitting');
  return r;
}
