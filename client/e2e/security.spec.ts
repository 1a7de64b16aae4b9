import { expect, type Page, test } from '@playwright/test';
import { login } from './helpers';

/**
 * Issue 14: the built client runs under the server's Content Security Policy without a single
 * violation (candidate sign-in, staff screens, the invigilator's room list), and no page of ours can
 * be framed.
 */

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) violations.push(msg.text());
  });
  return violations;
}

test('the built client satisfies the CSP; pages refuse to be framed', async ({ page }) => {
  const violations = watchCsp(page);
  const res = await page.goto('/thi-sinh');
  expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res?.headers()['x-frame-options']).toBe('DENY');
  await expect(page.getByLabel('Số báo danh')).toBeVisible();
  await login(page, 'hoidong');
  await page.getByTestId('nav-exams').click();
  await expect(page.getByText('DEMO').first()).toBeVisible();
  // the audit log checked against an anchor written down earlier
  await page.getByTestId('nav-system').click();
  await page.getByTestId('audit-verify').click();
  const anchor = (await page.getByTestId('audit-anchor-now').textContent()) ?? '';
  expect(anchor).toMatch(/^\d+:[0-9a-f]{64}$/);
  await page.getByTestId('audit-anchor').fill(anchor);
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-anchor-check')).toContainText('đi qua mốc');
  await page.getByTestId('nav-proctor').click();
  await expect(page.getByTestId('user-name')).toBeVisible();
  expect(violations).toEqual([]);
});
