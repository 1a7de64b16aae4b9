import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { login } from './helpers';

/**
 * Results of the demo exam (NĐ 138/2020, quota 3, round 2 a written paper) against the server
 * started with `--demo`: four candidates no other spec uses sit round 1 through the candidate API
 * (answering from the sample banks' keys, a few wrong each); the board enters the round-2 scores
 * by double entry and sees the ranking, decides the tie at the last seat, publishes, downloads the
 * XLSX and the PDFs; a candidate looks the result up with number + PIN; the statistics, the item
 * analysis and a key correction (which reopens the published results) are shown.
 */

const PIN = process.env.E2E_CANDIDATE_PIN ?? '246810';
const here = dirname(fileURLToPath(import.meta.url));
const BANKS = resolve(here, '../../question-banks');
/** candidate → questions answered wrongly on purpose (each still passes round 1, ≥ 50 %) */
const SITTERS: Record<string, number> = { DEMO0005: 0, DEMO0006: 3, DEMO0007: 6, DEMO0008: 9 };
const TIE_REASON = 'Thủ trưởng cơ quan quyết định theo khoản 2 Điều 10 Nghị định 138/2020/NĐ-CP';

test.describe.configure({ mode: 'serial' });

let examId = 0;

const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The sample banks' keys: stem + options → the correct options' texts. */
function bankKeys(): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const f of readdirSync(BANKS).filter((x) => x.endsWith('.json'))) {
    const bank = JSON.parse(readFileSync(join(BANKS, f), 'utf8')) as {
      questions: { stem: string; options: { text: string; correct: boolean }[] }[];
    };
    for (const q of bank.questions) {
      const texts = q.options.map((o) => plain(o.text)).sort();
      keys.set(`${plain(q.stem)}|${texts.join('|')}`, new Set(q.options.filter((o) => o.correct).map((o) => plain(o.text))));
    }
  }
  return keys;
}

interface Me {
  parts: { partId: number; status: string }[];
}
interface Attempt {
  attemptId: number;
  questions: { no: number; stem: string; options: { id: string; text: string }[] }[];
}

/** One candidate sits every round-1 part through the candidate API and submits. */
async function sitRound1(baseURL: string, number: string, wrong: number, keys: Map<string, Set<string>>): Promise<void> {
  const api = await request.newContext({ baseURL });
  try {
    const json = async <T>(r: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> => {
      expect(r.ok(), `${r.url()}: ${await r.text()}`).toBe(true);
      return (await r.json()) as T;
    };
    await json(await api.post('/api/candidate/login', { data: { number, pin: PIN, deviceId: `e2e-results-${number}` } }));
    const me = await json<Me>(await api.post('/api/candidate/acknowledge', { data: {} }));
    for (const part of me.parts) {
      if (part.status !== 'not_started') continue;
      const a = await json<Attempt>(await api.post(`/api/candidate/parts/${part.partId}/start`, { data: {} }));
      let seq = 0;
      for (const q of a.questions) {
        const key = keys.get(
          `${plain(q.stem)}|${q.options
            .map((o) => plain(o.text))
            .sort()
            .join('|')}`,
        );
        expect(key, `question ${q.no} of ${number} is in the sample banks`).toBeDefined();
        const right = q.options.filter((o) => key?.has(plain(o.text))).map((o) => o.id);
        const choice = q.no <= wrong ? [q.options.find((o) => !right.includes(o.id))?.id ?? ''] : right;
        seq++;
        await json(await api.post(`/api/candidate/attempts/${a.attemptId}/answers`, { data: { questionNo: q.no, choice, seq } }));
      }
      await json(await api.post(`/api/candidate/attempts/${a.attemptId}/submit`, { data: {} }));
    }
  } finally {
    await api.dispose();
  }
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'results-e2e-'));
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

async function openResults(page: Page, sub: string, user = 'hoidong'): Promise<void> {
  await login(page, user);
  await page.getByTestId('nav-exams').click();
  await page.getByTestId('exam-link-DEMO').click();
  await expect(page.getByTestId('exam-title')).toContainText('DEMO');
  examId = Number(/\/board\/exams\/(\d+)/.exec(page.url())?.[1]);
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('results-tab')).toBeVisible();
  await page.getByTestId(`results-sub-${sub}`).click();
}

