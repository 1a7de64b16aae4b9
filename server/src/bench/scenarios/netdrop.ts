import { log, num } from './loadLib.js';
import { createRig, signInAndConnect } from './rigLib.js';

/**
 * `netdrop --candidates N [--drop-seconds D] [--share F] [--rate S] [--before B] [--after A]`: N
 * candidates answering (one change every S seconds each, default 6). After B seconds (default 5)
 * the transports of a share F (default 0.3) of them are closed for D seconds (default 60): they
 * keep answering into their local queue, then reconnect and replay it, as the real client does;
 * the load runs A seconds more (default 10), then every pending change gets up to 60 s to be acked.
 * `lost`: questions whose latest value made by the candidate is not the one in the database.
 */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const rateS = num(args, 'rate', 6);
  const dropS = num(args, 'drop-seconds', 60);
  const share = Math.min(1, num(args, 'share', 0.3));
  const beforeS = num(args, 'before', 5);
  const afterS = num(args, 'after', 10);
  const rig = await createRig('netdrop', args, 1000, true);
  try {
    await signInAndConnect(rig);
    await rig.step('load papers', 'start', { partId: rig.exam.partId, concurrency: 32 });
    const seconds = beforeS + dropS + afterS;
    log(`answering for ${seconds} s; ${Math.round(share * 100)}% cut off from ${beforeS} s for ${dropS} s`);
    const res = await rig.step('answering', 'answer', {
      rateMs: rateS * 1000,
      seconds,
      warmupMs: 0,
      drainMs: 60_000,
      drop: { share, afterMs: beforeS * 1000, ms: dropS * 1000 },
    });
    const ver = await rig.step('verify final values', 'verify', { dbFile: rig.exam.dbFile, what: 'final' });
    for (const v of ver) for (const m of v.samples) console.error(`lost: ${m}`);
    return {
      scenario: 'netdrop',
      candidates: rig.candidates,
      lost: ver.reduce((s, r) => s + r.missing, 0),
      errors: rig.errors,
      dropped: res.reduce((s, r) => s + r.dropped, 0),
      changes: res.reduce((s, r) => s + r.changes, 0),
      madeOffline: res.reduce((s, r) => s + r.madeOffline, 0),
      interrupted: res.reduce((s, r) => s + r.interrupted, 0),
      pendingAtEnd: res.reduce((s, r) => s + r.pending, 0),
      finalValuesChecked: ver.reduce((s, r) => s + r.checked, 0),
      dropSeconds: dropS,
      share,
      rateS,
    };
  } finally {
    await rig.close();
  }
}
