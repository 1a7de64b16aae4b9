import { log, num, quantile, round1, sleep, sortedOf } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';
import { procStats } from './serverLib.js';
import { setSittingStart } from './setupLib.js';

/**
 * `start-burst --candidates N [--lead S]`: N candidates signed in, on the waiting screen with their
 * socket connected and their clock synced to the server's. The sitting is then scheduled to open
 * S seconds later (default 3); at that instant, by their own view of the server clock, every
 * candidate asks for the paper (POST /api/candidate/parts/:id/start). paperMs runs from the
 * scheduled start to the whole paper (AttemptDto) received. serverCpuS is the server's CPU time
 * from the scheduling to the last paper; serverPeakRssMb its peak RSS (VmHWM) over the whole run.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const leadS = Math.max(1, num(args, 'lead', 3));
  const rig = await createRig('start-burst', args, 10000, false);
  try {
    await signInAndConnect(rig);
    const sync = await rig.step('clock sync', 'sync', {});
    log(
      `clock offset ≤ ${Math.max(...sync.map((s) => s.maxOffsetMs))} ms, round trip ≤ ${Math.max(...sync.map((s) => s.maxRttMs))} ms`,
    );
    await sleep(1000);
    const cpu0 = procStats(rig.server.pid).cpuS;
    const scheduledAt = Date.now() + leadS * 1000;
    setSittingStart(rig.exam.dbFile, rig.exam.sittingId, scheduledAt);
    log(`the sitting opens at ${new Date(scheduledAt).toISOString()}`);
    const res = await rig.step('start burst', 'burst', { partId: rig.exam.partId, scheduledAt });
    const end = procStats(rig.server.pid);
    const lat = sortedOf(res.map((r) => r.latencies));
    const early = res.reduce((s, r) => s + r.early, 0);
    return {
      scenario: 'start-burst',
      candidates: rig.candidates,
      paperP50Ms: round1(quantile(lat, 0.5)),
      paperP99Ms: round1(quantile(lat, 0.99)),
      paperMaxMs: round1(lat[lat.length - 1] ?? 0),
      errors: rig.errors,
      serverCpuS: round1(end.cpuS - cpu0),
      serverPeakRssMb: Math.round(end.hwmKb / 1024),
      papers: lat.length,
      earlyRetries: early,
      questionsPerPaper: rig.exam.questionsPerPaper,
    };
  } finally {
    await rig.close();
  }
}
