import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { login } from './helpers';

/**
 * Live invigilation with two browsers side by side: the invigilator of room P01 (demo user
 * `giamthi`) and a candidate of that room, against the server started with `--demo` (see
 * playwright.config.ts: one PIN for every demo candidate, the sitting open, one-minute parts).
 * A candidate no other spec uses, so the order of the spec files does not matter.
 */

const PIN = process.env.E2E_CANDIDATE_PIN ?? '246810';
const NUMBER = 'DEMO0011';

test.describe.configure({ mode: 'serial' });

async function candidateToExam(page: Page): Promise<void> {
  await page.goto('/thi-sinh');
  await page.getByLabel('Số báo danh').fill(NUMBER);
  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();
  await page.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await expect(page.getByTestId('exam')).toBeVisible();
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
}

/** "mm:ss" or "h:mm:ss" → seconds. */
function seconds(text: string): number {
  const m = /(?:(\d+):)?(\d{1,2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`no time in "${text}"`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Opens the action dialog, checks that a reason is required, fills the rest and confirms. */
async function act(inv: Page, button: string, reason: string, fill?: (dialog: Locator) => Promise<void>): Promise<void> {
  await inv.getByTestId(button).click();
  const dialog = inv.getByTestId('action-dialog');
  await expect(dialog).toBeVisible();
  if (fill) await fill(dialog);
  const submit = dialog.getByTestId('action-submit');
  await expect(submit).toBeDisabled();
  await dialog.getByTestId('action-reason').fill('   ');
  await expect(submit).toBeDisabled();
  await dialog.getByTestId('action-reason').fill(reason);
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(dialog).toHaveCount(0);
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-e2e-'));
  try {
    const file = join(dir, 'minutes.pdf');
    writeFileSync(file, pdf);
    const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
    return out.stdout.replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an invigilator watches and acts; the candidate sees it at once; the minutes record it', async ({ browser }) => {
  test.setTimeout(180_000);
  const invContext = await browser.newContext();
  const candContext = await browser.newContext();
  const boardContext = await browser.newContext();
  try {
    const inv = await invContext.newPage();
    const cand = await candContext.newPage();

    // the invigilator lands on the rooms assigned to them and opens P01
    await login(inv, 'giamthi');
    await expect(inv).toHaveURL(/\/proctor$/);
    await inv.getByTestId('room-link-P01').click();
    await expect(inv.getByTestId('room-title')).toHaveText('Phòng P01 — Phòng máy 01');
    await expect(inv.getByTestId('proctor-link')).toHaveAttribute('data-state', 'connected');
    // the detailed map (the compact whole-room view is the default, issue 19)
    await inv.getByTestId('view-map').click();
    const seat = inv.getByTestId(`seat-${NUMBER}`);
    await expect(seat).toBeVisible();
    // the minutes may already hold incidents of this room from earlier spec files (a11y.spec acts in P01)
    await expect(inv.getByTestId('incidents').or(inv.getByTestId('incidents-empty'))).toBeVisible();
    const incidentsBefore = await inv.getByTestId('incidents').locator('tbody tr').count();

    // 1. the candidate signs in and starts: the seat follows
    await candidateToExam(cand);
    await expect(seat).toHaveAttribute('data-state', 'working');
    await expect(seat.getByTestId('seat-state')).toHaveText('Đang làm bài');
    await expect(seat).toHaveAttribute('data-answered', '0');

    // 2. an answer reaches the seat map within a second of its save
    await cand.getByTestId('opt-1-1').check();
    await expect(cand.getByTestId('question-1').getByTestId('saved-mark')).toBeVisible();
    const savedAt = Date.now();
    await expect(seat).toHaveAttribute('data-answered', '1', { timeout: 1_000 });
    expect(Date.now() - savedAt).toBeLessThanOrEqual(1_000);
    await expect(seat.getByTestId('seat-answered')).toHaveText(/^1\/\d+ câu$/);

    // select the seat (a button; the keyboard works too)
    await seat.focus();
    await inv.keyboard.press('Enter');
    await expect(seat).toHaveAttribute('aria-pressed', 'true');
    await expect(inv.getByTestId('selected-seat')).toContainText(NUMBER);

    // 3. an extension: the candidate's countdown follows the new deadline and says so; the seat shows it
    const before = seconds((await cand.getByTestId('timer-value').textContent()) ?? '');
    await act(inv, 'act-extend', 'Máy tính của thí sinh bị treo 5 phút', async (dialog) => {
      await dialog.getByTestId('action-minutes').fill('5');
    });
    await expect(inv.getByTestId('action-status')).toHaveText('Đã thực hiện «Cộng thêm giờ»: 1 thí sinh.');
    const extBanner = cand.locator('[data-testid="banner"][data-kind="extension"]');
    await expect(extBanner).toContainText('Bạn được cộng thêm 5 phút');
    await expect(cand.getByTestId('timer-value')).toHaveText(/^0[56]:\d\d$/);
    const after = seconds((await cand.getByTestId('timer-value').textContent()) ?? '');
    expect(after).toBeGreaterThan(before + 5 * 60 - 30);
    await expect(seat.getByTestId('seat-extended')).toHaveText('Đã cộng 5 phút');
    const seatLeft = seconds((await seat.getByTestId('seat-time-left').textContent()) ?? '');
    expect(Math.abs(seatLeft - after)).toBeLessThanOrEqual(5);
    await extBanner.getByTestId('banner-close').click();
    await expect(extBanner).toHaveCount(0);

    // 4. a pause: a full-screen notice, the clock frozen, the keys do nothing; then the resume
    await act(inv, 'act-pause', 'Thí sinh xin ra ngoài có giám thị đi kèm');
    const paused = cand.getByTestId('paused');
    await expect(paused).toBeVisible();
    await expect(paused).toContainText('Bài thi đang tạm dừng theo yêu cầu của giám thị');
    await expect(seat).toHaveAttribute('data-state', 'paused');
    await expect(seat.getByTestId('seat-state')).toHaveText('Tạm dừng');
    const frozen = await cand.getByTestId('paused-left').textContent();
    await cand.keyboard.press('2');
    await cand.waitForTimeout(2_100);
    await expect(cand.getByTestId('paused-left')).toHaveText(frozen ?? '');
    await expect(cand.getByTestId('timer-value')).toHaveText(frozen ?? '');
    await expect(cand.getByTestId('opt-1-2')).not.toBeChecked();
    await expect(cand.getByTestId('opt-1-1')).toBeChecked();

    await act(inv, 'act-resume', 'Thí sinh đã trở lại phòng thi');
    await expect(paused).toHaveCount(0);
    await expect(seat).toHaveAttribute('data-state', 'working');
    await expect(cand.getByTestId('timer-value')).not.toHaveText(frozen ?? '');
    await cand.keyboard.press('2');
    await expect(cand.getByTestId('opt-1-2')).toBeChecked();

    // 5. a message to this candidate: a banner at the top
    await act(inv, 'act-message', 'Nhắc thí sinh', async (dialog) => {
      await dialog.getByTestId('action-text').fill('Đề nghị thí sinh giữ trật tự.');
    });
    const info = cand.locator('[data-testid="banner"][data-kind="info"]');
    await expect(info).toContainText('Đề nghị thí sinh giữ trật tự.');
    await expect(info).toHaveAttribute('role', 'alert');

    // 6. a sanction (khiển trách): a warning on the candidate's screen, on the seat, in the minutes
    await act(inv, 'act-sanction', 'Trao đổi bài với thí sinh bên cạnh', async (dialog) => {
      await expect(dialog.getByTestId('action-level-khien_trach')).toBeChecked();
      await dialog.getByTestId('action-level-dinh_chi').check();
      await expect(dialog.getByTestId('action-warning')).toContainText('Đình chỉ thi kết thúc bài thi');
      await dialog.getByTestId('action-level-khien_trach').check();
    });
    const warning = cand.locator('[data-testid="banner"][data-kind="warning"]');
    await expect(warning).toContainText('Khiển trách');
    await expect(seat.getByTestId('seat-sanctions')).toHaveText('Đã xử lý: Khiển trách');
    const row = inv.getByTestId('incidents').locator('tr[data-action="sanction"]', { hasText: NUMBER });
    await expect(row).toContainText(NUMBER);
    await expect(row).toContainText('Khiển trách');
    await expect(row).toContainText('Trao đổi bài với thí sinh bên cạnh');
    await expect(inv.getByTestId('incidents').locator('tbody tr')).toHaveCount(incidentsBefore + 5);

    const href = await inv.getByTestId('minutes-pdf').getAttribute('href');
    expect(href).toMatch(/^\/api\/proctor\/sittings\/\d+\/rooms\/\d+\/minutes\.pdf$/);
    const res = await inv.request.get(href ?? '');
    expect(res.ok()).toBe(true);
    expect(res.headers()['content-type']).toContain('application/pdf');
    const text = pdfText(await res.body());
    expect(text).toContain('BIÊN BẢN PHÒNG THI');
    expect(text).toContain('Xử lý vi phạm: Khiển trách');
    expect(text).toContain('Trao đổi bài với thí sinh bên cạnh');
    expect(text).toContain('Cộng thêm giờ: 5 phút');
    expect(text).toContain('Phạm Thị Coi');
    expect(text).toContain(NUMBER);
    // the result sheet waits for the sealed data
    await expect(inv.getByTestId('result-sheet-pdf')).toBeDisabled();

    // 7. the table view: the same seat, filtered and sorted
    await inv.getByTestId('view-table').click();
    await inv.getByTestId('filter-q').fill(NUMBER);
    await expect(inv.getByTestId('table-shown')).toHaveText(/^Hiển thị 1\/\d+ thí sinh$/);
    await expect(inv.getByTestId(`seat-row-${NUMBER}`)).toHaveAttribute('data-state', 'working');
    await inv.getByTestId('filter-q').fill('');
    await inv.getByTestId('filter-state').selectOption('working');
    await expect(inv.getByTestId(`seat-row-${NUMBER}`)).toBeVisible();
    await inv.getByTestId('sort-answered').click();
    await inv.getByTestId('sort-answered').click();
    await expect(inv.getByTestId('seat-table').locator('th[aria-sort="descending"]')).toHaveCount(1);
    await inv.getByTestId('view-map').click();

    // 8. the board's overview of the sitting: P01's counts and incidents; sealing waits for running papers
    const board = await boardContext.newPage();
    await login(board, 'hoidong');
    await board.goto('/proctor');
    await board
      .locator('section', { hasText: 'Kỳ thi tuyển công chức mẫu năm 2026' })
      .locator('[data-testid^="overview-link-"]')
      .click();
    await expect(board.getByTestId('sitting-overview')).toBeVisible();
    await expect(board.getByTestId('overview-room-P01')).toBeVisible();
    expect(Number(await board.getByTestId('overview-P01-working').textContent())).toBeGreaterThanOrEqual(1);
    await expect(board.getByTestId('overview-incidents')).toContainText('Trao đổi bài với thí sinh bên cạnh');
    // sealing waits for the room to close: the button is disabled and the reason shown
    await board.getByTestId('seal-reason').fill('Kết thúc ca thi');
    await expect(board.getByTestId('seal-submit')).toBeDisabled();
    await expect(board.getByTestId('seal-why')).toContainText('Còn phòng thi chưa đóng: P01 (Đang thi)');
    // and the invigilator cannot close the room while papers run
    await expect(inv.getByTestId('act-room-close_room')).toBeDisabled();
    await expect(inv.getByTestId('close-room-why')).toContainText('bài đang làm');

    // 9. a forced submission: the candidate's paper is collected
    await act(inv, 'act-force_submit', 'Hết thời gian theo quyết định của Trưởng điểm thi', async (dialog) => {
      await expect(dialog.getByTestId('action-warning')).toContainText('Bài thi của thí sinh được thu ngay');
    });
    await expect(cand.getByTestId('result-title')).toHaveText('Giám thị đã thu bài thi');
    await expect(inv.getByTestId('incidents').locator('tr[data-action="force_submit"]', { hasText: NUMBER })).toHaveCount(1);
  } finally {
    await boardContext.close();
    await candContext.close();
    await invContext.close();
  }
});
