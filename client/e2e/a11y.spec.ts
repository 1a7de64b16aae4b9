import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Browser, expect, type Page, request, test } from '@playwright/test';
import { DEMO_PASSWORD, fillTemplate, login } from './helpers';

/**
 * Issue 19, against the real server started with `--demo` (one known PIN, the sitting open,
 * one-minute parts): axe-core at WCAG 2.1 AA on every candidate screen and on the invigilator's
 * room page, a keyboard-only candidate at 200 % text in 1024×768, the themes' screenshots, a
 * focus loss on the seat map, and a 60-seat room on one 1366×768 screen.
 */

const PIN = process.env.E2E_CANDIDATE_PIN ?? '246810';
const here = dirname(fileURLToPath(import.meta.url));
const DOCS = resolve(here, '../../docs');
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

test.describe.configure({ mode: 'serial' });

// Its own demo server (as sealed.spec.ts has): these tests sign candidates in, submit, pause and
// suspend them, and the other spec files count on the shared demo exam as the seed left it.
const repoRoot = resolve(here, '../..');
let server: ChildProcess | null = null;
let dataDir = '';
let ownBase = '';

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((ok) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => ok(port));
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(330_000);
  dataDir = mkdtempSync(join(tmpdir(), 'exam-e2e-a11y-'));
  const port = await freePort();
  server = spawn(process.execPath, ['server/dist/main.js', '--demo'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      TZ: 'America/New_York',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_PASSWORD: 'Admin@12345',
      LOGIN_RATE_LIMIT: '1000',
      LOG_LEVEL: 'warn',
      DEMO_CANDIDATE_PIN: PIN,
      DEMO_SITTING_OFFSET_MIN: '0',
      DEMO_PART_MINUTES: '1',
    },
  });
  ownBase = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${ownBase}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    // a loaded machine may take minutes to start it
    if (i > 1200) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** axe-core with the WCAG 2.0/2.1 A and AA rules: no violation allowed. */
