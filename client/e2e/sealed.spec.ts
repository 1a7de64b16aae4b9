import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';

/**
 * Sealed papers (issue 15) in Chromium on a non-secure origin: the lab PCs reach the server over
 * plain http on the LAN, where the browser withholds WebCrypto. `exam.lan` resolves to loopback
 * inside this browser only, so the origin is http://exam.lan:PORT (not "potentially trustworthy",
 * unlike localhost). A server of its own with the demo exam's sitting an hour away. Two candidates
 * wait, each PC downloads its sealed paper (one reloads and does not download again); the
 * invigilator opens the room; both see question 1 with no click. Nothing received before the
 * opening holds a question's text.
 */

const PIN = '246810';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let server: ChildProcess | null = null;
let dataDir = '';
let origin = '';
let browser: Browser | null = null;

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((ok) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(join(tmpdir(), 'exam-e2e-sealed-'));
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
      DEMO_SITTING_OFFSET_MIN: '60',
      // the downloads are spread over at most 2 s of the wait (an hour here)
      PREFETCH_WINDOW_S: '2',
    },
  });
  origin = `http://exam.lan:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 400) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP exam.lan 127.0.0.1'],
  });
});

test.afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Seen {
  what: string;
  text: string;
}

/** A candidate's PC: every response body and every WebSocket frame it receives is kept. */
async function labPc(): Promise<{ context: BrowserContext; page: Page; seen: Seen[]; sealedDownloads: () => number }> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  const page = await context.newPage();
  const seen: Seen[] = [];
  let downloads = 0;
  page.on('response', async (r) => {
    if (r.url().includes('/sealed')) downloads++;
    const body = await r.body().catch(() => null);
    if (body) seen.push({ what: r.url(), text: body.toString('latin1') + body.toString('utf8') });
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) =>
      seen.push({ what: 'ws', text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }),
    );
  });
  return { context, page, seen, sealedDownloads: () => downloads };
}

async function signInAndWait(page: Page, number: string): Promise<void> {
  const downloaded = page.waitForResponse((r) => r.url().includes('/sealed') && r.status() === 200);
  await page.goto('/thi-sinh');
  await page.getByLabel('Số báo danh').fill(number);
  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();
  await page.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(page.getByRole('button', { name: 'Bắt đầu làm bài' })).toBeDisabled();
  await downloaded;
}

test('two candidates wait with sealed papers; the invigilator opens the room; both see question 1; nothing readable before', async () => {
  test.setTimeout(180_000);
  const a = await labPc();
  const b = await labPc();
  const inv = await browser?.newContext({ baseURL: origin, viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
  if (!inv) throw new Error('no browser');
  try {
    // not a secure context: no WebCrypto here
    await a.page.goto('/thi-sinh');
    expect(await a.page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await a.page.evaluate(() => typeof globalThis.crypto?.subtle)).toBe('undefined');

    await signInAndWait(a.page, 'DEMO0001');
    await signInAndWait(b.page, 'DEMO0002');
    // one download per computer part of the sitting
    const held = a.sealedDownloads();
    expect(held).toBeGreaterThanOrEqual(1);

    // a reload during the wait: the plan is asked again, the paper comes from IndexedDB, no download
    const planned = a.page.waitForResponse((r) => r.url().includes('/api/candidate/prefetch'));
    await a.page.reload();
    await planned;
    await expect(a.page.getByRole('button', { name: 'Bắt đầu làm bài' })).toBeDisabled();
    await a.page.waitForTimeout(3_000); // longer than the whole download window
    expect(a.sealedDownloads()).toBe(held);

    // everything received so far, kept aside: the trace before the opening
    const beforeA = [...a.seen];
    const beforeB = [...b.seen];

    // the invigilator opens room P01
    const p = await inv.newPage();
    await p.goto('/login');
    await p.getByLabel('Tên đăng nhập').fill('giamthi');
    await p.getByLabel('Mật khẩu').fill('Demo@2026');
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByTestId('room-link-P01').click();
    await expect(p.getByTestId('proctor-link')).toHaveAttribute('data-state', 'connected');
    await p.getByTestId('act-room-open_sitting').click();
    const dialog = p.getByTestId('action-dialog');
    await dialog.getByTestId('action-reason').fill('Đủ điều kiện bắt đầu ca thi');
    await dialog.getByTestId('action-submit').click();
    await expect(dialog).toHaveCount(0);

    // both see question 1, with no click: the key came over the socket and the paper opened here
    for (const pc of [a, b]) {
      await expect(pc.page.getByTestId('exam')).toBeVisible();
      await expect(pc.page.getByTestId('question-1')).toBeVisible();
    }
    expect(a.sealedDownloads()).toBe(held);
    const heldB = b.sealedDownloads();
    expect(heldB).toBe(held);

    // the whole paper each PC now holds: none of its text was in anything received before the opening
    for (const [pc, before] of [
      [a, beforeA],
      [b, beforeB],
    ] as const) {
      // asked from the page (the name exam.lan resolves inside this browser only)
      const view = await pc.page.evaluate(async () => {
        const me = (await (await fetch('/api/candidate/me')).json()) as { parts: { attemptId: number | null }[] };
        const attemptId = me.parts.find((x) => x.attemptId !== null)?.attemptId;
        return (await (await fetch(`/api/candidate/attempts/${attemptId}`)).json()) as {
          questions: { stem: string; options: { text: string }[] }[];
        };
      });
      const fragments = view.questions
        .flatMap((q) => [q.stem, ...q.options.map((o) => o.text)])
        .flatMap((html) => html.split(/<[^>]*>|&[a-z]+;|["\\]/))
        .map((t) => t.trim())
        .filter((t) => t.length >= 30); // whole sentences, not a phrase the screens also use
      expect(fragments.length).toBeGreaterThan(view.questions.length);
      const trace = before.map((f) => f.text).join('\n');
      const leaked = fragments.filter((frag) => trace.includes(frag));
      expect(leaked, `received before the opening: ${leaked.join(' | ')}`).toEqual([]);
      // they are the texts on the screen now
      const first =
        view.questions[0]?.stem
          .split(/<[^>]*>/)
          .find((t) => t.trim().length >= 12)
          ?.trim() ?? '';
      await expect(pc.page.getByTestId('question-1')).toContainText(first);
    }
  } finally {
    await a.context.close();
    await b.context.close();
    await inv.close();
  }
});
