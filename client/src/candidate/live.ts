import type { AnswerAck, AttemptTimingDto, CandidateClientToServer, CandidateServerToClient, PaperKeyDto } from '@exam/shared';
import { io, type Socket } from 'socket.io-client';
import { ApiError, hasCode } from '../api/http';
import { candidateApi } from './api';
import { i18n } from './i18n';
import { startPrefetch, stopPrefetch } from './sealed';
import { type FinishReason, isPending, setSender, useAttempt } from './stores/attempt';
import { useClock } from './stores/clock';
import { useSession } from './stores/session';

/**
 * The candidate's link to the server: the `/candidate` Socket.IO namespace, with the HTTP
 * endpoints as a fallback while the socket is down. Every unacknowledged change is sent again on
 * reconnect and every few seconds until acked; the server keeps the highest seq per question, so
 * sending twice is harmless. Answers are marked saved only on the server's ack, which comes after
 * the commit.
 */
type CandidateSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

const ACK_TIMEOUT_MS = 10_000;
const RETRY_EVERY_MS = 3_000;
const SYNC_EVERY_MS = 30_000;

let socket: CandidateSocket | null = null;
let retryTimer: number | undefined;
let syncTimer: number | undefined;
/** question no → seq on its way (socket or HTTP), so the retry loop does not pile copies up */
const answersInFlight = new Map<number, number>();
const flagsInFlight = new Set<number>();

function currentAttemptId(): number | null {
  const s = useAttempt.getState();
  return s.phase === 'active' || s.phase === 'finishing' ? s.attemptId : null;
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** What to do with a paper's key pushed at the opening: set by flow.ts (which imports this file). */
let paperKeyHandler: ((key: PaperKeyDto) => Promise<void>) | null = null;
export function onPaperKeys(fn: (key: PaperKeyDto) => Promise<void>): void {
  paperKeyHandler = fn;
}

// ---------- answers and flags ----------

function onAck(attemptId: number, questionNo: number, seq: number, ack: AnswerAck): void {
  if (useAttempt.getState().attemptId !== attemptId) return;
  if (ack.ok) {
    if (!ack.applied && ack.stored) {
      // another tab or PC saved a newer answer: show what the server holds, and say so
      useAttempt.getState().storedWins(questionNo, seq, ack.stored);
      useSession.getState().pushBanner(i18n.t('banner.storedElsewhere', { no: String(questionNo) }), Date.now(), 'warning');
      return;
    }
    useAttempt.getState().acked(questionNo, ack.seq);
    return;
  }
  switch (ack.code) {
    case 'ATTEMPT_SUBMITTED':
    case 'DEADLINE_PASSED':
      // the server has closed the paper: collect the result
      void finishAttempt('server');
      return;
    case 'PAUSED':
    case 'NOT_STARTED':
    case 'SAVE_FAILED':
      return; // kept pending; the retry loop sends it again
    case 'DEVICE_REPLACED':
      lockScreen(ack.message);
      return;
    case 'DISK_FULL':
      return; // kept pending: the server says so, and the retry loop sends it again once space is freed
    default:
      useAttempt.getState().rejected(questionNo, seq, ack.message);
  }
}

function onHttpError(err: unknown): void {
  if (!(err instanceof ApiError)) return;
  if (hasCode(err, 'DEVICE_REPLACED')) lockScreen(err.messageVi);
}

/** Sends one question's latest change if it is not acknowledged yet. */
export function sendAnswer(questionNo: number): void {
  const attemptId = currentAttemptId();
  const a = useAttempt.getState().answers[questionNo];
  if (attemptId === null || !a || !isPending(a) || answersInFlight.get(questionNo) === a.seq) return;
  const body = { questionNo, choice: a.choice, seq: a.seq };
  const done = () => {
    if (answersInFlight.get(questionNo) === body.seq) answersInFlight.delete(questionNo);
  };
  if (socket?.connected) {
    answersInFlight.set(questionNo, body.seq);
    socket.timeout(ACK_TIMEOUT_MS).emit('answer', { attemptId, ...body }, (err, ack) => {
      done();
      if (!err) onAck(attemptId, questionNo, body.seq, ack);
    });
  } else if (browserOnline()) {
    // the socket is down but plain HTTP may still get through
    answersInFlight.set(questionNo, body.seq);
    candidateApi
      .answer(attemptId, body)
      .then((ack) => onAck(attemptId, questionNo, body.seq, ack), onHttpError)
      .finally(done);
  }
}

export function sendFlag(questionNo: number): void {
  const attemptId = currentAttemptId();
  const flagged = useAttempt.getState().unsentFlags[questionNo];
  if (attemptId === null || flagged === undefined || flagsInFlight.has(questionNo)) return;
  const done = () => flagsInFlight.delete(questionNo);
  if (socket?.connected) {
    flagsInFlight.add(questionNo);
    socket.timeout(ACK_TIMEOUT_MS).emit('flag', { attemptId, questionNo, flagged }, (err, r) => {
      done();
      if (!err && r.ok) useAttempt.getState().flagSent(questionNo, flagged);
    });
  } else if (browserOnline()) {
    flagsInFlight.add(questionNo);
    candidateApi
      .flag(attemptId, { questionNo, flagged })
      .then(() => useAttempt.getState().flagSent(questionNo, flagged), onHttpError)
      .finally(done);
  }
}

/** Sends every unacknowledged change of the current attempt. */
export function flushPending(): void {
  const s = useAttempt.getState();
  for (const k in s.answers) if (isPending(s.answers[k])) sendAnswer(Number(k));
  for (const k in s.unsentFlags) sendFlag(Number(k));
}

function pendingCountNow(): number {
  const s = useAttempt.getState();
  let n = 0;
  for (const k in s.answers) if (isPending(s.answers[k])) n++;
  return n;
}

/** Resolves once nothing is pending, or after `ms` (whichever comes first). */
function waitForSaved(ms: number): Promise<void> {
  if (pendingCountNow() === 0) return Promise.resolve();
  flushPending();
  return new Promise((resolve) => {
    const until = Date.now() + ms;
    const unsub = useAttempt.subscribe(() => {
      if (pendingCountNow() === 0) finish();
    });
    const timer = window.setTimeout(finish, Math.max(0, until - Date.now()));
    function finish() {
      unsub();
      window.clearTimeout(timer);
      resolve();
    }
  });
}

// ---------- time ----------

function applyTiming(attemptId: number, timing: AttemptTimingDto): void {
  if (useAttempt.getState().attemptId !== attemptId) return;
  // an extension shows as the attempt's extendedMs growing (from the socket or from a sync)
  const clock = useClock.getState();
  const before = clock.timingAttemptId === attemptId ? clock.timing : null;
  if (before && timing.extendedMs > before.extendedMs) {
    const minutes = Math.round((timing.extendedMs - before.extendedMs) / 60_000);
    if (minutes > 0) useSession.getState().pushExtension(minutes, timing.serverNow);
  }
  clock.setTiming(attemptId, timing);
  if (timing.state === 'submitted') void finishAttempt('server');
  else if (timing.state === 'expired') void finishAttempt('timeout');
}

/** One clock sample over the socket (and the attempt's timing with it). */
function syncOnce(): Promise<void> {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve();
      return;
    }
    const attemptId = currentAttemptId();
    const t0 = Date.now();
    socket.timeout(5_000).emit('sync', { attemptId: attemptId ?? undefined, clientNow: t0 }, (err, r) => {
      if (!err) {
        useClock.getState().sample(t0, Date.now(), r.serverNow);
        if (attemptId !== null && r.timing) applyTiming(attemptId, r.timing);
      }
      resolve();
    });
  });
}

