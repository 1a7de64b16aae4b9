import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, request, test } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';

/**
 * The candidate's exam in Chromium against the real server started with `--demo` and the demo
 * knobs set in playwright.config.ts: every demo candidate has the PIN E2E_CANDIDATE_PIN, the
 * sitting is open, and each computer part lasts one minute (DEMO_PART_MINUTES=1).
 */

const PIN = process.env.E2E_CANDIDATE_PIN ?? '246810';
const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOT = resolve(here, '../../docs/exam-screen.png');

test.describe.configure({ mode: 'serial' });

/** Sign-in → details → rules → start, with the keyboard only. */
async function keyboardToExam(page: Page, number: string): Promise<void> {
  await page.goto('/thi-sinh');
  await expect(page.getByRole('heading', { name: 'Thí sinh đăng nhập' })).toBeVisible();
  await expect(page.getByTestId('cand-number')).toBeFocused();
  await page.keyboard.type(number);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Kiểm tra thông tin thí sinh' })).toBeVisible();
  await expect(page.getByTestId('fact-number')).toHaveText(number);
  await expect(page.getByTestId('fact-room')).toHaveText('Phòng máy 01');
  await expect(page.getByTestId('confirm-ok')).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Nội quy phòng thi' })).toBeVisible();
  await expect(page.getByTestId('rules-agree')).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  // the demo sitting is already open: the start button takes the focus
  await expect(page.getByTestId('start-part')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('exam')).toBeVisible();
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
}

/** The same flow with clicks. */
async function clickToExam(page: Page, number: string): Promise<void> {
  await page.goto('/thi-sinh');
  await page.getByLabel('Số báo danh').fill(number);
  await page.getByLabel('Mã PIN').fill(PIN);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Xác nhận đúng thông tin' }).click();
  await page.getByLabel('Tôi đã đọc và cam kết chấp hành nội quy phòng thi').check();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await expect(page.getByTestId('exam')).toBeVisible();
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
}

function question(page: Page, no: number) {
  return page.getByTestId(`question-${no}`);
}

async function attemptIdOf(page: Page): Promise<number> {
  const me = (await (await page.request.get('/api/candidate/me')).json()) as { parts: { attemptId: number | null }[] };
  const id = me.parts.find((p) => p.attemptId !== null)?.attemptId;
  if (!id) throw new Error('no attempt');
  return id;
}

/** Keys for question n: the option it picks (1-based display position) and how it is typed. */
const KEYS: [string, number][] = [
  ['2', 2],
  ['b', 2],
  ['1', 1],
  ['a', 1],
  ['2', 2],
  ['1', 1],
  ['b', 2],
  ['a', 1],
];

async function answerWithKey(page: Page, no: number): Promise<number> {
  const [key, pos] = KEYS[(no - 1) % KEYS.length] as [string, number];
  await expect(question(page, no)).toBeVisible();
  await page.keyboard.press(key);
  await expect(page.getByTestId(`opt-${no}-${pos}`)).toBeChecked();
  return pos;
}

