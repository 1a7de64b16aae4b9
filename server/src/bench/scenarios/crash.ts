import { log, num, round1, sleep } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';

/**
 * `crash --candidates N [--rate S] [--seconds T]`: the steady load (one change every S seconds per
 * candidate, default 1, for T seconds, default 10); halfway through, the server is killed with
 * SIGKILL. The database is then opened read-only: `lostAcked` counts acked changes whose seq is
 * not on disk. The server is started again on the same data directory and every candidate signs
 * in again, loads its attempt (the same one, still running, with every acked change) and reconnects:
 * `resumeMs` runs from the restart (spawn) to the last candidate resumed.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rateS = num(args, 'rate', 1);
  const seconds = Math.max(2, num(args, 'seconds', 10));
  const rig = await createRig('crash', args, 1000, true);
  try {
    await signInAndConnect(rig);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });
    log(`answering: one change every ${rateS} s per candidate; kill -9 after ${seconds / 2} s`);
    // the load stops a second after the kill: the sockets are down by then
    const load = rig.step('answering', 'answer', { rateMs: rateS * 1000, seconds: seconds / 2 + 1, warmupMs: 0, drainMs: 0 });
    await sleep((seconds / 2) * 1000);
    await rig.server.kill();
    const killedAt = Date.now();
    log('server killed (SIGKILL)');
    const res = await load;
    const acked = res.reduce((s, r) => s + r.acked, 0);
    const changes = res.reduce((s, r) => s + r.changes, 0);
    const ver = await rig.step('verify acked', 'verify', { dbFile: rig.exam.dbFile, what: 'acked' });
    const lostAcked = ver.reduce((s, r) => s + r.missing, 0);
    for (const v of ver) for (const m of v.samples) console.error(`lost: ${m}`);
    const server = await rig.restart();
    log(`server restarted in ${server.readyAt - server.spawnedAt} ms (${server.spawnedAt - killedAt} ms after the kill)`);
    const resumed = await rig.step('resume', 'resume', { base: server.base, partId: rig.exam.partId, concurrency: 32 });
    const lastDone = Math.max(...resumed.map((r) => r.lastDoneAt));
    const resumedCount = resumed.reduce((s, r) => s + r.resumed, 0);
    return {
      scenario: 'crash',
      candidates: rig.candidates,
      lostAcked,
      resumeMs: Math.round(lastDone - server.spawnedAt),
      errors: rig.errors,
      resumed: resumedCount,
      ackedChecked: ver.reduce((s, r) => s + r.checked, 0),
      acked,
      changes,
      interrupted: res.reduce((s, r) => s + r.interrupted, 0),
      serverStartMs: server.readyAt - server.spawnedAt,
      rateS,
      killedAfterS: round1(seconds / 2),
    };
  } finally {
    await rig.close();
  }
}
