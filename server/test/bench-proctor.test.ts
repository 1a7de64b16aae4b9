import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A small run of `npm run bench -- proctor` (issue 5): the built harness starts the production
 * server, 2 rooms of candidates answer, a dashboard per room watches. It checks the harness works
 * and that every answer reached a dashboard without errors; timings are the benchmark's business.
 */
const RUN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bench/run.js');

function bench(args: string[]): Promise<Record<string, number | string>> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [RUN, ...args, '--no-report', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return rej(new Error(`bench exited ${code}: ${err}`));
      res(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number | string>);
    });
  });
}

describe('bench proctor (small)', () => {
  it('runs rooms with dashboards and reports the issue keys', { timeout: 150_000 }, async () => {
    const r = await bench(['proctor', '--rooms', '2', '--per-room', '60', '--seconds', '4', '--rate', '3']);
    expect(r.scenario).toBe('proctor');
    expect(r.errors).toBe(0);
    expect(r.rooms).toBe(2);
    expect(Number(r.samples)).toBeGreaterThan(0);
    for (const k of ['dashboardP95Ms', 'dashboardMsgsPerSec']) expect(typeof r[k]).toBe('number');
    // batched: never more than ~4 messages a second per watched room
    expect(Number(r.dashboardMsgsPerSec)).toBeLessThanOrEqual(5 * Number(r.rooms));
  });
});