/** At connect: a few samples; the one with the shortest round trip sets the offset. */
async function syncBurst(): Promise<void> {
  useClock.setState({ rtt: Number.POSITIVE_INFINITY });
  for (let i = 0; i < 3; i++) await syncOnce();
}

export function syncNow(): void {
  void syncOnce();
}

// ---------- finishing a part ----------

let finishing: Promise<boolean> | null = null;

/**
 * Submits the current paper: first every pending answer is sent (and, when the candidate submits,
 * must be acknowledged), then the submit call; at the deadline it keeps trying until the server
 * answers (the server also submits by itself after the deadline). Resolves true once submitted.
 */
export function finishAttempt(reason: FinishReason): Promise<boolean> {
  if (finishing !== null) return finishing;
  const s = useAttempt.getState();
  if (s.attemptId === null || s.phase === 'done' || s.phase === 'none') return Promise.resolve(s.phase === 'done');
  const attemptId = s.attemptId;
  s.beginFinish(reason);
  finishing = (async () => {
    try {
      for (;;) {
        // a candidate who is offline hears it at once rather than after the wait
        const wait = reason === 'candidate' && !browserOnline() ? 0 : reason === 'candidate' ? 8_000 : 4_000;
        await waitForSaved(wait);
        if (reason === 'candidate' && pendingCountNow() > 0) {
          useAttempt.getState().cancelFinish('NOT_SAVED');
          return false;
        }
        try {
          const r = await candidateApi.submit(attemptId);
          useAttempt.getState().finished(r, reason);
          useClock.getState().clearTiming();
          void useSession.getState().refresh();
          return true;
        } catch (e) {
          if (hasCode(e, 'DEVICE_REPLACED')) {
            lockScreen(e.messageVi);
            return false;
          }
          if (e instanceof ApiError && e.status === 401) return false;
          if (reason === 'candidate') {
            useAttempt.getState().cancelFinish(e instanceof ApiError ? e.text(i18n.language) : String(e));
            return false;
          }
          await new Promise((r) => window.setTimeout(r, RETRY_EVERY_MS));
        }
        if (useAttempt.getState().attemptId !== attemptId || useAttempt.getState().phase === 'done') return true;
      }
    } finally {
      finishing = null;
    }
  })();
  return finishing;
}