test('0. the sitting ends as the server enforces it: close the room with absentees confirmed, then seal', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const keys = bankKeys();
  const baseURL = test.info().project.use.baseURL ?? '';
  await Promise.all(Object.entries(SITTERS).map(([n, wrong]) => sitRound1(baseURL, n, wrong, keys)));

  // the board tries to seal while room P01 is open, and reads why it can't
  await login(page, 'hoidong');
  await page.goto('/proctor');
  await page
    .locator('section', { hasText: 'Kỳ thi tuyển công chức mẫu năm 2026' })
    .locator('[data-testid^="overview-link-"]')
    .click();
  await expect(page.getByTestId('sitting-overview')).toBeVisible();
  await expect(page.getByTestId('seal-why')).toContainText('Còn phòng thi chưa đóng: P01 (Đang thi)');
  await page.getByTestId('seal-reason').fill('Kết thúc ca thi');
  await expect(page.getByTestId('seal-submit')).toBeDisabled();
  const sittingId = Number(/\/proctor\/sittings\/(\d+)/.exec(page.url())?.[1]);

  // the invigilator closes P01 once every paper is in, confirming the absentees in the minutes
  const invContext = await browser.newContext();
  try {
    const inv = await invContext.newPage();
    await login(inv, 'giamthi');
    await inv.goto('/proctor');
    await inv.locator('[data-testid^="room-link-"]').first().click();
    await expect(inv.getByTestId('room-state')).toHaveAttribute('data-state', 'open');
    // papers still running (started by other specs, one minute long) are collected at their deadline
    await expect(inv.getByTestId('act-room-close_room')).toBeEnabled({ timeout: 120_000 });
    await inv.getByTestId('act-room-close_room').click();
    const dialog = inv.getByTestId('action-dialog');
    const absentees = dialog.getByTestId('closing-absentees');
    await expect(absentees).toBeVisible();
    // the four who sat round 1 here are not absent; DEMO0020 never signed in and is
    for (const n of Object.keys(SITTERS)) await expect(absentees.locator(`li[data-number="${n}"]`)).toHaveCount(0);
    await expect(absentees.locator('li[data-number="DEMO0020"]')).toHaveCount(1);
    await dialog.getByTestId('action-reason').fill('Hết giờ thi, mọi bài đã nộp');
    await expect(dialog.getByTestId('action-submit')).toBeDisabled(); // the absentees are not confirmed yet
    await dialog.getByTestId('closing-confirm').check();
    await dialog.getByTestId('action-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(inv.getByTestId('room-state')).toHaveAttribute('data-state', 'closed');
    await expect(inv.getByTestId('act-room-message')).toBeDisabled();
  } finally {
    await invContext.close();
  }

  // now the seal succeeds
  await page.reload();
  await expect(page.getByTestId('seal-why')).toHaveCount(0);
  await page.getByTestId('seal-reason').fill('Kết thúc ca thi');
  await page.getByTestId('seal-submit').click();
  await expect(page.getByTestId('seal-result')).toBeVisible();
  const sha = (await page.getByTestId('seal-sha256').textContent())?.trim() ?? '';
  expect(sha).toMatch(/^[0-9a-f]{64}$/);

  // a candidate's sign-in to the sealed sitting is refused with the right message
  const candContext = await browser.newContext();
  try {
    const cand = await candContext.newPage();
    await cand.goto('/thi-sinh');
    await cand.getByLabel('Số báo danh').fill('DEMO0020');
    await cand.getByLabel('Mã PIN').fill(PIN);
    await cand.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(cand.getByRole('alert')).toContainText('Ca thi của bạn đã kết thúc và dữ liệu đã được niêm phong');
  } finally {
    await candContext.close();
  }

  // the result sheet's SHA-256 is sha256sum of the downloaded file, and its rows are the file's rows
  const dir = mkdtempSync(join(tmpdir(), 'results-e2e-seal-'));
  try {
    const exportFile = join(dir, 'export.json');
    const exported = await page.request.get(`/api/proctor/sittings/${sittingId}/export`);
    writeFileSync(exportFile, await exported.body());
    const sum = spawnSync('sha256sum', [exportFile], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(sum).toBe(sha);
    const doc = JSON.parse(readFileSync(exportFile, 'utf8')) as {
      candidates: { number: string; roomCode: string; absentParts: number[]; attempts: { correct: number; total: number }[] }[];
    };
    const rooms = (await (await page.request.get('/api/proctor/rooms')).json()) as { sittingId: number; roomId: number }[];
    const roomId = rooms.find((r) => r.sittingId === sittingId)?.roomId ?? 0;
    const sheet = pdfText(
      await (await page.request.get(`/api/proctor/sittings/${sittingId}/rooms/${roomId}/result-sheet.pdf`)).body(),
    );
    expect(sheet).toContain(sha);
    const inRoom = doc.candidates.filter((c) => c.roomCode === 'P01');
    expect(inRoom.length).toBe(20);
    for (const c of inRoom) {
      expect(sheet).toContain(c.number);
      if (c.attempts[0]) expect(sheet).toContain(`${c.attempts[0].correct}/${c.attempts[0].total} câu`);
    }
    expect(doc.candidates.find((c) => c.number === 'DEMO0020')?.absentParts.length).toBeGreaterThan(0);
    expect(sheet).toContain('Vắng');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('1. the board enters the round-2 scores by double entry and sees the ranking', async ({ page }) => {
  test.setTimeout(120_000);
  await openResults(page, 'marking');
  await expect(page.getByTestId('rule-row-r2_written')).toContainText('Vòng 2 — Thi viết');
  const entry = page.getByTestId('score-entry');
  await expect(entry).toHaveAttribute('data-marker', '1');
  await expect(page.getByTestId('entry-table')).toBeVisible();

  // keyboard: score, Tab, the same score again; Enter moves down the column
  await page.getByTestId('entry-score-DEMO0005').fill('90');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('entry-again-DEMO0005')).toBeFocused();
  await page.keyboard.type('90');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('entry-again-DEMO0006')).toBeFocused();
  await page.keyboard.type('58');
  await page.getByTestId('entry-score-DEMO0006').fill('85');
  // a mismatch is highlighted before anything is sent, and stops the batch
  await expect(page.getByTestId('entry-row-DEMO0006')).toHaveAttribute('data-problem', 'mismatch');
  await expect(page.getByTestId('entry-msg-DEMO0006')).toHaveText('Hai lần nhập không khớp');
  await page.getByTestId('entry-save').click();
  await expect(page.getByTestId('entry-error')).toContainText('Còn 1 dòng nhập chưa đúng');
  await expect(page.getByTestId('entry-again-DEMO0006')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('85');
  await expect(page.getByTestId('entry-row-DEMO0006')).toHaveAttribute('data-problem', '');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('entry-again-DEMO0007')).toBeFocused();
  for (const n of ['DEMO0007', 'DEMO0008']) {
    await page.getByTestId(`entry-score-${n}`).fill('80');
    await page.getByTestId(`entry-again-${n}`).fill('80');
  }
  // the rest were absent from round 2
  await page.getByTestId('entry-blank-absent').click();
  await expect(page.getByTestId('entry-absent-DEMO0001')).toBeChecked();
  await expect(page.getByTestId('entry-absent-DEMO0005')).not.toBeChecked();
  // a score beyond the scale: the server refuses the whole batch and names the row
  await page.getByTestId('entry-absent-DEMO0020').uncheck();
  await page.getByTestId('entry-score-DEMO0020').fill('150');
  await page.getByTestId('entry-again-DEMO0020').fill('150');
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/scores`) && r.request().method() === 'POST');
  await page.getByTestId('entry-save').click();
  expect((await refused).status()).toBe(400);
  await expect(page.getByTestId('entry-msg-DEMO0020').getByTestId('entry-server-issue')).toHaveText('Điểm phải từ 0 đến 100');
  await expect(page.getByTestId('entry-error')).toContainText('chưa lưu dòng nào');
  await page.getByTestId('entry-absent-DEMO0020').check();
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/exams/${examId}/scores`) && r.request().method() === 'POST');
  await page.getByTestId('entry-save').click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByTestId('entry-row-DEMO0006')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('entry-row-DEMO0006')).toContainText('Đã có điểm');
  await expect(page.getByTestId('entry-row-DEMO0001')).toHaveAttribute('data-state', 'absent');
  await expect(page.getByTestId('entry-row-DEMO0020')).toHaveAttribute('data-state', 'absent');

  // the ranking: rank order, part scores, the two tied at the last seat
  await page.getByTestId('results-sub-ranking').click();
  const table = page.getByTestId('position-VT01').getByTestId('ranking-table');
  await expect(table).toBeVisible();
  await expect(page.getByTestId('position-counts')).toContainText('Chỉ tiêu: 3');
  await expect(page.getByTestId('rank-row-DEMO0005')).toHaveAttribute('data-rank', '1');
  await expect(page.getByTestId('rank-row-DEMO0005').getByTestId('rank-status')).toHaveText('Trúng tuyển');
  await expect(page.getByTestId('rank-row-DEMO0006')).toHaveAttribute('data-rank', '2');
  await expect(page.getByTestId('rank-row-DEMO0006').getByTestId('rank-total')).toHaveText('85');
  await expect(page.getByTestId('rank-row-DEMO0001')).toHaveAttribute('data-status', 'failed');
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-testid', 'rank-row-DEMO0005');
});