test('a candidate answers with the keyboard, offline and back, reloads, and runs out of time', async ({ page, context }) => {
  test.setTimeout(180_000);
  await keyboardToExam(page, 'DEMO0001');
  await expect(page.getByTestId('exam-part')).toContainText('Kiến thức chung');
  await expect(page.getByTestId('link-status')).toHaveText('Đã kết nối');
  await expect(page.getByTestId('timer-value')).toHaveText(/^0[01]:\d\d$/);

  // 1. online, keyboard only: choose, move, flag; "Đã lưu" appears once the server acknowledged
  for (let no = 1; no <= 4; no++) {
    await answerWithKey(page, no);
    await expect(question(page, no).getByTestId('saved-mark')).toHaveText('✓ Đã lưu');
    await expect(page.getByTestId(`nav-${no}`)).toHaveAttribute('data-answered', 'true');
    if (no === 3) {
      await page.keyboard.press('f');
      await expect(page.getByTestId('nav-3')).toHaveAttribute('data-flagged', 'true');
    }
    await page.keyboard.press(no % 2 ? 'ArrowRight' : 'PageDown');
  }
  await expect(page.getByTestId('pending-count')).toHaveCount(0);
  await page.keyboard.press('ArrowLeft');
  await expect(question(page, 4)).toBeVisible();
  await page.keyboard.press('PageDown');

  // 2. offline for a while: answers are kept locally and counted as not saved
  const attemptId = await attemptIdOf(page);
  await context.setOffline(true);
  await expect(page.getByTestId('link-status')).toHaveText('Mất kết nối — đang lưu tạm');
  const offlineChoices: Record<number, number> = {};
  for (let no = 5; no <= 7; no++) {
    offlineChoices[no] = await answerWithKey(page, no);
    await expect(question(page, no).getByTestId('pending-mark')).toHaveText('● Chưa lưu');
    await expect(question(page, no).getByTestId('saved-mark')).toHaveCount(0);
    await expect(page.getByTestId(`nav-${no}`)).toHaveAttribute('data-pending', 'true');
    if (no < 7) await page.keyboard.press('ArrowRight');
  }
  await expect(page.getByTestId('pending-count')).toHaveText('3 câu chưa lưu');
  const stored = await page.evaluate((id) => localStorage.getItem(`exam.attempt.${id}`), attemptId);
  expect(Object.keys((JSON.parse(stored ?? '{}') as { answers: object }).answers ?? {})).toEqual(['5', '6', '7']);
  await page.waitForTimeout(3_000);
  await expect(page.getByTestId('pending-count')).toHaveText('3 câu chưa lưu');

  // 3. back online: everything is sent again and acknowledged
  await context.setOffline(false);
  await expect(page.getByTestId('link-status')).toHaveText('Đã kết nối');
  await expect(page.getByTestId('pending-count')).toHaveCount(0);
  await expect(question(page, 7).getByTestId('saved-mark')).toBeVisible();
  for (let no = 5; no <= 7; no++) await expect(page.getByTestId(`nav-${no}`)).toHaveAttribute('data-pending', 'false');
  const saved = (await (await page.request.get(`/api/candidate/attempts/${attemptId}`)).json()) as {
    answers: Record<string, string[]>;
    flags: number[];
  };
  expect(Object.keys(saved.answers).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  expect(saved.flags).toEqual([3]);

  // 4. reload mid-exam: the same question, answers, flags and a running clock
  await page.reload();
  await expect(page.getByTestId('exam')).toBeVisible();
  await expect(question(page, 7)).toBeVisible();
  for (let no = 1; no <= 7; no++) await expect(page.getByTestId(`nav-${no}`)).toHaveAttribute('data-answered', 'true');
  await expect(page.getByTestId('nav-8')).toHaveAttribute('data-answered', 'false');
  await expect(page.getByTestId('nav-3')).toHaveAttribute('data-flagged', 'true');
  await expect(page.getByTestId(`opt-7-${offlineChoices[7]}`)).toBeChecked();
  await expect(question(page, 7).getByTestId('saved-mark')).toBeVisible();
  await expect(page.getByTestId('link-status')).toHaveText('Đã kết nối');
  await page.keyboard.press('ArrowRight');
  await answerWithKey(page, 8);
  await expect(question(page, 8).getByTestId('saved-mark')).toBeVisible();

  // 5. the time runs out: the paper is submitted by itself and the result is shown in Vietnamese
  await expect(page.getByTestId('result-title')).toHaveText('Hết giờ làm bài', { timeout: 90_000 });
  await expect(page.getByTestId('result-part')).toContainText('Kiến thức chung');
  await expect(page.getByTestId('result-score')).toHaveText(/^\d+(,\d+)?\/\d+$/);
  await expect(page.getByTestId('result-correct')).toHaveText(/^\d+\/60$/);
  await expect(page.getByTestId('result-outcome')).toHaveText(/^(Đạt|Không đạt)$/);
  const after = (await (await page.request.get('/api/candidate/me')).json()) as {
    parts: { attemptId: number | null; status: string }[];
  };
  expect(after.parts.find((p) => p.attemptId === attemptId)?.status).toBe('submitted');

  // then the next part of the sitting, with its own clock
  await page.getByTestId('next-part').click();
  await expect(page.getByTestId('exam-part')).toContainText('Ngoại ngữ');
  await expect(page.getByTestId('nav-1')).toHaveAttribute('data-answered', 'false');
  await expect(page.getByTestId('timer-value')).toHaveText(/^0[01]:\d\d$/);
});

test('the exam screen at 1024×768 (screenshot for the README); a second PC is refused', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/thi-sinh');
  // English is one click away, Vietnamese first
  await page.getByTestId('lang-en').click();
  await expect(page.getByRole('heading', { name: 'Candidate sign-in' })).toBeVisible();
  await page.getByTestId('lang-vi').click();
  await expect(page.getByRole('heading', { name: 'Thí sinh đăng nhập' })).toBeVisible();
  await expect(page.getByTestId('to-staff')).toHaveAttribute('href', '/login');

  await clickToExam(page, 'DEMO0003');
  await page.getByTestId('opt-1-2').check();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('b');
  await page.keyboard.press('f');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('1');
  await page.getByTestId('nav-5').click();
  await page.keyboard.press('2');
  await page.getByTestId('nav-2').click();
  await expect(question(page, 2).getByTestId('saved-mark')).toBeVisible();
  await expect(page.getByTestId('nav-5')).toHaveAttribute('data-pending', 'false');

  // everything fits: no horizontal scrolling, header, navigator and submit in view
  const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(size.w).toBeLessThanOrEqual(1024);
  expect(size.h).toBeLessThanOrEqual(768);
  for (const id of ['timer', 'link-status', 'submit-open', 'nav-60', 'navigator']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, id).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0), id).toBeLessThanOrEqual(768);
    expect((box?.x ?? 0) + (box?.width ?? 0), id).toBeLessThanOrEqual(1024);
  }
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });

  // the font size control and the list view
  await page.getByTestId('font-larger').click();
  await expect(page.locator('.exam')).toHaveAttribute('style', /--q-font: 22px/);
  await page.getByTestId('view-all').click();
  await expect(question(page, 60)).toBeAttached();
  await page.getByTestId('nav-40').click();
  await expect(question(page, 40)).toBeInViewport();
  await page.getByTestId('font-smaller').click();
  await page.getByTestId('view-one').click();
  await expect(question(page, 60)).toHaveCount(0);

  // the same candidate on another PC is refused until an invigilator allows the move
  const other = await browser.newContext();
  try {
    const p2 = await other.newPage();
    await p2.goto('/thi-sinh');
    await p2.getByLabel('Số báo danh').fill('DEMO0003');
    await p2.getByLabel('Mã PIN').fill(PIN);
    await p2.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(p2.getByTestId('cand-login-error')).toHaveText(
      'Bạn đang làm bài trên máy khác. Hãy báo giám thị để được chuyển sang máy này.',
    );
  } finally {
    await other.close();
  }
});

