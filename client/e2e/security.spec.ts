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
  await page.getByTestId('nav-proctor').click();
  await expect(page.getByTestId('user-name')).toBeVisible();
  expect(violations).toEqual([]);
});
