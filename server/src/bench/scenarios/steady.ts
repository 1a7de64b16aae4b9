import { log, num, quantile, round1, sleep, sortedOf } from './loadLib.js';
import { createRig } from './rigLib.js';
import { procStats } from './serverLib.js';

/**
 * `steady --candidates N [--rate S] [--seconds T] [--warmup W]`: N candidates signed in, holding
 * their papers and connected, each changing one answer every S seconds (default 6, at a random
 * phase) for T seconds (default 60). Ack latency is emit → ack in the candidate's process (the ack
 * leaves the server after COMMIT); changes made in the first W seconds (default: 2, at most a fifth
 * of T) are not counted. `rssPerCandidateKb`: the server's RSS once every candidate has signed in,
 * connected its socket and loaded its paper (the steady state of a sitting), minus its RSS before,
 * divided by N; rssSignInKb, rssSocketKb and rssPaperKb split it into those three steps. `fdLimit`:
 * the server's open-files limit, which caps its sockets: a run that cannot fit under it is refused
 * before it starts (run.ts prints `ran: false`, `fdLimit`, `maxCandidates` and why). Past 10,000
 * candidates the sockets come from several loopback source addresses (loadLib.ts, sourceAddress).
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rateS = num(args, 'rate', 6);
  const seconds = num(args, 'seconds', 60);
  const warmupS = num(args, 'warmup', Math.min(2, seconds / 5));
  const rig = await createRig('steady', args, 10000, true);
  try {
    await sleep(500);
    const before = procStats(rig.server.pid);
    const mb = (kb: number) => Math.round(kb / 1024);
    await rig.step('sign-in', 'login', { concurrency: 32 });
    const signedIn = procStats(rig.server.pid);
    await rig.step('socket connect', 'connect', { concurrency: 64 });
    const connected = procStats(rig.server.pid);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });
    await sleep(2000);
    const after = procStats(rig.server.pid);
    log(
      `server RSS: ${mb(before.rssKb)} MB before, ${mb(signedIn.rssKb)} signed in, ${mb(connected.rssKb)} connected, ${mb(after.rssKb)} MB holding papers`,
    );
    const rssPerCandidateKb = round1((after.rssKb - before.rssKb) / rig.candidates);
    const cpu0 = procStats(rig.server.pid).cpuS;
    log(`answering: one change every ${rateS} s per candidate for ${seconds} s`);
    const res = await rig.step('answering', 'answer', {
      rateMs: rateS * 1000,
      seconds,
      warmupMs: warmupS * 1000,
      drainMs: 15_000,
    });
    const end = procStats(rig.server.pid);
    const lat = sortedOf(res.map((r) => r.latencies));
    const countedMs = Math.max(...res.map((r) => r.countedMs));
    const counted = res.reduce((s, r) => s + r.ackedCounted, 0);
    const pending = res.reduce((s, r) => s + r.pending, 0);
    return {
      scenario: 'steady',
      candidates: rig.candidates,
      fdLimit: rig.fdLimit,
      ackP50Ms: round1(quantile(lat, 0.5)),
      ackP95Ms: round1(quantile(lat, 0.95)),
      ackP99Ms: round1(quantile(lat, 0.99)),
      ackMaxMs: round1(lat[lat.length - 1] ?? 0),
      answersPerSec: round1(counted / (countedMs / 1000)),
      rssPerCandidateKb,
      // the same growth in its three steps: session, socket, paper held in the attempt cache
      rssSignInKb: round1((signedIn.rssKb - before.rssKb) / rig.candidates),
      rssSocketKb: round1((connected.rssKb - signedIn.rssKb) / rig.candidates),
      rssPaperKb: round1((after.rssKb - connected.rssKb) / rig.candidates),
      errors: rig.errors + pending,
      rateS,
      seconds,
      warmupS,
      acked: res.reduce((s, r) => s + r.acked, 0),
      serverCpuS: round1(end.cpuS - cpu0),
      serverRssMb: Math.round(end.rssKb / 1024),
      serverPeakRssMb: Math.round(end.hwmKb / 1024),
    };
  } finally {
    await rig.close();
  }
}