// ---------- the connection ----------

function lockScreen(message: string): void {
  useSession.getState().lock(message);
  stopLive();
}

function onOffline(): void {
  // the OS says the network is gone: stop trusting the socket at once (a dead TCP link can take
  // a minute to notice), keep everything locally and show it
  socket?.disconnect();
  useClock.getState().setLink('disconnected');
}

function onOnline(): void {
  if (socket && !socket.connected) {
    useClock.getState().setLink('connecting');
    socket.connect();
  }
}

/** Opens the socket (once per signed-in page) and starts the retry and clock loops. */
export function startLive(): void {
  if (socket) return;
  setSender({ answer: sendAnswer, flag: sendFlag });
  const s: CandidateSocket = io('/candidate', {
    path: '/socket.io',
    withCredentials: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 5_000,
    timeout: 8_000,
    autoConnect: false,
  });
  socket = s;
  useClock.getState().setLink('connecting');

  s.on('connect', () => {
    useClock.getState().setLink('connected');
    answersInFlight.clear();
    flagsInFlight.clear();
    void syncBurst().then(flushPending);
  });
  s.on('disconnect', () => {
    useClock.getState().setLink('disconnected');
    answersInFlight.clear();
    flagsInFlight.clear();
  });
  s.on('connect_error', (err) => {
    const code = (err as Error & { data?: { code?: string } }).data?.code;
    if (code === 'DEVICE_REPLACED') lockScreen(err.message);
    else if (code === 'AUTH_REQUIRED') {
      stopLive();
      useSession.getState().sessionLost();
    } else useClock.getState().setLink('disconnected');
  });
  s.on('timing', (p) => applyTiming(p.attemptId, p.timing));
  s.on('submitted', (p) => {
    // a suspension collects the paper first: show the suspension at once (its reason follows)
    if (p.reason === 'suspended' && !useSession.getState().suspension) useSession.getState().suspend({ message: '', reason: '' });
    const a = useAttempt.getState();
    if (a.attemptId === p.attemptId && a.phase !== 'done') {
      a.finished(p, 'server');
      useClock.getState().clearTiming();
    }
    void useSession.getState().refresh();
  });
  s.on('replaced', (p) => lockScreen(p.message));
  // the exam was opened in another tab of this PC: this one stops (a reload takes it back)
  s.on('elsewhere', (p) => lockScreen(p.message));
  s.on('message', (p) => useSession.getState().pushBanner(p.text, p.at, p.kind === 'warning' ? 'warning' : 'info'));
  // the invigilator opened the sitting for this room: the waiting screen can start at once
  s.on('opened', () => void useSession.getState().refresh());
  // the sitting opened: the key of the paper this PC holds sealed (issue 15)
  s.on('paperKey', (p) => void paperKeyHandler?.(p));
  s.on('suspended', (p) => {
    useSession.getState().suspend({ message: p.message, reason: p.reason });
    useClock.getState().clearTiming();
    void useSession.getState().refresh();
  });

  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  retryTimer = window.setInterval(() => {
    if (socket && !socket.active && browserOnline()) {
      useClock.getState().setLink('connecting');
      socket.connect();
    }
    flushPending();
  }, RETRY_EVERY_MS);
  syncTimer = window.setInterval(syncNow, SYNC_EVERY_MS);
  if (browserOnline()) s.connect();
  else useClock.getState().setLink('disconnected');
  startPrefetch();
}

export function stopLive(): void {
  window.removeEventListener('offline', onOffline);
  window.removeEventListener('online', onOnline);
  window.clearInterval(retryTimer);
  window.clearInterval(syncTimer);
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  stopPrefetch();
  setSender(null);
  answersInFlight.clear();
  flagsInFlight.clear();
  useClock.getState().setLink('disconnected');
}

/** After an attempt is opened: sync its timing and send what this PC still holds. */
export function attemptOpened(): void {
  void syncOnce();
  flushPending();
}
