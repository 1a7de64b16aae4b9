// The phases of the simulated candidates (candidateWorker.ts) other than answering: the clock
// sync, the synchronized start, the sealed paper's prefetch and opening, the check of the
// database against what the candidates were told, and the resumption after a restart.
import { Agent } from 'node:http';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.js';
import { flushPending } from './candidateAnswerLib.js';
import {
  fail,
  http,
  httpBytes,
  login,
  message,
  nowMs,
  openSocket,
  parseAttempt,
  parsePrefetchPlan,
  parseRetryAfter,
  phase,
  pool,
  startPart,
  worker,
} from './candidateClientLib.js';
import type { BurstResult, OpeningResult, Params, PrefetchResult, ResumeResult, SyncResult, VerifyResult } from './loadLib.js';

/** Each candidate measures its offset to the server clock (best of 3 round trips), as the client does. */
export async function sync(): Promise<SyncResult> {
  const r: SyncResult = { ...phase(), maxOffsetMs: 0, maxRttMs: 0 };
  await pool(worker.clients, 16, async (c) => {
    const sock = c.sock;
    if (!sock) return fail(r, c, 'sync: not connected');
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      try {
        const sent = nowMs();
        const ack = await sock.timeout(10_000).emitWithAck('sync', { clientNow: Date.now() });
        const back = nowMs();
        if (back - sent < best) {
          best = back - sent;
          c.offset = ack.serverNow - (sent + back) / 2;
        }
      } catch (e) {
        return fail(r, c, `sync: ${message(e)}`);
      }
    }
    r.maxOffsetMs = Math.max(r.maxOffsetMs, Math.abs(c.offset));
    r.maxRttMs = Math.max(r.maxRttMs, best);
  });
  r.maxOffsetMs = Math.round(r.maxOffsetMs * 10) / 10;
  r.maxRttMs = Math.round(r.maxRttMs * 10) / 10;
  return r;
}

/**
 * The synchronized start: every candidate asks for its paper when its view of the server clock
 * reaches `scheduledAt` (an early request — the server's clock not there yet — is retried after
 * 20 ms, as the waiting screen would). Latency runs from the scheduled start, in the candidate's
 * clock, to the whole attempt received, parsed and checked.
 */
export function burst(partId: number, scheduledAt: number, at = worker.base): Promise<BurstResult> {
  const r: BurstResult = { ...phase(), latencies: [], early: 0 };
  return new Promise((resolve) => {
    let left = worker.clients.length;
    if (left === 0) resolve(r);
    const done = () => {
      if (--left === 0) resolve(r);
    };
    for (const c of worker.clients) {
      const localStart = scheduledAt - c.offset;
      const go = async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            // the number header lets the baseline (which has no sessions) find the candidate's stored paper
            const res = await http(
              'POST',
              `/api/candidate/parts/${partId}/start`,
              `${c.cookie}; bench=${c.number}`,
              undefined,
              at,
            );
            if (res.status === 409 && res.text.includes('SITTING_NOT_OPEN') && attempt < 100) {
              r.early++;
              await new Promise((ok) => setTimeout(ok, 20));
              continue;
            }
            if (res.status !== 200) throw new Error(`start ${res.status} ${res.text}`);
            const a = parseAttempt(res.text);
            if (!a.questions.length) throw new Error('attempt without questions');
            r.latencies.push(Math.round((nowMs() - localStart) * 10) / 10);
            c.attempt = a;
            c.seq = Math.max(c.seq, a.lastSeq);
          } catch (e) {
            fail(r, c, message(e));
          }
          return done();
        }
      };
      setTimeout(go, Math.max(0, localStart - nowMs()));
    }
  });
}

/**
 * While waiting: each candidate asks the server when to download its sealed paper, downloads it
 * then (again after the wait the server gives when it answers 503), and keeps it in memory.
 */
export async function prefetch(concurrency: number): Promise<PrefetchResult> {
  const r: PrefetchResult = { ...phase(), held: 0, retries: 0, firstAt: 0, lastAt: 0, bytes: 0 };
  const downloads: Promise<void>[] = [];
  await pool(worker.clients, concurrency, async (c) => {
    try {
      const res = await http('GET', '/api/candidate/prefetch', c.cookie);
      if (res.status !== 200) throw new Error(`prefetch plan ${res.status} ${res.text}`);
      const plan = parsePrefetchPlan(res.text);
      const item = plan.items[0];
      if (!item) throw new Error('prefetch plan without a paper');
      const wait = Math.max(0, item.fetchAt - plan.serverNow);
      downloads.push(
        (async () => {
          await new Promise((ok) => setTimeout(ok, wait));
          for (let i = 0; i < 100; i++) {
            const t = nowMs();
            if (!r.firstAt || t < r.firstAt) r.firstAt = t;
            const got = await httpBytes(`/api/candidate/parts/${item.partId}/sealed`, c.cookie);
            if (got.status === 503) {
              r.retries++;
              const body = parseRetryAfter(got.bytes.toString());
              await new Promise((ok) => setTimeout(ok, body.error?.details?.retryAfterMs ?? 1000));
              continue;
            }
            if (got.status !== 200) throw new Error(`sealed ${got.status} ${got.bytes.toString().slice(0, 200)}`);
            c.sealed = got.bytes;
            r.held++;
            r.bytes += got.bytes.length;
            r.lastAt = Math.max(r.lastAt, nowMs());
            return;
          }
          throw new Error('sealed: still busy after 100 tries');
        })().catch((e: unknown) => fail(r, c, message(e))),
      );
    } catch (e) {
      fail(r, c, message(e));
    }
  });
  await Promise.all(downloads);
  return r;
}