// ---------- nothing of the key, nothing of others, ever reaches the browser ----------

interface Recorded {
  url: string;
  text: string;
}

/** Socket.IO/Engine.IO packets → their JSON payloads (`42/candidate,["timing",{…}]`, `43/candidate,7[{…}]`). */
function packetPayloads(raw: string): unknown[] {
  const out: unknown[] = [];
  for (const packet of raw.split('\x1e')) {
    const m = /^\d+(?:\/[^,[{]*,)?\d*(.*)$/s.exec(packet);
    const body = m?.[1] ?? '';
    if (!body) continue;
    try {
      out.push(JSON.parse(body));
    } catch {
      // not JSON (ping, probe…)
    }
  }
  return out;
}

/** Every place a value that could reveal an answer key shows up. */
function keyLeaks(value: unknown, path = '$'): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...keyLeaks(v, `${path}[${i}]`));
    });
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  const o = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    const p = `${path}.${k}`;
    const lower = k.toLowerCase();
    if (lower === 'correct') {
      // only a part result's count of correct answers (next to total and score) may be called so
      if (!(typeof v === 'number' && 'total' in o && 'score' in o)) out.push(p);
    } else if (/correct|answerkey|^key$|solution|explanation|pinhash|secret|^pin$/.test(lower)) {
      out.push(p);
    }
    out.push(...keyLeaks(v, p));
  }
  // an option carries its id and text, nothing else
  if ('id' in o && 'text' in o) {
    const extra = Object.keys(o).filter((k) => k !== 'id' && k !== 'text');
    if (extra.length) out.push(`${path} has ${extra.join(',')}`);
  }
  return out;
}

