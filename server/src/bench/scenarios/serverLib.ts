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
let prlimitWorks: string | null | undefined;

/** util-linux's prlimit when it may raise the open-files limit to SERVER_NOFILE here, else null (probed once). */
function usablePrlimit(): string | null {
  if (prlimitWorks !== undefined) return prlimitWorks;
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  if (!prlimit || process.env.BENCH_NO_PRLIMIT === '1') prlimitWorks = null;
  else {
    const probe = spawnSync(prlimit, [`--nofile=${SERVER_NOFILE}:${SERVER_NOFILE}`, '--', 'true'], { stdio: 'ignore' });
    prlimitWorks = probe.status === 0 ? prlimit : null;
  }
  return prlimitWorks;
}

function withFileLimit(argv: string[]): [string, string[]] {
  const prlimit = usablePrlimit();
  if (!prlimit) {
    if (!warnedNofile && process.env.BENCH_NO_PRLIMIT !== '1') {
      warnedNofile = true;
      console.error(
        `[bench] the open-files limit could not be raised to ${SERVER_NOFILE} (no prlimit, or prlimit refused: no CAP_SYS_RESOURCE); the server keeps this shell's limit of ${ownFileLimit() ?? 'unknown'}`,
      );
    }
    return [argv[0] ?? process.execPath, argv.slice(1)];
  }
  return [prlimit, [`--nofile=${SERVER_NOFILE}:${SERVER_NOFILE}`, '--', ...argv]];
}

/** The soft open-files limit of a live process (`self` or a pid), from /proc (Linux); null elsewhere. */
export function fileLimitOf(pid: number | 'self'): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    if (!m?.[1]) return null;
    return m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
  } catch {
    return null;
  }
}

const ownFileLimit = (): number | null => fileLimitOf('self');

/**
 * The open-files limit a server started here runs under: SERVER_NOFILE when prlimit may raise it,
 * else the limit this process passes on (soft = what the server gets; it cannot raise it past the
 * hard limit, and without CAP_SYS_RESOURCE nobody here can). null where /proc is missing.
 */
export function serverFileLimit(): number | null {
  return usablePrlimit() ? SERVER_NOFILE : ownFileLimit();
}

/** Files a server holds besides its sockets: the database and its WAL, logs, the event loop, stdio. */
export const SERVER_FD_RESERVE = 100;

/**
 * Raised before anything starts when the candidates' connections cannot fit under the server's
 * open-files limit: past it the kernel refuses the server's accept() (EMFILE) and the run would
 * only count thousands of connect errors.
 */
export class FdLimitError extends Error {
  readonly code = 'FD_LIMIT';
  constructor(
    readonly fdLimit: number,
    readonly fdNeeded: number,
    readonly maxCandidates: number,
    readonly candidates: number,
  ) {
    super(
      `Giới hạn tệp mở của máy chủ là ${fdLimit}: ${candidates} thí sinh cần khoảng ${fdNeeded} (mỗi thí sinh một socket, cộng kết nối HTTP của bộ tạo tải và ${SERVER_FD_RESERVE} tệp dự phòng); tối đa ${maxCandidates} thí sinh. ` +
        `/ The server's open-files limit is ${fdLimit}: ${candidates} candidates need about ${fdNeeded} (one socket each, plus the load generator's HTTP connections and ${SERVER_FD_RESERVE} spare); at most ${maxCandidates} fit. ` +
        'Raise it (ulimit -Hn as root, systemd LimitNOFILE, or run where prlimit may raise it: CAP_SYS_RESOURCE), or pass --ignore-fd-limit true to run anyway.',
    );
    this.name = 'FdLimitError';
  }
}

/**
 * Refuses a run whose sockets cannot fit under the server's open-files limit (FdLimitError), and
 * returns that limit (null where it cannot be read). `httpConns`: every worker's keep-alive HTTP
 * connections, which may still be open while the sockets connect.
 */
export function checkFileLimit(candidates: number, httpConns: number, ignore: boolean): number | null {
  const fdLimit = serverFileLimit();
  if (fdLimit === null || !Number.isFinite(fdLimit)) return fdLimit;
  const overhead = httpConns + SERVER_FD_RESERVE;
  const fdNeeded = candidates + overhead;
  if (fdNeeded > fdLimit && !ignore) throw new FdLimitError(fdLimit, fdNeeded, Math.max(0, fdLimit - overhead), candidates);
  return fdLimit;
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