test('2. the tie at the quota is flagged and the board records the head’s decision', async ({ page }) => {
  await openResults(page, 'ranking', 'chutich'); // the chair records the head's decision (issue 13)
  for (const n of ['DEMO0007', 'DEMO0008']) {
    await expect(page.getByTestId(`rank-row-${n}`)).toHaveAttribute('data-status', 'tie_pending');
    await expect(page.getByTestId(`rank-row-${n}`)).toHaveClass(/row-tie/);
    await expect(page.getByTestId(`rank-row-${n}`)).toHaveAttribute('data-rank', '3');
  }
  await expect(page.getByTestId('blocker-TIES_PENDING')).toBeVisible();
  await expect(page.getByTestId('publish-open')).toBeDisabled();
  const group = page.getByTestId('ties-VT01').getByTestId('tie-group');
  await expect(group).toContainText('Đồng hạng 3 (2 thí sinh)');
  await group.getByTestId('tie-decide').click();

  const dialog = page.getByTestId('tie-dialog');
  await expect(dialog).toBeVisible();
  // DEMO0008 first: move it up with the keyboard if it is second
  const first = dialog.getByTestId('tie-order').locator('li').first();
  if ((await first.getAttribute('data-testid')) !== 'tie-item-DEMO0008') {
    await dialog.getByTestId('tie-up-DEMO0008').focus();
    await page.keyboard.press('Enter');
  }
  await expect(first).toHaveAttribute('data-testid', 'tie-item-DEMO0008');
  await expect(first).toContainText('Nhận chỉ tiêu');
  await expect(dialog.getByTestId('tie-submit')).toBeDisabled();
  await dialog.getByTestId('tie-reason').fill(TIE_REASON);
  await expect(dialog.getByTestId('tie-submit')).toBeDisabled();
  await dialog.getByTestId('tie-decision-number').fill('21/QĐ-UBND');
  await dialog.getByTestId('tie-decision-date').fill('2026-01-05');
  await dialog.getByTestId('tie-signer').fill('Nguyễn Văn Thủ, Giám đốc Sở');
  await dialog.getByTestId('tie-submit').click();
  await expect(dialog).toHaveCount(0);

  await expect(page.getByTestId('rank-row-DEMO0008').getByTestId('rank-status')).toHaveText('Trúng tuyển');
  await expect(page.getByTestId('rank-row-DEMO0007').getByTestId('rank-status')).toHaveText('Ngoài chỉ tiêu');
  await expect(page.getByTestId('tie-decision')).toContainText(TIE_REASON);
  await expect(page.getByTestId('tie-decision-ref')).toContainText('21/QĐ-UBND');
  await page.getByTestId('explain-DEMO0007').locator('summary').click();
  await expect(page.getByTestId('explain-DEMO0007')).toContainText('Thủ trưởng quyết định — Quyết định số 21/QĐ-UBND');
  await expect(page.getByTestId('no-blockers')).toBeVisible();
  await expect(page.getByTestId('publish-open')).toBeEnabled();
});

