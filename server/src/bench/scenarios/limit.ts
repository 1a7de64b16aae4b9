import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPgCluster } from '../../db/pg/cluster.js';
import { log, num, round1 } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';
import { startListening } from './serverLib.js';

const BASELINE = fileURLToPath(new URL('./baselineServerWorker.js', import.meta.url));
const BASELINE_PG = fileURLToPath(new URL('./baselinePgServerWorker.js', import.meta.url));

/**
 * `limit --candidates N [--seconds T] [--rate S]`: the answering load of `steady`, first against
 * our server, then, in the same run and from the same worker processes and candidates, against
 * the baseline (baselineServerWorker.ts: Socket.IO + the same CommitQueue + SQLite with
 * WAL and synchronous=FULL, nothing else). To find the limit, each candidate by default makes its
 * next change as soon as the last one is acked (--rate 0: one answer in flight per candidate), for
 * T seconds (default 15; the first fifth, at most 3 s, is warm-up). ratio = ours / baseline.
 *
 * `--db postgres` (issue 17): the baseline writes to a private PostgreSQL instead (Socket.IO +
 * grouped commits with synchronous_commit = on, nothing else: baselinePgServerWorker.ts), which is
 * how many answers per second one PostgreSQL takes on this machine. Our server does not run on
 * PostgreSQL yet: its side is then measured on SQLite as usual and the JSON says so (`oursDb`).
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

    const onPg = args.db === 'postgres';
    const pgCluster = onPg ? await startPgCluster() : null;
    const baseline = pgCluster
      ? await startListening(BASELINE_PG, [await pgCluster.createDatabase('baseline')], { ...process.env }, 'baseline')
      : await startListening(BASELINE, [join(rig.dir, 'baseline.db')], { ...process.env }, 'baseline');
    log(`baseline pid ${baseline.pid} at ${baseline.base} (${onPg ? 'PostgreSQL' : 'SQLite'})`);
    try {
      await rig.step('socket connect (baseline)', 'connect', { concurrency: 64, base: baseline.base });
      log(`baseline: the same load for ${seconds} s`);
      const base = await rig.step('answering (baseline)', 'answer', load);
      await rig.step('disconnect', 'disconnect', {});
      const oursPerSec = perSec(ours);
      const baselinePerSec = perSec(base);
      return {
        scenario: 'limit',
        db: onPg ? 'postgres' : 'sqlite',
        oursDb: 'sqlite',
        nodes: 1,
        candidates: rig.candidates,
        fdLimit: rig.fdLimit,
        oursPerSec: round1(oursPerSec),
        baselinePerSec: round1(baselinePerSec),
        // ours on SQLite against a PostgreSQL baseline would be no ratio at all
        ratio: onPg ? null : baselinePerSec > 0 ? Math.round((oursPerSec / baselinePerSec) * 1000) / 1000 : 0,
        ...(onPg
          ? { note: "the platform does not run on PostgreSQL yet: baselinePerSec is one PostgreSQL's answers/s here" }
          : {}),
        errors: rig.errors,
        rateS,
        seconds,
      };
    } finally {
      await baseline.stop();
      await pgCluster?.stop();
    }
  } finally {
    await rig.close();
  }
}
