import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, num, round1 } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';
import { startListening } from './serverLib.js';

const BASELINE = fileURLToPath(new URL('./baselineServerWorker.js', import.meta.url));

/**
 * `limit --candidates N [--seconds T] [--rate S]`: the answering load of `steady`, first against
 * our server, then, in the same run and from the same worker processes and candidates, against
 * the baseline (baselineServerWorker.ts: Socket.IO + the same CommitQueue + SQLite with
 * WAL and synchronous=FULL, nothing else). To find the limit, each candidate by default makes its
 * next change as soon as the last one is acked (--rate 0: one answer in flight per candidate), for
 * T seconds (default 15; the first fifth, at most 3 s, is warm-up). ratio = ours / baseline.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rateS = num(args, 'rate', 0);
  const seconds = Math.max(1, num(args, 'seconds', 15));
  const warmupMs = Math.min(3000, (seconds * 1000) / 5);
  const rig = await createRig('limit', args, 1000, true);
  try {
    await signInAndConnect(rig);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });
    const load = { rateMs: rateS * 1000, seconds, warmupMs, drainMs: 10_000 };
    const perSec = (res: { ackedCounted: number; countedMs: number }[]) =>
      res.reduce((s, r) => s + r.ackedCounted, 0) / (Math.max(...res.map((r) => r.countedMs)) / 1000);

    log(`our server: ${rateS ? `one change every ${rateS} s` : 'closed loop'} for ${seconds} s`);
    const ours = await rig.step('answering (ours)', 'answer', load);
    await rig.step('disconnect', 'disconnect', {});
    await rig.server.stop();

    const baseline = await startListening(BASELINE, [join(rig.dir, 'baseline.db')], { ...process.env }, 'baseline');
    log(`baseline pid ${baseline.pid} at ${baseline.base}`);
    try {
      await rig.step('socket connect (baseline)', 'connect', { concurrency: 64, base: baseline.base });
      log(`baseline: the same load for ${seconds} s`);
      const base = await rig.step('answering (baseline)', 'answer', load);
      await rig.step('disconnect', 'disconnect', {});
      const oursPerSec = perSec(ours);
      const baselinePerSec = perSec(base);
      return {
        scenario: 'limit',
        candidates: rig.candidates,
        oursPerSec: round1(oursPerSec),
        baselinePerSec: round1(baselinePerSec),
        ratio: baselinePerSec > 0 ? Math.round((oursPerSec / baselinePerSec) * 1000) / 1000 : 0,
        errors: rig.errors,
        rateS,
        seconds,
      };
    } finally {
      await baseline.stop();
    }
  } finally {
    await rig.close();
  }
}