test('all traffic of a candidate: no answer key and no other candidate ever reaches the browser', async ({ page }) => {
  test.setTimeout(90_000);
  // what the browser must never see: the other candidates, as the board knows them
  const staff = await request.newContext({ baseURL: test.info().project.use.baseURL });
  let others: { number: string; fullName: string; idNumber: string }[];
  try {
    expect((await staff.post('/api/auth/login', { data: { username: 'hoidong', password: DEMO_PASSWORD } })).ok()).toBe(true);
    const exams = (await (await staff.get('/api/exams')).json()) as { id: number; code: string }[];
    const demo = exams.find((e) => e.code === 'DEMO');
    expect(demo).toBeDefined();
    const all = (await (await staff.get(`/api/exams/${demo?.id}/candidates`)).json()) as {
      number: string;
      fullName: string;
      idNumber: string;
    }[];
    others = all.filter((c) => c.number !== 'DEMO0002');
    expect(others.length).toBeGreaterThan(10);
  } finally {
    await staff.dispose();
  }

  const responses: Recorded[] = [];
  const frames: Recorded[] = [];
  const reading: Promise<unknown>[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/')) return; // the app's code, the same for everybody
    reading.push(
      r.body().then(
        (b) => responses.push({ url: r.url(), text: b.toString('utf8') }),
        () => undefined,
      ),
    );
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) =>
      frames.push({ url: ws.url(), text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }),
    );
  });

  await clickToExam(page, 'DEMO0002');
  // answer, flag, look at the list view, then submit with the confirmation
  for (let no = 1; no <= 5; no++) {
    await page.getByTestId(`nav-${no}`).click();
    await page.getByTestId(`opt-${no}-1`).check();
    await expect(question(page, no).getByTestId('saved-mark')).toBeVisible();
  }
  await page.getByTestId('flag-5').click();
  await page.getByTestId('nav-9').click();
  await page.getByTestId('flag-9').click();
  await page.getByTestId('view-all').click();
  await page.getByTestId('view-one').click();
  await page.getByTestId('submit-open').click();
  const dialog = page.getByTestId('submit-dialog');
  await expect(dialog.getByRole('heading', { name: 'Nộp bài?' })).toBeVisible();
  await expect(dialog.getByTestId('submit-unanswered')).toHaveText(Array.from({ length: 55 }, (_, i) => i + 6).join(', '));
  await expect(dialog.getByTestId('submit-flagged')).toHaveText('5, 9');
  await expect(dialog.getByTestId('submit-cancel')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).not.toBeVisible();
  await page.getByTestId('submit-open').click();
  await dialog.getByTestId('submit-confirm').click();
  await expect(page.getByTestId('result-title')).toHaveText('Đã nộp bài');
  await expect(page.getByTestId('result-outcome')).toHaveText(/^(Đạt|Không đạt)$/);
  await expect(page.getByTestId('result-correct')).toHaveText(/^\d+\/60$/);
  // the next part, to see a second paper go by too
  await page.getByTestId('next-part').click();
  await expect(page.getByTestId('exam-part')).toContainText('Ngoại ngữ');
  await page.getByTestId('opt-1-2').check();
  await expect(question(page, 1).getByTestId('saved-mark')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('exam')).toBeVisible();
  await expect(page.getByTestId('link-status')).toHaveText('Đã kết nối');
  await Promise.race([Promise.all(reading), page.waitForTimeout(5_000)]);

  // the papers did go through the recorded traffic, by REST and by the socket
  const papers = responses.filter((r) => /\/api\/candidate\/(parts\/\d+\/start|attempts\/\d+)$/.test(r.url));
  expect(papers.length).toBeGreaterThanOrEqual(2);
  expect(papers.some((r) => r.text.includes('"questions"'))).toBe(true);
  const socketTraffic = [...frames, ...responses.filter((r) => r.url.includes('/socket.io/'))];
  expect(socketTraffic.some((f) => f.text.includes('serverNow'))).toBe(true);
  expect(socketTraffic.some((f) => /"ok":true,"seq":\d+/.test(f.text))).toBe(true);

  const leaks: string[] = [];
  for (const r of [...responses, ...frames]) {
    const payloads = r.url.includes('/socket.io/') || r.url.startsWith('ws') ? packetPayloads(r.text) : [];
    if (!payloads.length) {
      try {
        payloads.push(JSON.parse(r.text));
      } catch {
        // HTML, images: checked as text below
      }
    }
    for (const p of payloads) for (const l of keyLeaks(p)) leaks.push(`${r.url} ${l}`);
    for (const c of others) {
      for (const v of [c.number, c.fullName, c.idNumber]) if (r.text.includes(v)) leaks.push(`${r.url} shows ${v}`);
    }
  }
  expect(leaks).toEqual([]);
  // and the candidate's own data did come through (the check above looked at the right traffic)
  expect(responses.some((r) => r.text.includes('Mai Thị Diệu'))).toBe(true);
});