/** Waits until every candidate holding a sealed paper has opened it with its key (or the timeout). */
export async function opening(scheduledAt: number, timeoutMs: number): Promise<OpeningResult> {
  const r: OpeningResult = { ...phase(), latencies: [], withAttempt: 0 };
  const holders = worker.clients.filter((c) => c.sealed);
  const end = nowMs() + Math.max(0, scheduledAt - nowMs()) + timeoutMs;
  while (holders.some((c) => !c.openedAt && !c.openError) && nowMs() < end) await new Promise((ok) => setTimeout(ok, 20));
  for (const c of holders) {
    if (!c.openedAt) {
      fail(r, c, c.openError || 'no key within the timeout');
      continue;
    }
    r.latencies.push(Math.round((c.openedAt - (scheduledAt - c.offset)) * 10) / 10);
    if (c.keyWithAttempt) r.withAttempt++;
  }
  return r;
}

/** Checks the database (read-only) against what this worker's candidates were told or did. */
export async function verify(dbFile: string, what: 'acked' | 'final'): Promise<VerifyResult> {
  const r: VerifyResult = { ...phase(), checked: 0, missing: 0 };
  const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
  const db = drizzle(sqlite, { schema });
  const { answers } = schema;
  try {
    for (const c of worker.clients) {
      if (!c.attempt) continue;
      const rows = await db
        .select({ questionNo: answers.questionNo, choice: answers.choice, seq: answers.seq })
        .from(answers)
        .where(eq(answers.attemptId, c.attempt.attemptId));
      const onDisk = new Map(rows.map((row) => [row.questionNo, row]));
      if (what === 'acked') {
        // every acked change is on disk: the row holds that seq or a later one
        for (const [q, seq] of c.acked) {
          r.checked++;
          const got = onDisk.get(q);
          if ((got?.seq ?? 0) < seq) {
            r.missing++;
            if (r.samples.length < 3) r.samples.push(`${c.number} q${q}: acked seq ${seq}, on disk ${got?.seq ?? 'none'}`);
          }
        }
      } else {
        // the final value the candidate made for each question is the one on disk
        for (const [q, ch] of c.finals) {
          r.checked++;
          const got = onDisk.get(q);
          if (!got || got.seq !== ch.seq || got.choice !== JSON.stringify(ch.choice)) {
            r.missing++;
            if (r.samples.length < 3) r.samples.push(`${c.number} q${q}: made seq ${ch.seq}, on disk ${got?.seq ?? 'none'}`);
          }
        }
      }
    }
  } finally {
    sqlite.close();
  }
  return r;
}

/**
 * After a restart: each candidate signs in again, loads its attempt (the same one, still running,
 * holding at least every acked change) and reconnects its socket.
 */
export async function resume(p: Params['resume']): Promise<ResumeResult> {
  const r: ResumeResult = { ...phase(), resumed: 0, lastDoneAt: 0 };
  worker.base = p.base;
  const maxSockets = worker.agent.maxSockets;
  worker.agent.destroy();
  worker.agent = new Agent({ keepAlive: true, maxSockets });
  await pool(worker.clients, p.concurrency, async (c) => {
    const before = c.attempt;
    if (!before) return;
    try {
      c.sock?.disconnect();
      c.sock = null;
      await login(c);
      const a = await startPart(c, p.partId);
      const maxAcked = Math.max(0, ...c.acked.values());
      if (a.attemptId !== before.attemptId) throw new Error(`resumed attempt ${a.attemptId}, had ${before.attemptId}`);
      if (a.timing?.state !== 'running') throw new Error(`resumed attempt is ${a.timing?.state ?? 'without timing'}`);
      if (a.lastSeq < maxAcked) throw new Error(`resumed lastSeq ${a.lastSeq} < acked ${maxAcked}`);
      c.attempt = a;
      await openSocket(c, worker.base, flushPending);
      r.resumed++;
      r.lastDoneAt = Math.max(r.lastDoneAt, Date.now());
    } catch (e) {
      fail(r, c, `resume: ${message(e)}`);
    }
  });
  return r;
}
