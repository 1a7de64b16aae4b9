import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultWorkers,
  Fleet,
  log,
  num,
  type Params,
  quantile,
  type Results,
  round1,
  sleep,
  sortedOf,
  tally,
} from './loadLib.js';
import { checkFileLimit, procStats, type ServerHandle, startListening, startServer } from './serverLib.js';
import { prepareExam, setSittingStart } from './setupLib.js';

const BASELINE = fileURLToPath(new URL('./baselinePaperWorker.js', import.meta.url));

/**
 * `start-burst --candidates N [--wait W] [--lead S]`: the synchronized start, in three runs over
 * the same ready exam (one data directory, copied before the first run) and the same simulated
 * candidates (worker processes, each candidate with its own session and socket):
 *
 * 1. prefetched (issue 15): N candidates signed in, rules acknowledged, socket connected, clock
 *    synced; the sitting opens W s later (default 20 + N/250). While they wait each downloads its
 *    sealed paper when the server says (prefetchSpreadS: first download to last). At the opening
 *    the server sends each its key (with the attempt it started); openToQuestion runs from the
 *    opening, in the candidate's view of the server clock, to its paper decrypted and parsed
 *    (question 1 ready to show, no request). serverCpuAtOpeningS: the server's CPU from 1.5 s
 *    before the opening to the last paper open.
 * 2. cold (as before issue 15): a fresh server on the copy; nothing prefetched; at the opening
 *    (S s after scheduling, default 3) every candidate asks for its paper (POST start) at once.
 *    coldPaperMaxMs = paperMaxMs: from the opening to the whole AttemptDto received and parsed;
 *    serverCpuS its server's CPU time.
 * 3. baseline: a bare Fastify server (baselinePaperWorker.ts) serving the same stored views from
 *    the same SQLite file to the same candidates in the same burst. coldRatio = baseline / ours;
 *    coldCpuRatio the same for the servers' CPU time (baselineServerCpuS / serverCpuS).
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const candidates = Math.max(1, Math.floor(num(args, 'candidates', 10000)));
  // two load processes by default at any size (one per core): at the opening the generator's own
  // decrypting and parsing is inside openToQuestion, and more processes than cores only add switching
  const workers = Math.max(1, Math.floor(num(args, 'workers', Math.min(2, defaultWorkers(candidates)))));
  const httpConns = Math.max(1, Math.floor(num(args, 'http-conns', 256)));
  // the sockets must fit under the server's open-files limit (FdLimitError before anything starts)
  checkFileLimit(candidates, workers * httpConns, args['ignore-fd-limit'] === 'true');
  const waitS = Math.max(2, num(args, 'wait', 20 + Math.ceil(candidates / 250)));
  const leadS = Math.max(1, num(args, 'lead', 3));
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-burst-'));
  const coldDir = join(dir, 'cold');
  let fleet: Fleet | null = null;
  let server: ServerHandle | null = null;
  let errors = 0;
  const step = async <K extends keyof Params>(label: string, cmd: K, p: Params[K]): Promise<Results[K][]> => {
    if (!fleet) throw new Error('no fleet');
    const t0 = performance.now();
    const out = await fleet.all(cmd, p);
    const e = tally(out, label);
    errors += e;
    log(`${label}: ${Math.round(performance.now() - t0)} ms${e ? `, ${e} errors` : ''}`);
    return out;
  };
  const signIn = async (ack: boolean) => {
    await step('sign-in', 'login', { concurrency: 32 });
    if (ack) await step('rules acknowledged', 'acknowledge', { concurrency: 32 });
    await step('socket connect', 'connect', { concurrency: 64 });
    await step('clock sync', 'sync', {});
  };
  try {
    log(`start-burst: preparing an exam for ${candidates} candidates in ${dir}`);
    const exam = await prepareExam(dir, { candidates, startsAt: new Date(Date.now() + 24 * 3600_000).toISOString() });
    mkdirSync(coldDir);
    cpSync(exam.dbFile, join(coldDir, 'exam.db'));
    const coldDb = join(coldDir, 'exam.db');
    log(`ready exam in ${exam.setupMs} ms (views rendered at "ready"); ${workers} workers`);
    fleet = new Fleet(workers);

    // ---- 1. prefetched ----
    server = await startServer(dir);
    await fleet.init(server.base, exam.pin, exam.numbers, httpConns);
    await signIn(true);
    const openAt = Date.now() + waitS * 1000;
    setSittingStart(exam.dbFile, exam.sittingId, openAt);
    log(`prefetched: the sitting opens at ${new Date(openAt).toISOString()}`);
    const pre = await step('prefetch', 'prefetch', { concurrency: 32 });
    const held = pre.reduce((s, r) => s + r.held, 0);
    const firstAt = Math.min(...pre.map((r) => r.firstAt || Number.POSITIVE_INFINITY));
    const lastAt = Math.max(...pre.map((r) => r.lastAt));
    if (Date.now() > openAt - 1500) log('warning: the prefetch ran into the opening; give a longer --wait');
    await sleep(Math.max(0, openAt - 1500 - Date.now()));
    const cpuOpen0 = procStats(server.pid).cpuS;
    const opened = await step('opening', 'opening', { scheduledAt: openAt, timeoutMs: 30_000 });
    const cpuOpen = procStats(server.pid).cpuS - cpuOpen0;
    const open = sortedOf(opened.map((r) => r.latencies));
    const withAttempt = opened.reduce((s, r) => s + r.withAttempt, 0);
    await step('disconnect', 'disconnect', {});
    await server.stop();

    // ---- 2. cold: nothing prefetched, everyone asks at once ----
    server = await startServer(coldDir);
    await fleet.init(server.base, exam.pin, exam.numbers, httpConns);
    await signIn(false);
    const cpu0 = procStats(server.pid).cpuS;
    const scheduledAt = Date.now() + leadS * 1000;
    setSittingStart(coldDb, exam.sittingId, scheduledAt);
    log(`cold: the sitting opens at ${new Date(scheduledAt).toISOString()}`);
    const cold = await step('start burst', 'burst', { partId: exam.partId, scheduledAt });
    const end = procStats(server.pid);
    await step('disconnect', 'disconnect', {});
    await server.stop();
    server = null;
    const lat = sortedOf(cold.map((r) => r.latencies));

    // ---- 3. baseline: the same stored bytes from a bare server ----
    const baseline = await startListening(BASELINE, [coldDb], { ...process.env }, 'baseline');
    let base: number[] = [];
    let baseCpuS = 0;
    try {
      log(`baseline pid ${baseline.pid} at ${baseline.base}`);
      const at = Date.now() + leadS * 1000;
      const baseCpu0 = procStats(baseline.pid).cpuS;
      const res = await step('start burst (baseline)', 'burst', { partId: exam.partId, scheduledAt: at, base: baseline.base });
      baseCpuS = procStats(baseline.pid).cpuS - baseCpu0;
      base = sortedOf(res.map((r) => r.latencies));
    } finally {
      await baseline.stop();
    }
    const coldMax = lat[lat.length - 1] ?? 0;
    const baseMax = base[base.length - 1] ?? 0;
    return {
      scenario: 'start-burst',
      candidates,
      // prefetched
      openToQuestionP50Ms: round1(quantile(open, 0.5)),
      openToQuestionP99Ms: round1(quantile(open, 0.99)),
      openToQuestionMaxMs: round1(open[open.length - 1] ?? 0),
      opened: open.length,
      openedWithAttempt: withAttempt,
      prefetchSpreadS: round1(Number.isFinite(firstAt) ? (lastAt - firstAt) / 1000 : 0),
      prefetchRetries: pre.reduce((s, r) => s + r.retries, 0),
      prefetched: held,
      prefetchMb: round1(pre.reduce((s, r) => s + r.bytes, 0) / 1e6),
      serverCpuAtOpeningS: round1(cpuOpen),
      waitS,
      // cold (the old keys)
      coldPaperMaxMs: round1(coldMax),
      paperP50Ms: round1(quantile(lat, 0.5)),
      paperP99Ms: round1(quantile(lat, 0.99)),
      paperMaxMs: round1(coldMax),
      serverCpuS: round1(end.cpuS - cpu0),
      serverPeakRssMb: Math.round(end.hwmKb / 1024),
      papers: lat.length,
      earlyRetries: cold.reduce((s, r) => s + r.early, 0),
      // baseline
      baselineColdPaperMaxMs: round1(baseMax),
      baselineColdPaperP50Ms: round1(quantile(base, 0.5)),
      coldRatio: coldMax > 0 ? Math.round((baseMax / coldMax) * 1000) / 1000 : 0,
      // the servers' CPU for the same burst: on a shared machine the wall-clock ratio follows the
      // other load at each moment; the CPU ratio does not
      baselineServerCpuS: round1(baseCpuS),
      coldCpuRatio: end.cpuS - cpu0 > 0 ? Math.round((baseCpuS / (end.cpuS - cpu0)) * 1000) / 1000 : 0,
      errors,
      questionsPerPaper: exam.questionsPerPaper,
    };
  } finally {
    await fleet?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
