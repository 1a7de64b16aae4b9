import type { TopicDto } from '@exam/shared';
import { expect, test } from '@playwright/test';
import { fillTemplate, login, openQuestionByRef, openSubject, type SheetRow } from './helpers';

/**
 * The question bank workflow end to end, against the real server (--demo data) in Chromium:
 * import from Excel (check, then import; a bad file imports nothing), submit for review, no
 * self-approval, approval by the reviewer, and a new version when an approved question is edited.
 */

const SUBJECT = process.env.E2E_SUBJECT ?? 'KTC';
// unique per run, in case the same data directory is reused
const TAG = Date.now().toString(36).slice(-5).toUpperCase();
const ref = (n: number) => `E2E-${TAG}-${String(n).padStart(4, '0')}`;

test.describe.configure({ mode: 'serial' });

let topicCode = '';

function question(n: number, topic: string, over: SheetRow = {}): SheetRow {
  return {
    'Mã câu hỏi': ref(n),
    'Mã chuyên đề': topic,
    'Loại câu hỏi': 'Một đáp án',
    'Mức độ': 'Nhận biết',
    'Nội dung câu hỏi': `Câu hỏi kiểm thử ${ref(n)}: cơ quan nào ban hành Luật Cán bộ, công chức?`,
    'Phương án A': 'Quốc hội',
    'Phương án B': 'Chính phủ',
    'Phương án C': 'Bộ Nội vụ',
    'Phương án D': 'Ủy ban Thường vụ Quốc hội',
    'Đáp án đúng': 'A',
    'Căn cứ pháp lý': 'Luật Cán bộ, công chức năm 2008',
    ...over,
  };
}

test('1. tacgia imports three questions from the Excel template; a bad file imports nothing', async ({ page }, info) => {
  // a wrong password is refused with the server's Vietnamese message
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { name: 'Hệ thống thi tuyển công chức' })).toBeVisible();
  await page.getByLabel('Tên đăng nhập').fill('tacgia');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByTestId('login-error')).toContainText('Sai tên đăng nhập hoặc mật khẩu');

  await login(page, 'tacgia');
  await expect(page.getByTestId('app-name')).toHaveText(/Hệ thống thi tuyển công chức/);
  await expect(page.getByTestId('user-roles')).toHaveText('Người ra đề');
  await expect(page.getByTestId('nav-banks')).toHaveText('Ngân hàng câu hỏi');
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();

  const subjectId = await openSubject(page, SUBJECT, 'import');
  const topics = (await (await page.request.get(`/api/subjects/${subjectId}/topics`)).json()) as TopicDto[];
  const topic = topics[0];
  if (!topic) throw new Error(`subject ${SUBJECT} has no topics`);
  topicCode = topic.code;

  // the template comes from the link on the import tab
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const templatePath = info.outputPath('template.xlsx');
  await download.saveAs(templatePath);

  const goodFile = info.outputPath('cau-hoi-e2e.xlsx');
  await fillTemplate(
    templatePath,
    [
      question(1, topicCode),
      question(2, topicCode, {
        'Loại câu hỏi': 'Nhiều đáp án',
        'Mức độ': 'Thông hiểu',
        'Nội dung câu hỏi': `Câu hỏi kiểm thử ${ref(2)}: những cơ quan nào do Quốc hội bầu hoặc thành lập?`,
        'Phương án A': 'Chính phủ',
        'Phương án B': 'Hội đồng bầu cử quốc gia',
        'Phương án C': 'Ủy ban nhân dân tỉnh',
        'Phương án D': 'Hội đồng nhân dân xã',
        'Đáp án đúng': 'A, B',
      }),
      question(3, topicCode, {
        'Loại câu hỏi': 'Đúng/Sai',
        'Nội dung câu hỏi': `Câu hỏi kiểm thử ${ref(3)}: nhiệm kỳ của Quốc hội là 5 năm.`,
        'Phương án A': 'Đúng',
        'Phương án B': 'Sai',
        'Phương án C': '',
        'Phương án D': '',
        'Đáp án đúng': 'A',
      }),
    ],
    goodFile,
  );

  await page.getByTestId('import-file').setInputFiles(goodFile);
  await expect(page.getByTestId('import-format')).toContainText('Excel');
  await expect(page.getByTestId('import-commit')).toBeDisabled();
  const dry = page.waitForResponse((r) => r.url().includes('/import?') && r.url().includes('dryRun=true'));
  await page.getByTestId('import-check').click();
  expect((await dry).status()).toBe(200);
  const report = page.getByTestId('import-report');
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(page.getByTestId('report-questions')).toHaveText('3');
  await expect(page.getByTestId('report-errors')).toHaveText('0');
  await expect(report).toHaveAttribute('data-ok', 'true');

  const commit = page.waitForResponse((r) => r.url().includes('/import?') && r.url().includes('dryRun=false'));
  await page.getByTestId('import-commit').click();
  expect((await commit).status()).toBe(200);
  await expect(report).toHaveAttribute('data-dry-run', 'false');
  await expect(page.getByTestId('report-created')).toHaveText('3');

  // a file with one good and one bad row: the issue names the row and column; nothing is written
  const badFile = info.outputPath('cau-hoi-loi.xlsx');
  await fillTemplate(templatePath, [question(4, topicCode), question(5, topicCode, { 'Đáp án đúng': 'G' })], badFile);
  await page.getByTestId('import-file').setInputFiles(badFile);
  await page.getByTestId('import-check').click();
  await expect(report).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('report-errors')).not.toHaveText('0');
  const issue = page.getByTestId('report-issue').filter({ has: page.getByTestId('issue-row').getByText('3', { exact: true }) });
  await expect(issue.first()).toBeVisible();
  await expect(issue.first().getByTestId('issue-column')).toHaveText('Đáp án đúng');
  await expect(page.getByTestId('report-issues').getByRole('columnheader')).toHaveText([
    'Dòng',
    'Cột',
    'Mã lỗi',
    'Nội dung',
    'Mức',
  ]);
  await expect(page.getByTestId('import-commit')).toBeDisabled();

  // neither row of the bad file reached the bank
  const listed = await page.request.get(`/api/subjects/${subjectId}/questions?q=${encodeURIComponent(`E2E-${TAG}`)}`);
  const refs = ((await listed.json()) as { items: { ref: string; status: string }[] }).items.map((q) => q.ref).sort();
  expect(refs).toEqual([ref(1), ref(2), ref(3)]);
});

