import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL for tests and tools (issue 17): `initdb` on a private temporary data
 * directory, `pg_ctl start` listening on 127.0.0.1 only, on a free port, with synchronous_commit = on
 * (a COMMIT is on disk before it returns, as the answer acks require). `stop()` stops it with
 * `pg_ctl stop` (or, failing that, signals its own postmaster pid) and removes the directory.
 *
 * PostgreSQL refuses to run as root, and sessions and CI run as root: then every PostgreSQL binary
 * runs as the `postgres` user through `runuser -u postgres --`, on a directory owned by that user.
 */
export interface PgCluster {
  /** postgres://postgres:…@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** the postmaster's pid, from postmaster.pid */
  readonly pid: number;
  /** creates a fresh, empty database and returns its URL */
  createDatabase(name: string): Promise<string>;
  /** stops the server and removes its directory; safe to call twice */
  stop(): Promise<void>;
  /** an outage: stops the server (`pg_ctl stop -m immediate`, as a crash), keeping its data and port */
  down(): Promise<void>;
  /** starts it again after `down()`, on the same port and data (crash recovery replays the WAL) */
  up(): Promise<void>;
  /**
   * A streaming-replication standby of this server (`pg_basebackup -R`), started on a port of its
   * own and named `name` in `application_name`, so that `synchronous_standby_names = '<name>'` on this
   * server makes every COMMIT wait until the standby has it (README, PostgreSQL: high availability).
   */
  standby(name: string): Promise<PgStandby>;
}

export interface PgStandby {
  /** read-only until promoted */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl promote`: the standby becomes a primary that accepts writes */
  promote(): Promise<void>;
  stop(): Promise<void>;
}

const BIN_NAMES = ['initdb', 'pg_ctl', 'postgres'] as const;

/**
 * The directory holding initdb, pg_ctl and postgres: `PG_BIN`, else Debian's
 * /usr/lib/postgresql/<newest>/bin, else the PATH. Null when there is none on this machine.
 */
export function findPgBin(env: NodeJS.ProcessEnv = process.env): string | null {
  const has = (dir: string) => BIN_NAMES.every((b) => existsSync(join(dir, b)));
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  for (const v of [18, 17, 16, 15, 14, 13]) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) candidates.push(dir);
  return candidates.find(has) ?? null;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no postgres user to run PostgreSQL as (root cannot)');
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as the postgres user when we are root; throws with its output on failure. */
function runPg(bin: string, name: string, args: string[]): string {
  const exe = join(bin, name);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`${name} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  }
  return r.stdout;
}

/** A port nobody listens on now (the OS picks it); PostgreSQL binds it right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function readPid(dataDir: string): number {
  const first = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
  const pid = Number(first.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`unreadable postmaster.pid in ${dataDir}`);
  return pid;
}

export interface StartPgOptions {
  /** directory of the binaries; default findPgBin() */
  bin?: string;
  /** extra postgresql.conf lines */
  settings?: Record<string, string | number>;
}

export async function startPgCluster(options: StartPgOptions = {}): Promise<PgCluster> {
  const bin = options.bin ?? findPgBin();
  if (!bin) throw new Error('PostgreSQL binaries (initdb, pg_ctl, postgres) not found: install postgresql or set PG_BIN');
  const root = mkdtempSync(join(tmpdir(), 'exam-pg-'));
  const dataDir = join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  let stopped = false;
  let pid = 0;

  const removeDir = () => rmSync(root, { recursive: true, force: true });
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(join(dataDir, 'postmaster.pid')))
        runPg(bin, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
    } catch {
      // pg_ctl could not stop it: end our own postmaster (never anything found by name)
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    } finally {
      process.removeListener('exit', stopSync);
      removeDir();
    }
  };
  // A test or tool that dies without calling stop() still leaves no server behind.
  process.once('exit', stopSync);

  try {
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      chownSync(root, uid, gid);
    }
    const pwFile = join(root, 'pw');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      chownSync(pwFile, uid, gid);
    }
    runPg(bin, 'initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      // initdb's own fsyncs only: the server below runs with fsync and synchronous_commit on
      '--no-sync',
    ]);
    rmSync(pwFile, { force: true });
    const sockDir = join(root, 'sock');
    mkdirSync(sockDir);
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      chownSync(sockDir, uid, gid);
    }

    let lastError: unknown = null;
    for (let tries = 0; tries < 5; tries += 1) {
      const port = await freePort();
      const conf: Record<string, string | number> = {
        listen_addresses: "'127.0.0.1'",
        port,
        unix_socket_directories: `'${sockDir}'`,
        synchronous_commit: 'on',
        fsync: 'on',
        max_connections: 200,
        ...options.settings,
      };
      // the last setting in postgresql.conf wins: each try appends its own port
      appendFileSync(
        join(dataDir, 'postgresql.conf'),
        `\n${Object.entries(conf)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
      );
      try {
        runPg(bin, 'pg_ctl', ['start', '-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60']);
      } catch (e) {
        lastError = e;
        continue;
      }
      pid = readPid(dataDir);
      const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
      return {
        url,
        port,
        dataDir,
        get pid() {
          return pid;
        },
        async createDatabase(name: string) {
          if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(`CREATE DATABASE "${name}"`);
          } finally {
            await client.end();
          }
          return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
        },
        async stop() {
          stopSync();
        },
        async down() {
          runPg(bin, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '60']);
        },
        async up() {
          runPg(bin, 'pg_ctl', ['start', '-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60']);
          pid = readPid(dataDir);
        },
        async standby(name: string) {
          if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad standby name ${name}`);
          const dir = join(root, `standby-${name}`);
          const conn = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?application_name=${name}`;
          runPg(bin, 'pg_basebackup', ['-d', conn, '-D', dir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
          const standbyPort = await freePort();
          appendFileSync(join(dir, 'postgresql.conf'), `\nport = ${standbyPort}\nhot_standby = on\n`);
          const log = join(root, `standby-${name}.log`);
          runPg(bin, 'pg_ctl', ['start', '-D', dir, '-l', log, '-w', '-t', '60']);
          let running = true;
          const stopStandby = () => {
            if (!running) return;
            running = false;
            try {
              runPg(bin, 'pg_ctl', ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '60']);
            } catch {
              // already stopped
            }
          };
          process.once('exit', stopStandby);
          return {
            url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${standbyPort}/postgres`,
            port: standbyPort,
            async promote() {
              runPg(bin, 'pg_ctl', ['promote', '-D', dir, '-w', '-t', '60']);
            },
            async stop() {
              stopStandby();
              process.removeListener('exit', stopStandby);
            },
          };
        },
      };
    }
    const log = existsSync(join(root, 'server.log')) ? readFileSync(join(root, 'server.log'), 'utf8').slice(-2000) : '';
    throw new Error(`${lastError instanceof Error ? lastError.message : 'pg_ctl start failed'}\n${log}`);
  } catch (e) {
    stopSync();
    throw e;
  }
}
