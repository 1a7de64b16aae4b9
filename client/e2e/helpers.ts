import { expect, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';

export const DEMO_PASSWORD = 'Demo@2026';

/** Signs in through the login screen and waits for the header to show the user. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByTestId('user-name')).toBeVisible();
}

/** Opens a subject's tab from the list of question banks. */
export async function openSubject(page: Page, code: string, tab?: string): Promise<number> {
  await page.getByTestId('nav-banks').click();
  await page.getByTestId(`subject-link-${code}`).click();
  await expect(page.getByTestId('subject-title')).toContainText(code);
  const id = Number(/\/board\/subjects\/(\d+)/.exec(page.url())?.[1]);
  if (tab) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`${tab}-tab`)).toBeVisible();
  }
  return id;
}

/** Finds a question by its ref in the subject's question list and opens it. */
export async function openQuestionByRef(page: Page, code: string, ref: string): Promise<void> {
  await openSubject(page, code, 'questions');
  const listed = page.waitForResponse((r) => r.url().includes('/questions?') && r.url().includes('q=') && r.ok());
  await page.getByTestId('filter-q').fill(ref);
  await page.getByTestId('filter-q').press('Enter');
  await listed;
  const row = page.getByTestId(`question-row-${ref}`);
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: ref }).click();
  await expect(page.getByTestId('question-title')).toContainText(ref);
}

export type SheetRow = Record<string, string>;

/** Fills the import template (first sheet, header on row 1) with rows keyed by column title. */
export async function fillTemplate(templatePath: string, rows: SheetRow[], outPath: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(templatePath);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('template has no sheet');
  const header = (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? '').trim());
  const unknown = rows.flatMap((r) => Object.keys(r)).filter((k) => !header.includes(k));
  if (unknown.length) throw new Error(`template lacks columns: ${[...new Set(unknown)].join(', ')} (has ${header.join(', ')})`);
  // clear the example rows (keeping the sheet's formatting), then write ours from row 2
  ws.eachRow((row, n) => {
    if (n === 1) return;
    row.eachCell((cell) => {
      cell.value = null;
    });
  });
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2);
    header.forEach((h, j) => {
      const v = r[h];
      row.getCell(j + 1).value = v === undefined || v === '' ? null : v;
    });
    row.commit();
  });
  await wb.xlsx.writeFile(outPath);
  return header;
}