test('2. tacgia submits an imported question and cannot approve it', async ({ page }) => {
  await login(page, 'tacgia');
  await openQuestionByRef(page, SUBJECT, ref(1));
  await expect(page.getByTestId('question-status')).toHaveText('Bản nháp');
  await expect(page.getByTestId('question-options').locator('[data-correct="true"]')).toHaveCount(1);

  await page.getByTestId('action-submit').click();
  await expect(page.getByTestId('question-status')).toHaveText('Chờ duyệt');
  await expect(page.getByTestId('action-submit')).toHaveCount(0);
  // Duyệt is not available to the author, with the reason shown
  const approve = page.getByTestId('action-approve');
  if ((await approve.count()) > 0) await expect(approve).toBeDisabled();
  await expect(page.getByTestId('self-approval-note')).toHaveText('Bạn là tác giả nên không thể tự duyệt');
});

test('3. duyetde finds the question by its ref and approves it', async ({ page }) => {
  await login(page, 'duyetde');
  await expect(page.getByTestId('user-roles')).toHaveText('Người duyệt đề');
  await openQuestionByRef(page, SUBJECT, ref(1));
  await expect(page.getByTestId('question-status')).toHaveText('Chờ duyệt');
  await expect(page.getByTestId('self-approval-note')).toHaveCount(0);
  const approved = page.waitForResponse((r) => r.url().includes('/transition') && r.request().method() === 'POST');
  await page.getByTestId('action-approve').click();
  expect((await approved).status()).toBe(200);
  await expect(page.getByTestId('question-status')).toHaveText('Đã duyệt');
  await expect(page.getByTestId('comments').getByTestId('comment').last()).toContainText('Lê Văn Duyệt');
});

test('4. editing the approved question makes version 2 as a draft; version 1 stays approved', async ({ page }) => {
  await login(page, 'tacgia');
  await openQuestionByRef(page, SUBJECT, ref(1));
  await expect(page.getByTestId('question-status')).toHaveText('Đã duyệt');
  await expect(page.getByTestId('approved-notice')).toContainText('lưu sẽ tạo phiên bản mới');

  await page.getByTestId('action-edit').click();
  await expect(page.getByTestId('question-editor')).toBeVisible();
  await expect(page.getByTestId('approved-notice')).toHaveText(
    'Câu hỏi đã duyệt: lưu sẽ tạo phiên bản mới; phiên bản cũ được giữ nguyên cho các đề đã dùng',
  );
  const stem = page.getByTestId('editor-stem-content');
  await expect(stem).toContainText(ref(1));
  await stem.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' (sửa đổi lần 2)');
  await page.getByTestId('editor-legal').fill('Điều 2 Luật Cán bộ, công chức năm 2008');

  const saved = page.waitForResponse((r) => r.url().includes('/api/questions/') && r.request().method() === 'PUT');
  await page.getByTestId('editor-save').click();
  expect((await saved).status()).toBe(200);

  await expect(page.getByTestId('question-page')).toBeVisible();
  await expect(page.getByTestId('question-head-version')).toHaveText('Phiên bản 2');
  await expect(page.getByTestId('question-status')).toHaveText('Bản nháp');
  await expect(page.getByTestId('question-stem')).toContainText('sửa đổi lần 2');
  await expect(page.getByTestId('version-2')).toHaveAttribute('data-status', 'draft');
  await expect(page.getByTestId('version-1')).toHaveAttribute('data-status', 'approved');

  // version 1 is still there, read-only, as it was approved
  await page.getByTestId('version-1').click();
  await expect(page.getByTestId('viewing-old-version')).toContainText('Đang xem phiên bản 1');
  await expect(page.getByTestId('question-content')).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('question-status')).toHaveText('Đã duyệt');
  await expect(page.getByTestId('question-stem')).not.toContainText('sửa đổi lần 2');
});
