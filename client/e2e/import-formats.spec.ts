import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { login, openSubject } from './helpers';

/**
 * Issue 18 end to end: the board downloads the Word template, writes its questions into it (one
 * of them with no recognisable key), checks the file, reads the report, imports only the valid
 * questions, and finds them with a search typed without diacritics.
 */

const SUBJECT = process.env.E2E_SUBJECT ?? 'KTC';
// unique per run, in case the same data directory is reused
const TAG = `dl${Date.now().toString(36).slice(-5)}`;

test('the board imports a Word file made from the template and keeps only the valid questions', async ({ page }, info) => {
  await login(page, 'hoidong');
  await openSubject(page, SUBJECT, 'import');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-docx').click()]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const templatePath = info.outputPath('mau.docx');
  await download.saveAs(templatePath);

  // the board's questions, written into the template: a place name with diacritics in each stem,
  // and a fourth question whose right answer is not marked
  const files = unzipSync(new Uint8Array(readFileSync(templatePath)));
  let xml = strFromU8(files['word/document.xml'] ?? new Uint8Array());
  for (const n of [1, 2, 3]) xml = xml.replace(`Câu ${n}. `, `Câu ${n}. (Đắk Lắk ${TAG}) `);
  const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
  const bad = [para(`Câu 4. (Đắk Lắk ${TAG}) Câu này quên đánh dấu đáp án?`), para('A. Có'), para('B. Không')].join('');
  xml = xml.replace(/(<w:p>(?:(?!<w:p>).)*?--- HẾT ---)/, `${bad}$1`);
  expect(xml).toContain('Câu 4. (Đắk Lắk');
  files['word/document.xml'] = strToU8(xml);
  const filled = info.outputPath('cau-hoi-dak-lak.docx');
  writeFileSync(filled, zipSync(files));

  // a file of another kind is named as unsupported, with the supported formats
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'de-thi.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7') });
  await expect(page.getByTestId('import-unsupported')).toContainText('Word (.docx)');
  await expect(page.getByTestId('import-check')).toBeDisabled();

  await page.getByTestId('import-file').setInputFiles(filled);
  await expect(page.getByTestId('import-defaults')).toBeVisible();
  const firstTopic = await page.getByTestId('import-default-topic').locator('option').nth(1).getAttribute('value');
  await page.getByTestId('import-default-topic').selectOption(firstTopic ?? '');
  await page.getByTestId('import-check').click();

  const report = page.getByTestId('import-report');
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(report).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('import-format')).toContainText('Word (.docx)');
  await expect(page.getByTestId('report-errors')).toHaveText('1');
  await expect(page.getByTestId('report-valid')).toHaveText('3');
  const issue = page.locator('[data-testid="report-issue"][data-severity="error"]');
  await expect(issue).toHaveCount(1);
  await expect(issue.getByTestId('issue-message')).toContainText(/Câu 4 \(đoạn \d+\): không nhận ra đáp án đúng/);
  // the report says which convention each question used
  await expect(page.locator('[data-testid="report-issue"][data-severity="info"]').first()).toContainText('gạch chân');

  // all or nothing stays the default: the plain import is not offered
  await expect(page.getByTestId('import-commit')).toBeDisabled();
  await expect(page.getByTestId('import-valid-only')).toBeDisabled();
  await page.getByTestId('valid-only-confirm').check();
  await page.getByTestId('import-valid-only').click();
  await expect(report).toHaveAttribute('data-dry-run', 'false');
  await expect(page.getByTestId('report-created')).toHaveText('3');
  await expect(page.getByTestId('report-left-out')).toContainText('DOCX_NO_KEY');

  // found by a search typed without diacritics
  await openSubject(page, SUBJECT, 'questions');
  const listed = page.waitForResponse((r) => r.url().includes('/questions?') && r.url().includes('q=') && r.ok());
  await page.getByTestId('filter-q').fill(`dak lak ${TAG}`);
  await page.getByTestId('filter-q').press('Enter');
  await listed;
  const rows = page.locator('[data-testid^="question-row-"]');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('Đắk Lắk');
});