async function axe(page: Page, screen: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(WCAG21AA).analyze();
  const found = r.violations.map(
    (v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`,
  );
  expect.soft(found, `axe violations on ${screen}`).toEqual([]);
  expect(r.passes.length).toBeGreaterThan(5);
}

interface Staff {
  api: APIRequestContext;
  examId: number;
  sittingId: number;
  roomId: number;
  candidateId(number: string): Promise<number>;
  action(body: Record<string, unknown>): Promise<void>;
}

/** The board (hoidong) over the API, pointed at the demo exam's room P01. */
async function staff(baseURL: string): Promise<Staff> {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/api/auth/login', { data: { username: 'hoidong', password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  const exams = (await (await api.get('/api/exams')).json()) as
    | { id: number; code: string }[]
    | { items: { id: number; code: string }[] };
  const list = Array.isArray(exams) ? exams : exams.items;
  const examId = list.find((e) => e.code === 'DEMO')?.id ?? 0;
  const rooms = (await (await api.get('/api/proctor/rooms')).json()) as { examId: number; sittingId: number; roomId: number }[];
  const room = rooms.find((r) => r.examId === examId);
  if (!room) throw new Error('no demo room');
  const path = `/api/proctor/sittings/${room.sittingId}/rooms/${room.roomId}`;
  return {
    api,
    examId,
    sittingId: room.sittingId,
    roomId: room.roomId,
    async candidateId(number) {
      const d = (await (await api.get(path)).json()) as { seats: { candidateId: number; number: string }[] };
      const id = d.seats.find((s) => s.number === number)?.candidateId;
      if (!id) throw new Error(`no seat for ${number}`);
      return id;
    },
    async action(body) {
      const r = await api.post(`${path}/actions`, { data: body });
      expect(r.status(), await r.text()).toBe(200);
    },
  };
}

async function grantExtraTime(s: Staff, number: string, minutes: number): Promise<void> {
  const id = await s.candidateId(number);
  const r = await s.api.put(`/api/exams/${s.examId}/candidates/${id}/accommodation`, {
    data: { extraMinutes: minutes, reason: 'Thí sinh khiếm thị, dùng trình đọc màn hình' },
  });
  expect(r.status(), await r.text()).toBe(200);
}

async function signIn(page: Page, number: string): Promise<void> {
  await page.getByLabel('Số báo danh').fill(number);
  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Presses Tab until the element is focused: the keyboard's own way there. */
async function tabTo(page: Page, testId: string, max = 60): Promise<void> {
  const target = page.getByTestId(testId);
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/** The focused element shows a visible outline (or box shadow). */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const target = el.closest('.q-opt') ?? el;
    const s = getComputedStyle(target);
    const own = getComputedStyle(el);
    const outlined = (x: CSSStyleDeclaration) =>
      (x.outlineStyle !== 'none' && Number.parseFloat(x.outlineWidth) >= 2) || x.boxShadow !== 'none';
    return outlined(s) || outlined(own);
  });
}

async function newCandidatePage(browser: Browser, baseURL: string, viewport = { width: 1024, height: 768 }) {
  const context = await browser.newContext({ baseURL, viewport, locale: 'vi-VN' });
  return { context, page: await context.newPage() };
}

test('axe-core finds no WCAG 2.1 AA violation on any candidate screen, in every theme, nor on the room page', async ({
  browser,
}) => {
  test.setTimeout(720_000);
  const baseURL = ownBase;
  const s = await staff(baseURL);
  // the tour takes longer than the demo's one-minute part: the board grants extra time first (issue 19)
  await grantExtraTime(s, 'DEMO0004', 20);
  const { context, page } = await newCandidatePage(browser, baseURL);
  try {
    await page.goto('/thi-sinh');
    await expect(page.getByRole('heading', { name: 'Thí sinh đăng nhập' })).toBeVisible();
    await axe(page, 'sign-in');

    await signIn(page, 'DEMO0004');
    await expect(page.getByRole('heading', { name: 'Kiểm tra thông tin thí sinh' })).toBeVisible();
    await axe(page, 'confirmation');
    await page.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();

    await expect(page.getByRole('heading', { name: 'Nội quy phòng thi' })).toBeVisible();
    await axe(page, 'rules');
    await page.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    await expect(page.getByTestId('start-part')).toBeVisible();
    await axe(page, 'waiting');
    await page.getByTestId('start-part').click();

    await expect(page.getByTestId('exam')).toBeVisible();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
    await page.keyboard.press('1');
    await expect(page.getByTestId('question-1').getByTestId('saved-mark')).toBeVisible();
    // "saved" is announced for the question, once
    await expect(page.getByTestId('save-announcer')).toHaveText('Câu 1: đã lưu');
    // the candidate crosses out option 2 of question 1: local only, not an answer
    await page.getByTestId('elim-1-2').click();
    await expect(page.getByTestId('elim-1-2')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('opt-1-2')).not.toBeChecked();
    await axe(page, 'exam, one question');
    await page.getByTestId('view-all').click();
    await expect(page.getByTestId('question-2')).toBeVisible();
    await axe(page, 'exam, all questions');
    await page.getByTestId('view-one').click();

    // the themes, each checked and kept as a screenshot
    for (const theme of ['contrast', 'inverted'] as const) {
      await page.getByTestId('exam').getByTestId('access-open').click();
      await page.getByTestId('exam').getByTestId(`theme-${theme}`).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.getByTestId('exam').getByTestId('access-open').click();
      await axe(page, `exam, theme ${theme}`);
      await page.screenshot({ path: resolve(DOCS, `exam-theme-${theme === 'contrast' ? 'high-contrast' : 'inverted'}.png`) });
    }
    await page.getByTestId('exam').getByTestId('access-open').click();
    await page.getByTestId('exam').getByTestId('theme-default').click();
    await page.getByTestId('exam').getByTestId('access-open').click();

    // the reading guide follows the focus
    await page.getByTestId('exam').getByTestId('access-open').click();
    await page.getByTestId('line-focus').click();
    await expect(page.getByTestId('reading-guide')).toBeVisible();
    await page.getByTestId('line-focus').click();
    await page.getByTestId('exam').getByTestId('access-open').click();

    await page.getByTestId('submit-open').click();
    await expect(page.getByTestId('submit-dialog')).toBeVisible();
    await axe(page, 'submit dialog');
    await page.getByTestId('submit-cancel').click();

    // paused by the invigilator, then resumed (a paused paper would keep the room from closing)
    const id = await s.candidateId('DEMO0004');
    await s.action({ action: 'pause', candidateIds: [id], reason: 'Kiểm tra máy' });
    await expect(page.getByTestId('paused')).toBeVisible();
    await axe(page, 'paused');
    await s.action({ action: 'resume', candidateIds: [id], reason: 'Đã kiểm tra xong' });
    await expect(page.getByTestId('paused')).toHaveCount(0);

    await page.getByTestId('submit-open').click();
    await page.getByTestId('submit-confirm').click();
    await expect(page.getByTestId('result-title')).toBeVisible();
    await axe(page, 'result');
  } finally {
    await context.close();
  }

  // suspended: another candidate, suspended by the invigilator while sitting
  const second = await newCandidatePage(browser, baseURL);
  try {
    const p = second.page;
    await p.goto('/thi-sinh');
    await signIn(p, 'DEMO0009');
    await p.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();
    await p.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
    await p.getByRole('button', { name: 'Tiếp tục' }).click();
    await p.getByTestId('start-part').click();
    await expect(p.getByTestId('exam')).toBeVisible();
    const id = await s.candidateId('DEMO0009');
    await s.action({ action: 'sanction', level: 'dinh_chi', candidateIds: [id], reason: 'Mang tài liệu vào phòng thi' });
    await expect(p.getByTestId('suspended')).toBeVisible();
    await axe(p, 'suspended');
  } finally {
    await second.context.close();
  }

  // the candidates' result lookup, its form and a refusal
  const lookup = await newCandidatePage(browser, baseURL);
  try {
    const p = lookup.page;
    await p.goto('/tra-cuu-ket-qua');
    await expect(p.getByRole('heading', { name: 'Tra cứu kết quả thi' })).toBeVisible();
    await axe(p, 'result lookup');
    await p.getByLabel('Số báo danh').fill('DEMO0008');
    await p.getByLabel('Mã PIN').fill('000000');
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    await expect(p.getByTestId('lookup-error')).toBeVisible();
    await axe(p, 'result lookup, refused');
  } finally {
    await lookup.context.close();
  }

  // the invigilator's room page
  const board = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  try {
    const page = await board.newPage();
    await login(page, 'hoidong');
    await page.goto(`/proctor/sittings/${s.sittingId}/rooms/${s.roomId}`);
    await expect(page.getByTestId('seat-map')).toBeVisible();
    await expect(page.getByTestId('proctor-link')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('seat-DEMO0004').focus();
    await axe(page, 'room page, whole room with the details of a seat open');
    await page.getByTestId('view-map').click();
    await axe(page, 'room page, detailed map');
    await page.getByTestId('view-table').click();
    await expect(page.getByTestId('view-table')).toHaveAttribute('aria-pressed', 'true');
    await axe(page, 'room page, table');
    // an action's dialog (the reason it is recorded with), opened and left without acting
    await page.getByTestId('act-room-message').click();
    await expect(page.getByTestId('action-dialog')).toBeVisible();
    await axe(page, 'room page, action dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('action-dialog')).toHaveCount(0);
  } finally {
    await board.close();
    await s.api.dispose();
  }
});

test('a keyboard-only candidate completes a paper at 200 % text in 1024×768; a focus loss reaches the seat map', async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const baseURL = ownBase;
  const s = await staff(baseURL);
  await grantExtraTime(s, 'DEMO0010', 15);

  // the invigilator's screen, 1366×768, the whole room
  const boardCtx = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  const { context, page } = await newCandidatePage(browser, baseURL);
  try {
    const inv = await boardCtx.newPage();
    await login(inv, 'hoidong');
    await inv.goto(`/proctor/sittings/${s.sittingId}/rooms/${s.roomId}`);
    await expect(inv.getByTestId('proctor-link')).toHaveAttribute('data-state', 'connected');
    const seat = inv.getByTestId('seat-DEMO0010');
    // the accommodation shows on the seat map
    await expect(seat.getByTestId('seat-extra')).toHaveText('+15′');

    // keyboard only from here on the candidate's PC: text size 200 %, then sign-in → exam
    await page.goto('/thi-sinh');
    await expect(page.getByTestId('cand-number')).toBeFocused();
    await tabTo(page, 'access-open');
    await page.keyboard.press('Enter');
    await tabTo(page, 'text-200');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-large', 'true');
    await tabTo(page, 'access-open');
    await page.keyboard.press('Enter');
    await tabTo(page, 'cand-number');
    await page.keyboard.type('DEMO0010');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('confirm-ok')).toBeFocused();
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rules-agree')).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('start-part')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('exam')).toBeVisible();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');

    // nothing is cut off sideways at 200 % in 1024×768
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(await noSideways()).toBe(true);

    // the candidate leaves the exam window: headless Chromium keeps every page focused, so the
    // operating system taking the focus away is played as the browser reports it (the window's
    // blur with document.hasFocus() false); the page's own handler and the server do the rest
    // the seat map's page notes when the seat's warning count first rises (both browsers read the
    // same machine clock), so the delay measured is the page's and the server's, not the test's polling
    expect(Number(await seat.getAttribute('data-warnings'))).toBe(0);
    await seat.evaluate((el) => {
      new MutationObserver((_, obs) => {
        if (Number(el.getAttribute('data-warnings')) > 0) {
          document.body.dataset.warnSeenAt = String(Date.now());
          obs.disconnect();
        }
      }).observe(el, { attributes: true, attributeFilter: ['data-warnings'] });
    });
    const lostAt = await page.evaluate(() => {
      Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
      const at = Date.now();
      window.dispatchEvent(new FocusEvent('blur'));
      Reflect.deleteProperty(document, 'hasFocus');
      return at;
    });
    await expect.poll(async () => Number(await seat.getAttribute('data-warnings')), { timeout: 20_000 }).toBeGreaterThan(0);
    const seenAt = Number(await inv.evaluate(() => document.body.dataset.warnSeenAt ?? 'NaN'));
    const delay = seenAt - lostAt;
    test.info().annotations.push({ type: 'focus loss → seat map', description: `${delay} ms` });
    // issue 19: a focus loss appears on the seat map within 1 s
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(1_000);
    await expect(inv.getByTestId('warning-alert')).toContainText('DEMO0010');
    await expect(page.getByTestId('lockdown-notice')).toBeVisible();

    // every question, with the keyboard: an option by its key, focus visible on it, then the next
    const total = Number((await page.getByTestId('answered-count').textContent())?.match(/\/(\d+)/)?.[1]);
    expect(total).toBeGreaterThan(0);
    for (let no = 1; no <= total; no++) {
      await expect(page.getByTestId(`question-${no}`)).toBeVisible();
      const options = await page.getByTestId(`options-${no}`).locator('input').count();
      const pos = ((no - 1) % options) + 1;
      await page.keyboard.press(String(pos));
      await expect(page.getByTestId(`opt-${no}-${pos}`)).toBeChecked();
      if (no === 1) {
        // the option's box and the text stay on screen, the focus ring too
        await page.keyboard.press('Tab');
        expect(await focusIsVisible(page)).toBe(true);
        await expect(page.getByTestId('question-1').locator('.q-stem')).toBeVisible();
      }
      if (no < total) await page.keyboard.press('ArrowRight');
    }
    expect(await noSideways()).toBe(true);
    await expect(page.getByTestId('pending-count')).toHaveCount(0);
    await expect(page.getByTestId('answered-count')).toHaveText(`Đã trả lời ${total}/${total}`);

    await tabTo(page, 'submit-open', 200);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('submit-dialog')).toBeVisible();
    await tabTo(page, 'submit-confirm');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('result-title')).toBeVisible();
    await expect(seat).toHaveAttribute('data-state', 'submitted');
    // submitted is "Đã nộp", never disconnected, even once the candidate's PC is gone
    await context.close();
    await expect(seat.getByTestId('seat-state')).toHaveText('Đã nộp');
  } finally {
    await context.close().catch(() => {});
    await boardCtx.close();
    await s.api.dispose();
  }
});

test('a 60-seat room fits one 1366×768 screen without scrolling', async ({ browser }, info) => {
  const baseURL = ownBase;
  test.setTimeout(180_000);
  if (!baseURL) throw new Error('no baseURL');
  const api = await request.newContext({ baseURL });
  try {
    expect((await api.post('/api/auth/login', { data: { username: 'hoidong', password: DEMO_PASSWORD } })).status()).toBe(200);
    const code = `A60${Date.now().toString(36).slice(-5).toUpperCase()}`;
    const created = await api.post('/api/exams', {
      data: {
        code,
        name: 'Phòng 60 máy (kiểm thử giao diện)',
        profileId: 'nd138-2020',
        examDate: '2026-06-15',
        profileOutOfForceReason: 'Kỳ thi kiểm thử',
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const examId = ((await created.json()) as { id: number }).id;
    expect(
      (await api.post(`/api/exams/${examId}/positions`, { data: { code: 'CV', name: 'Chuyên viên', quota: 5 } })).status(),
    ).toBe(201);
    const template = info.outputPath('mau.xlsx');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(template, await (await api.get(`/api/exams/${examId}/candidates/template`)).body());
    const file = info.outputPath('thi-sinh-60.xlsx');
    await fillTemplate(
      template,
      Array.from({ length: 60 }, (_, i) => ({
        'Họ và tên': `Trần Văn Phòng Sáu Mươi ${String(i + 1).padStart(2, '0')}`,
        'Ngày sinh': `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/1990`,
        'Giới tính': i % 2 ? 'Nam' : 'Nữ',
        'Số CCCD/CMND': `0022${String(80000000 + i)}`,
        'Dân tộc': 'Kinh',
        'Mã vị trí dự tuyển': 'CV',
      })),
      file,
    );
    const imported = await api.post(`/api/exams/${examId}/candidates/import?dryRun=false`, {
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      data: readFileSync(file),
    });
    expect(imported.status(), await imported.text()).toBe(200);
    const room = await api.post(`/api/exams/${examId}/rooms`, {
      data: { code: 'P60', name: 'Phòng máy 60 chỗ', location: 'Tầng 3', seats: 60, seatsPerRow: 10 },
    });
    expect(room.status(), await room.text()).toBe(201);
    const roomId = ((await room.json()) as { id: number }).id;
    const exam = (await (await api.get(`/api/exams/${examId}`)).json()) as { parts: { id: number; mode: string }[] };
    const sitting = await api.post(`/api/exams/${examId}/sittings`, {
      data: {
        name: 'Ca 60',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        partIds: exam.parts.filter((p) => p.mode === 'computer_mc').map((p) => p.id),
      },
    });
    expect(sitting.status(), await sitting.text()).toBe(201);
    const sittingId = ((await sitting.json()) as { id: number }).id;
    expect((await api.post(`/api/sittings/${sittingId}/assign`, { data: {} })).status()).toBe(200);

    const ctx = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    try {
      const page = await ctx.newPage();
      await login(page, 'hoidong');
      await page.goto(`/proctor/sittings/${sittingId}/rooms/${roomId}`);
      const seats = page.getByTestId('seat-map').locator('button.cseat');
      await expect(seats).toHaveCount(60);
      // every seat is wholly inside the first screen, and the page does not scroll sideways
      for (const seat of await seats.all()) await expect(seat).toBeInViewport({ ratio: 1 });
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      // details open on keyboard focus
      await seats.nth(0).focus();
      await expect(seats.nth(0).locator('.cseat-pop')).toBeVisible();
      await page.mouse.move(0, 0);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: resolve(DOCS, 'seat-map-60.png') });
      await axe(page, 'room page, 60 seats');
    } finally {
      await ctx.close();
    }
  } finally {
    await api.dispose();
  }
});