test('3. the board publishes; the results freeze; the XLSX and the PDFs download', async ({ page }) => {
  await openResults(page, 'ranking');
  await page.getByTestId('publish-open').click();
  const dialog = page.getByTestId('publish-dialog');
  await expect(dialog).toContainText('đóng băng');
  await dialog.getByTestId('publish-reason').fill('Quyết định phê duyệt kết quả số 12/QĐ-HĐT');
  await dialog.getByTestId('publish-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('results-published')).toHaveText('Đã công bố');
  await expect(page.getByTestId('results-sha')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('publish-open')).toHaveCount(0);
  await expect(page.getByTestId('tie-decide')).toHaveCount(0);

  // the downloads, as the browser gets them
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dl-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dl-ranking-pdf').click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  // and their types and content through the board's session
  const x = await page.request.get(`/api/exams/${examId}/results.xlsx`);
  expect(x.headers()['content-type']).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect((await x.body()).subarray(0, 2).toString('latin1')).toBe('PK');
  const r = await page.request.get(`/api/exams/${examId}/results/ranking.pdf`);
  expect(r.headers()['content-type']).toContain('application/pdf');
  const text = pdfText(await r.body());
  expect(text).toContain('DANH SÁCH KẾT QUẢ THI VÀ XẾP HẠNG');
  expect(text).toContain('DEMO0008');
  const notices = await page.request.get(`/api/exams/${examId}/results/notices.pdf`);
  expect(notices.headers()['content-type']).toContain('application/pdf');
  expect(pdfText(await notices.body())).toContain('THÔNG BÁO KẾT QUẢ THI');

  // frozen: nothing can be entered any more
  await page.getByTestId('results-sub-marking').click();
  await expect(page.getByTestId('entry-frozen')).toBeVisible();
  await expect(page.getByTestId('entry-save')).toBeDisabled();
});

test('4. a candidate looks up the result with number and PIN, without a staff account', async ({ page }) => {
  await page.goto('/tra-cuu-ket-qua');
  await expect(page.getByRole('heading', { name: 'Tra cứu kết quả thi' })).toBeVisible();
  await expect(page.getByLabel('Số báo danh')).toBeFocused();
  await page.keyboard.type('DEMO0008');
  await page.keyboard.press('Tab');
  await page.keyboard.type('000000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lookup-error')).toContainText('Sai số báo danh hoặc mã PIN');

  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  const result = page.getByTestId('lookup-result');
  await expect(result).toContainText('Kỳ thi tuyển công chức mẫu năm 2026');
  await expect(page.getByTestId('lookup-number')).toHaveText('DEMO0008');
  await expect(page.getByTestId('lookup-outcome')).toContainText('TRÚNG TUYỂN');
  await expect(page.getByTestId('lookup-total')).toHaveText('80');
  await expect(page.getByTestId('lookup-rank')).toHaveText('3');
  // the place is explained, the head's decision with its number (issue 13)
  await expect(page.getByTestId('lookup-explanation')).toContainText('Quyết định số 21/QĐ-UBND');
  await expect(page.getByTestId('lookup-parts')).toContainText('Vòng 2 — Thi viết');
  await expect(page.getByTestId('lookup-published')).toHaveText(/\d{2}\/\d{2}\/\d{4}/);

  await page.getByTestId('lookup-again').click();
  await page.getByLabel('Số báo danh').fill('DEMO0007');
  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page.getByTestId('lookup-outcome')).toContainText('Không trúng tuyển');
  await expect(page.getByTestId('lookup-outcome')).toHaveAttribute('data-selected', 'false');
});

