import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

/**
 * A throwaway Redis for tests and `npm run cluster` (issue 17): Debian's redis-server on 127.0.0.1,
 * a free port, a private directory, no persistence (the streams it carries are live traffic, not
 * records: what must survive is in the database). `stop()` ends the process we started, by its pid.
 */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** stops the server for good and removes its directory */
  stop(): Promise<void>;
  /** an outage: stops the server, keeping its port for `up()` */
  down(): Promise<void>;
  /** starts it again on the same port, empty */
  up(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last: unknown = null;
  while (Date.now() < until) {
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.quit();
      return;
    } catch (err) {
      last = err;
      await client.disconnect().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`redis-server did not answer at ${url}: ${String(last)}`);
}

export async function startRedis(opts: { bin?: string } = {}): Promise<RedisServer> {
  const bin = opts.bin ?? process.env.REDIS_SERVER ?? 'redis-server';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'exam-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const launch = async () => {
    const proc = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', () => resolve());
      proc.once('error', reject);
    });
    child = proc;
    await waitForPing(url, 10_000);
  };
  const halt = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    down: halt,
    up: async () => {
      await halt();
      await launch();
    },
  };
}
