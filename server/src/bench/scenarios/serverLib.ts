// Child processes of the delivery benchmarks: the production server (server/dist/main.js), the
// baseline server, and bookkeeping so that no child outlives the harness.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SERVER_MAIN = fileURLToPath(new URL('../../main.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const live = new Set<ChildProcess>();
let hooked = false;

/** Every child started here is SIGKILLed when the harness exits, however it exits. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function killAll(): void {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface ServerHandle {
  child: ChildProcess;
  pid: number;
  base: string;
  /** Date.now() when the process was spawned, and when it printed its address */
  spawnedAt: number;
  readyAt: number;
  /** SIGTERM, then SIGKILL after 15 s (180 s with BENCH_SERVER_NODE_ARGS); resolves when the process is gone */
  stop(): Promise<void>;
  /** SIGKILL; resolves when the process is gone */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Extra node options for the servers, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
 * (the profile is written when the server stops with SIGTERM).
 */
function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * Open files a server under test may hold: one per socket. A shell's default (here 20,000, soft and
 * hard) caps a node near 19,800 candidates with refused connections past it, which is the limit of
 * the shell, not of the server. Where util-linux's `prlimit` exists and may raise it (root, or a
 * hard limit already that high), the server starts under `prlimit --nofile`; production sets the
 * same with systemd's `LimitNOFILE` (README, production).
 */
export const SERVER_NOFILE = 131_072;

let warnedNofile = false;

function withFileLimit(argv: string[]): [string, string[]] {
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  if (!prlimit || process.env.BENCH_NO_PRLIMIT === '1') return [argv[0] ?? process.execPath, argv.slice(1)];
  const probe = spawnSync(prlimit, [`--nofile=${SERVER_NOFILE}:${SERVER_NOFILE}`, '--', 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    if (!warnedNofile) {
      warnedNofile = true;
      console.error(
        `[bench] the open-files limit could not be raised to ${SERVER_NOFILE} (prlimit refused: no CAP_SYS_RESOURCE); the server keeps this shell's limit, and connections past it are refused`,
      );
    }
    return [argv[0] ?? process.execPath, argv.slice(1)];
  }
  return [prlimit, [`--nofile=${SERVER_NOFILE}:${SERVER_NOFILE}`, '--', ...argv]];
}

/** Starts a node script that prints `http://127.0.0.1:<port>` once it listens. */
export function startListening(script: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<ServerHandle> {
  const spawnedAt = Date.now();
  const [cmd, argv] = withFileLimit([process.execPath, ...serverNodeArgs(), script, ...args]);
  const child = spawn(cmd, argv, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  let tail = '';
  return new Promise<ServerHandle>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start in 60 s: ${tail}`));
    }, 60_000);
    // the pipe is always drained, so a chatty server never blocks on its stdout
    child.stdout?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      if (ready) return;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(tail);
      if (!m || !child.pid) return;
      ready = true;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        child,
        pid,
        base: `http://127.0.0.1:${m[1]}`,
        spawnedAt,
        readyAt: Date.now(),
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          // a server under --cpu-prof needs time to write its profile
          const hard = setTimeout(() => child.kill('SIGKILL'), serverNodeArgs().length ? 180_000 : 15_000);
          child.kill('SIGTERM');
          await exited(child);
          clearTimeout(hard);
        },
        async kill() {
          child.kill('SIGKILL');
          await exited(child);
        },
      });
    });
    child.once('exit', (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`${label} exited before listening (${code ?? signal}): ${tail}`));
      } else if (code !== 0 && signal === null) {
        console.error(`${label} exited with ${code}: ${tail.slice(-1000)}`);
      }
    });
  });
}

/** The production server on `dataDir`, on 127.0.0.1 and a free port. */
export function startServer(dataDir: string): Promise<ServerHandle> {
  return startListening(
    SERVER_MAIN,
    [],
    {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOGIN_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'error',
      ADMIN_PASSWORD: 'Admin@Bench2026',
    },
    'server',
  );
}

export interface ProcStats {
  /** user + system CPU time, in seconds */
  cpuS: number;
  rssKb: number;
  /** peak resident set size (VmHWM), in kB */
  hwmKb: number;
}

/** CPU and memory of a live process, from /proc (Linux). */
export function procStats(pid: number): ProcStats {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuS: ticks / 100, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}
