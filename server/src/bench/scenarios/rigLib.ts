// The common set-up of the delivery scenarios: a data directory with a ready exam, the production
// server on it as a child process, and the candidate worker processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkers, Fleet, log, num, type Params, type Results, tally } from './loadLib.js';
import { checkFileLimit, fileLimitOf, type ServerHandle, startServer } from './serverLib.js';
import { type PreparedExam, prepareExam } from './setupLib.js';

export interface Rig {
  dir: string;
  exam: PreparedExam;
  server: ServerHandle;
  fleet: Fleet;
  candidates: number;
  /** the open-files limit of the server process (/proc/<pid>/limits): it caps the sockets it holds */
  fdLimit: number | null;
  /** errors of every step so far */
  errors: number;
  /** Runs a command on every worker, logs its duration, adds up its errors. */
  step<K extends keyof Params>(label: string, cmd: K, p: Params[K]): Promise<Results[K][]>;
  /** Starts the server again on the same data directory (after a crash). */
  restart(): Promise<ServerHandle>;
  close(): Promise<void>;
}

/**
 * `--candidates N` (default `dflt`), `--workers W` (default 2–4), `--http-conns C` (HTTP keep-alive
 * connections per worker, default 256: with 10,000 sockets open the server stays under its file
 * limit). `open`: the sitting opened a minute ago; otherwise it starts tomorrow until moved.
 * Before anything starts, a run whose sockets cannot fit under the server's open-files limit is
 * refused with an FdLimitError (`--ignore-fd-limit true` runs it anyway), and so is one whose
 * workers would each hold more sockets than this process may open.
 */
export async function createRig(scenario: string, args: Record<string, string>, dflt: number, open: boolean): Promise<Rig> {
  const candidates = Math.max(1, Math.floor(num(args, 'candidates', dflt)));
  const workers = Math.max(1, Math.floor(num(args, 'workers', defaultWorkers(candidates))));
  const httpConns = Math.max(1, Math.floor(num(args, 'http-conns', 256)));
  checkFileLimit(candidates, workers * httpConns, args['ignore-fd-limit'] === 'true');
  const perWorker = Math.ceil(candidates / workers) + httpConns + 100;
  const own = fileLimitOf('self');
  if (own !== null && perWorker > own) {
    throw new Error(
      `each of ${workers} load-generator workers would hold about ${perWorker} sockets, over this shell's open-files limit of ${own}: pass more --workers`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), `bench-${scenario}-`));
  let server: ServerHandle | null = null;
  let fleet: Fleet | null = null;
  try {
    log(`${scenario}: preparing an exam for ${candidates} candidates in ${dir}`);
    const startsAt = new Date(Date.now() + (open ? -60_000 : 24 * 3600_000)).toISOString();
    const exam = await prepareExam(dir, { candidates, startsAt });
    log(`ready exam in ${exam.setupMs} ms; starting the server`);
    server = await startServer(dir);
    log(`server pid ${server.pid} at ${server.base} (up in ${server.readyAt - server.spawnedAt} ms); ${workers} workers`);
    fleet = new Fleet(workers);
    await fleet.init(server.base, exam.pin, exam.numbers, httpConns);
    const rig: Rig = {
      dir,
      exam,
      server,
      fleet,
      candidates,
      fdLimit: fileLimitOf(server.pid),
      errors: 0,
      async step(label, cmd, p) {
        const t0 = performance.now();
        const out = await (fleet as Fleet).all(cmd, p);
        const e = tally(out, label);
        rig.errors += e;
        log(`${label}: ${Math.round(performance.now() - t0)} ms${e ? `, ${e} errors` : ''}`);
        return out;
      },
      async restart() {
        server = await startServer(dir);
        rig.server = server;
        return server;
      },
      async close() {
        await (fleet as Fleet).close();
        await rig.server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return rig;
  } catch (e) {
    await fleet?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Sign in (bounded concurrency per worker) and open each candidate's socket. */
export async function signInAndConnect(rig: Rig): Promise<void> {
  await rig.step('sign-in', 'login', { concurrency: 32 });
  await rig.step('socket connect', 'connect', { concurrency: 64 });
}
