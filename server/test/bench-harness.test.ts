import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A small run of each delivery scenario of `npm run bench` (issue 7), each as its own process
 * from the compiled harness (npm test builds server/dist before the unit tests): the harness
 * works end to end, and `crash` and `netdrop` lose nothing.
 */
const RUN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bench/run.js');
const children = new Set<ChildProcess>();

// each run gets its own process group, so the server and workers it starts go with it
function killGroup(c: ChildProcess): void {
  try {
    if (c.pid) process.kill(-c.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
afterAll(() => {
  for (const c of children) killGroup(c);
});

function bench(args: string[], timeoutMs: number): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [RUN, ...args, '--no-report', 'true'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return new Promise((ok, bad) => {
    const timer = setTimeout(() => {
      killGroup(child);
      bad(new Error(`bench ${args[0]} timed out: ${err}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) return bad(new Error(`bench ${args[0]} exited ${code}: ${err}`));
      try {
        ok(JSON.parse(out.trim().split('\n').pop() ?? '') as Record<string, unknown>);
      } catch {
        bad(new Error(`bench ${args[0]}: no JSON last line in ${out.slice(-500)} ${err}`));
      }
    });
  });
}

function expectKeys(r: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) expect(r, `key ${k}`).toHaveProperty(k);
  for (const k of keys.filter((x) => x !== 'scenario')) expect(typeof r[k], `type of ${k}`).toBe('number');
}

describe.concurrent('bench harness (small runs)', () => {
  it('start-burst', async () => {
    const r = await bench(['start-burst', '--candidates', '50', '--lead', '2', '--wait', '13'], 110_000);
    expect(r.scenario).toBe('start-burst');
    expectKeys(r, [
      'scenario',
      'candidates',
      'paperP50Ms',
      'paperP99Ms',
      'paperMaxMs',
      'errors',
      'serverCpuS',
      'serverPeakRssMb',
      'openToQuestionP50Ms',
      'openToQuestionP99Ms',
      'openToQuestionMaxMs',
      'coldPaperMaxMs',
      'prefetchSpreadS',
      'serverCpuAtOpeningS',
      'baselineColdPaperMaxMs',
      'coldRatio',
      'baselineServerCpuS',
      'coldCpuRatio',
    ]);
    expect(r.candidates).toBe(50);
    expect(r.papers).toBe(50);
    // every candidate prefetched its sealed paper and opened it with the key pushed at the opening
    expect(r.prefetched).toBe(50);
    expect(r.opened).toBe(50);
    expect(r.openedWithAttempt).toBe(50);
    expect(r.errors).toBe(0);
  }, 120_000);

  it('steady', async () => {
    const r = await bench(['steady', '--candidates', '50', '--seconds', '3', '--rate', '1'], 80_000);
    expectKeys(r, ['ackP50Ms', 'ackP95Ms', 'ackP99Ms', 'ackMaxMs', 'answersPerSec', 'rssPerCandidateKb', 'errors']);
    expect(r.answersPerSec).toBeGreaterThan(10);
    expect(r.errors).toBe(0);
  }, 90_000);

  it('crash loses no acked answer and every candidate resumes', async () => {
    const r = await bench(['crash', '--candidates', '50', '--seconds', '4', '--rate', '0.5'], 80_000);
    expectKeys(r, ['lostAcked', 'resumeMs', 'errors']);
    expect(r.acked).toBeGreaterThan(50);
    expect(r.lostAcked).toBe(0);
    expect(r.resumed).toBe(50);
    expect(r.errors).toBe(0);
  }, 90_000);

  it('netdrop loses nothing', async () => {
    const r = await bench(
      ['netdrop', '--candidates', '50', '--drop-seconds', '3', '--before', '1', '--after', '2', '--rate', '0.5'],
      80_000,
    );
    expectKeys(r, ['lost', 'errors']);
    expect(r.madeOffline).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.pendingAtEnd).toBe(0);
    expect(r.errors).toBe(0);
  }, 90_000);

  it('import-under-load: candidates answer while the board dry-runs and imports an XLSX', async () => {
    const r = await bench(
      ['import-under-load', '--candidates', '40', '--questions', '300', '--seconds', '8', '--rate', '1', '--start', '1'],
      120_000,
    );
    expect(r.scenario).toBe('import-under-load');
    expectKeys(r, ['ackP99Ms', 'ackP50Ms', 'acksDuringImport', 'ackP99OutsideMs', 'dryRunMs', 'importMs', 'created', 'errors']);
    expect(r.created).toBe(300);
    expect(r.importErrors).toBe(0);
    expect(r.errors).toBe(0);
  }, 130_000);

  it('limit', async () => {
    const r = await bench(['limit', '--candidates', '50', '--seconds', '3'], 80_000);
    expectKeys(r, ['oursPerSec', 'baselinePerSec', 'ratio']);
    expect(r.oursPerSec).toBeGreaterThan(0);
    expect(r.baselinePerSec).toBeGreaterThan(0);
    expect(r.errors).toBe(0);
  }, 90_000);
});
