// The answering of the simulated candidates (candidateWorker.ts), as the real client does it
// (client/src/candidate/live.ts): every change stays pending until acked, is sent again on
// reconnect and every 3 s.
import type { AnswerAck } from '@exam/shared';
import { type Client, fail, nowMs, phase, worker } from './candidateClientLib.js';
import type { AnswerParams, AnswerResult } from './loadLib.js';

const ACK_TIMEOUT_MS = 10_000;
const RETRY_EVERY_MS = 3_000;

interface Load {
  p: AnswerParams;
  r: AnswerResult;
  countFrom: number;
  countUntil: number;
  stopped: boolean;
}
let load: Load | null = null;

function send(c: Client, q: number): void {
  const ch = c.pending.get(q);
  const a = c.attempt;
  const sock = c.sock;
  if (!ch || !a || !sock?.connected || c.offline || c.inflight.get(q) === ch.seq) return;
  const L = load;
  c.inflight.set(q, ch.seq);
  if (L) L.r.sends++;
  const t = performance.now();
  const madeAt = nowMs();
  sock
    .timeout(ACK_TIMEOUT_MS)
    .emit(
      'answer',
      { attemptId: a.attemptId, questionNo: q, choice: ch.choice, seq: ch.seq },
      (err: Error | null, ack: AnswerAck) => {
        if (c.inflight.get(q) === ch.seq) c.inflight.delete(q);
        if (!L) return;
        if (err) {
          // the connection went down under the message: it stays pending and is sent again
          if (!sock.connected || c.offline) L.r.interrupted++;
          else fail(L.r, c, `answer q${q}: ${err.message}`);
          return;
        }
        if (!ack.ok) {
          fail(L.r, c, `answer q${q}: ${ack.code} ${ack.message}`);
          return;
        }
        L.r.acked++;
        const at = nowMs();
        if (madeAt >= L.countFrom && at <= L.countUntil) {
          L.r.ackedCounted++;
          L.r.latencies.push(Math.round((performance.now() - t) * 100) / 100);
          L.r.madeAts.push(Math.round(madeAt));
        }
        c.acked.set(q, Math.max(c.acked.get(q) ?? 0, ack.seq));
        const cur = c.pending.get(q);
        if (cur && cur.seq <= ack.seq) c.pending.delete(q);
        if (L.p.rateMs === 0 && !L.stopped) change(c);
      },
    );
}

/** Sends every change of the candidate still waiting for its ack (on every (re)connection too). */
export function flushPending(c: Client): void {
  for (const q of c.pending.keys()) send(c, q);
}

/** The candidate changes one answer: a random question, a random option. */
function change(c: Client): void {
  const a = c.attempt;
  const L = load;
  if (!a || !L) return;
  const qi = Math.floor(Math.random() * a.questions.length);
  const q = a.questions[qi];
  if (!q) return;
  const opt = q.options[Math.floor(Math.random() * q.options.length)];
  if (!opt) return;
  c.seq++;
  const ch = { choice: [opt.id], seq: c.seq };
  c.pending.set(q.no, ch);
  c.finals.set(q.no, ch);
  L.r.changes++;
  if (c.offline) L.r.madeOffline++;
  send(c, q.no);
}

export async function answerLoad(p: AnswerParams): Promise<AnswerResult> {
  const r: AnswerResult = {
    ...phase(),
    latencies: [],
    madeAts: [],
    changes: 0,
    acked: 0,
    ackedCounted: 0,
    sends: 0,
    interrupted: 0,
    pending: 0,
    dropped: 0,
    madeOffline: 0,
    countedMs: 0,
  };
  const t0 = nowMs();
  const end = t0 + p.seconds * 1000;
  const L: Load = { p, r, countFrom: t0 + p.warmupMs, countUntil: end, stopped: false };
  load = L;
  const active = worker.clients.filter((c) => c.attempt);
  const timers: NodeJS.Timeout[] = [];
  if (p.rateMs > 0) {
    // open loop: each candidate changes an answer every rateMs, at a random phase
    for (const c of active) {
      const phaseMs = Math.random() * p.rateMs;
      let k = 0;
      const tick = () => {
        if (L.stopped) return;
        change(c);
        k++;
        const next = t0 + phaseMs + k * p.rateMs;
        if (next < end) timers.push(setTimeout(tick, Math.max(0, next - nowMs())));
      };
      timers.push(setTimeout(tick, phaseMs));
    }
  } else {
    for (const c of active) change(c);
  }
  const retry = setInterval(() => {
    for (const c of active) flushPending(c);
  }, RETRY_EVERY_MS);
  if (p.drop) {
    const d = p.drop;
    const cut = active.slice(0, Math.ceil(d.share * active.length));
    r.dropped = cut.length;
    timers.push(
      setTimeout(() => {
        for (const c of cut) {
          c.offline = true;
          c.sock?.io.engine.close(); // the transport goes down; no automatic reconnection
        }
      }, d.afterMs),
      setTimeout(() => {
        for (const c of cut) {
          c.offline = false;
          c.sock?.connect(); // reconnects; 'connect' replays everything pending
        }
      }, d.afterMs + d.ms),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - nowMs())));
  L.stopped = true;
  for (const t of timers) clearTimeout(t);
  r.countedMs = Math.max(1, end - L.countFrom);
  // drain: wait for the acks of what is pending (and for reconnections)
  const drainUntil = nowMs() + p.drainMs;
  const pendingCount = () => active.reduce((s, c) => s + c.pending.size, 0);
  while (pendingCount() > 0 && nowMs() < drainUntil) {
    for (const c of active) if (c.offline === false && c.sock && !c.sock.connected && p.drop) c.sock.connect();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(retry);
  r.pending = pendingCount();
  load = null;
  return r;
}