test('5. statistics as charts, item analysis per part and from the question in the bank', async ({ page }) => {
  await openResults(page, 'stats');
  await expect(page.getByTestId('stats-panel')).toBeVisible();
  await expect(page.getByTestId('stats-panel').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('pass-by-room').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('pass-by-position')).toContainText('Chuyên viên quản lý nhân sự');

  await page.getByTestId('results-sub-items').click();
  const part = page.getByTestId('items-part-r1_ktc');
  await expect(part).toBeVisible();
  await expect(part.getByTestId('items-alpha')).toHaveText(/^(-?\d+(,\d+)?|—)$/);
  const firstItem = part.getByTestId('items-table').locator('tbody tr').first();
  await expect(firstItem).toBeVisible();
  // from an analysed question to its page in the bank, where the panel shows this exam
  await firstItem.getByRole('link').first().click();
  await expect(page.getByTestId('question-page')).toBeVisible();
  await expect(page.getByTestId('question-item-analysis')).toContainText('Kỳ thi tuyển công chức mẫu năm 2026');
});

test('6. a key correction re-scores the papers holding the question and reopens the published results', async ({ page }) => {
  await openResults(page, 'corrections');
  const pick = page.getByTestId('correction-pick');
  await expect(pick).toBeVisible();
  // the first question of the first part's list
  const value = await pick.locator('option').nth(1).getAttribute('value');
  await pick.selectOption(value ?? '');
  await expect(page.getByTestId('correction-version')).toHaveValue(value ?? '');
  await page.getByTestId('correction-kind-void').check();
  await page.getByTestId('correction-mode-full').check();
  await page.getByTestId('correction-reason').fill('Câu hỏi có hai phương án đúng theo văn bản hiện hành');
  await page.getByTestId('correction-submit').click();
  await expect(page.getByTestId('correction-confirm-box')).toContainText('mở lại kết quả');
  await page.getByTestId('correction-confirm').click();
  const report = page.getByTestId('correction-report');
  await expect(report).toBeVisible();
  await expect(page.getByTestId('correction-counts')).toContainText('bài thi có câu hỏi này');
  await expect(page.getByTestId('correction-unpublished')).toBeVisible();
  await expect(page.getByTestId('corrections-table').locator('tbody tr')).toHaveCount(1);

  await page.getByTestId('results-sub-ranking').click();
  await expect(page.getByTestId('results-open')).toHaveText('Chưa công bố');
});
