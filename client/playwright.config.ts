import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

/** A free TCP port, found synchronously by letting a child process listen on port 0. */
function freePort(): string {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();});",
    ],
    { encoding: 'utf8' },
  );
  const port = Number(r.stdout.trim());
  return Number.isInteger(port) && port > 0 ? String(port) : String(20000 + Math.floor(Math.random() * 40000));
}

// Playwright evaluates this file again in every worker process; the values chosen by the main
// process are passed on through the environment so that all of them agree.
const ownsDataDir = !process.env.E2E_DATA_DIR;
const PORT = process.env.E2E_PORT ?? freePort();
const DATA_DIR = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'exam-e2e-'));
process.env.E2E_PORT = PORT;
process.env.E2E_DATA_DIR = DATA_DIR;
if (ownsDataDir) {
  // the process that made the data directory removes it when the run is over
  process.on('exit', () => rmSync(DATA_DIR, { recursive: true, force: true }));
}
// the demo candidates' PIN (candidate.spec.ts); an external server must be started with the same
// DEMO_CANDIDATE_PIN, DEMO_SITTING_OFFSET_MIN=0 and DEMO_PART_MINUTES=1
process.env.E2E_CANDIDATE_PIN ??= '246810';
// E2E_BASE_URL: run against a server that is already running (no webServer is started then)
const external = process.env.E2E_BASE_URL;
const baseURL = external ?? `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1024, height: 768 },
    locale: 'vi-VN',
    // one clock (issue 11): the browser in Tokyo and the server in New York, while every time typed
    // or read is the exam's (Asia/Ho_Chi_Minh); nothing may depend on either machine's zone
    timezoneId: 'Asia/Tokyo',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: external
    ? undefined
    : {
        command: 'node server/dist/main.js --demo',
        cwd: repoRoot,
        url: `${baseURL}/api/health`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'ignore',
        stderr: 'pipe',
        env: {
          TZ: 'America/New_York',
          DATA_DIR,
          HOST: '127.0.0.1',
          PORT,
          ADMIN_PASSWORD: 'Admin@12345',
          LOGIN_RATE_LIMIT: '1000',
          LOG_LEVEL: 'warn',
          // demo knobs for candidate.spec.ts: one known PIN, the sitting open now, one-minute parts
          DEMO_CANDIDATE_PIN: process.env.E2E_CANDIDATE_PIN,
          DEMO_SITTING_OFFSET_MIN: '0',
          DEMO_PART_MINUTES: '1',
        },
      },
});
