/**
 * Gives the answer path priority over bulk writes (imports, paper generation) on the one SQLite
 * write lock. The answer writer reports when it has a batch waiting or in flight; a bulk writer
 * awaits `answerPathIdle()` just before its (synchronous) transaction, so that transaction never
 * starts while answers wait for the lock, and answers that arrive meanwhile queue for a single,
 * short transaction instead of the writer thread sleeping in SQLite's busy handler.
 */
type BusyProbe = () => boolean;

const probes = new Set<BusyProbe>();

/** The answer writer registers how to tell whether it is busy; the returned function unregisters. */
export function registerAnswerPath(isBusy: BusyProbe): () => void {
  probes.add(isBusy);
  return () => probes.delete(isBusy);
}

function busy(): boolean {
  for (const p of probes) if (p()) return true;
  return false;
}

/**
 * Resolves on a turn of the event loop when no answer batch is waiting or being written, or after
 * `maxWaitMs` (the answer path never runs dry under load; a bulk write must still get its turn).
 */
export async function answerPathIdle(maxWaitMs = 2000): Promise<void> {
  const until = performance.now() + maxWaitMs;
  // let sockets and acks already due run first
  await new Promise<void>((r) => setImmediate(r));
  while (busy() && performance.now() < until) await new Promise<void>((r) => setTimeout(r, 1));
}
