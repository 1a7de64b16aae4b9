// A load-generator process of the delivery benchmarks: simulates its share of candidates, each
// with its own HTTP session (cookie) and its own Socket.IO connection, as a lab PC would. Driven by
// the parent over IPC (loadLib.ts); answers behave like the real client (client/src/candidate/
// live.ts): every change stays pending until acked, is sent again on reconnect and every 3 s.
import { createDecipheriv } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AnswerAck, AttemptDto, CandidateClientToServer, CandidateServerToClient, PrefetchPlanDto } from '@exam/shared';
import Database from 'better-sqlite3';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type {
  AnswerParams,
  AnswerResult,
  BurstResult,
  Command,
  OpeningResult,
  Params,
  PhaseResult,
  PrefetchResult,
  Reply,
  Results,
  ResumeResult,
  SyncResult,
  VerifyResult,
} from './loadLib.js';
import { sourceAddress } from './loadLib.js';

type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

const HTTP_TIMEOUT_MS = 60_000;
const ACK_TIMEOUT_MS = 10_000;
const RETRY_EVERY_MS = 3_000;

interface Change {
  choice: string[];
  seq: number;
}

interface Client {
  number: string;
  /** the sealed paper downloaded while waiting (issue 15) */
  sealed: Buffer | null;
  /** when its key came and the paper was open (epoch ms, this machine), or why it failed */
  openedAt: number;
  openError: string;
  keyWithAttempt: boolean;
  deviceId: string;
  /** loopback source address of this candidate's socket (several past 10,000 candidates) */
  localAddress: string | undefined;
  cookie: string;
  attempt: AttemptDto | null;
  sock: CandSocket | null;
  /** server clock minus ours, in ms */
  offset: number;
  seq: number;
  /** latest change per question not yet acked */
  pending: Map<number, Change>;
  /** question → seq on its way */
  inflight: Map<number, number>;
  /** latest change made per question */
  finals: Map<number, Change>;
  /** question → highest acked seq */
  acked: Map<number, number>;
  offline: boolean;
}

let base = '';
let pin = '';
let agent = new Agent({ keepAlive: true, maxSockets: 256 });
let clients: Client[] = [];

const nowMs = () => performance.timeOrigin + performance.now();

interface HttpReply {
  status: number;
  setCookie: string[];
  text: string;
}

function httpOnce(method: string, url: string, cookie: string, body?: unknown): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = {};
    if (data !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(data);
    }
    if (cookie) headers.cookie = cookie;
    const req = request(url, { method, agent, headers, timeout: HTTP_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          setCookie: res.headers['set-cookie'] ?? [],
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** One retry when a kept-alive connection was closed under us (every call here is idempotent). */
async function http(method: string, path: string, cookie: string, body?: unknown, at = base): Promise<HttpReply> {
  try {
    return await httpOnce(method, at + path, cookie, body);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE') throw e;
    return httpOnce(method, at + path, cookie, body);
  }
}

function phase(): PhaseResult {
  return { errors: 0, samples: [] };
}

function fail(r: PhaseResult, c: Client, msg: string): void {
  r.errors++;
  if (r.samples.length < 3) r.samples.push(`${c.number}: ${msg.slice(0, 200)}`);
}

async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

async function login(c: Client, at = base): Promise<void> {
  const r = await http('POST', '/api/candidate/login', '', { number: c.number, pin, deviceId: c.deviceId }, at);
  if (r.status !== 200) throw new Error(`login ${r.status} ${r.text}`);
  const cookie = r.setCookie.map((s) => s.split(';')[0] ?? '').find((s) => s.startsWith('cand='));
  if (!cookie) throw new Error('login: no cand cookie');
  c.cookie = cookie;
}

async function startPart(c: Client, partId: number, at = base): Promise<AttemptDto> {
  const r = await http('POST', `/api/candidate/parts/${partId}/start`, c.cookie, undefined, at);
  if (r.status !== 200) throw new Error(`start ${r.status} ${r.text}`);
  const a = JSON.parse(r.text) as AttemptDto;
  if (!a.questions?.length) throw new Error('start: attempt without questions');
  return a;
}

function openSocket(c: Client, at: string): Promise<void> {
  c.sock?.disconnect();
  // engine.io passes localAddress on to the WebSocket in Node; its option types do not list it
  const opts: Parameters<typeof connectSocket>[1] & { localAddress?: string } = {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie: c.cookie },
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
    ...(c.localAddress ? { localAddress: c.localAddress } : {}),
  };
  const sock: CandSocket = connectSocket(`${at}/candidate`, opts);
  c.sock = sock;
  // every (re)connection sends what is still pending, as the real client does
  sock.on('connect', () => flushPending(c));
  // the opening: the key of the sealed paper, opened at once as a lab PC would
  sock.on('paperKey', (k) => {
    try {
      if (!c.sealed) throw new Error('key without a sealed paper');
      const questions = JSON.parse(
        unsealPaper(c.sealed, Buffer.from(k.key, 'base64')).toString('utf8'),
      ) as AttemptDto['questions'];
      if (!questions.length || !questions[0]?.options.length) throw new Error('opened paper without questions');
      c.openedAt = nowMs();
      c.keyWithAttempt = !!k.attempt;
      if (k.attempt)
        c.attempt = {
          attemptId: k.attempt.attemptId,
          partId: k.partId,
          partName: '',
          questions,
          answers: {},
          flags: [],
          lastSeq: 0,
          timing: k.attempt.timing,
        };
    } catch (e) {
      c.openError = (e as Error).message;
    }
  });
  return new Promise<void>((resolve, reject) => {
    const onErr = (e: Error) => {
      sock.off('connect', onOk);
      reject(e);
    };
    const onOk = () => {
      sock.off('connect_error', onErr);
      resolve();
    };
    sock.once('connect', onOk);
    sock.once('connect_error', onErr);
  });
}

// ---------- answering ----------

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

function flushPending(c: Client): void {
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

async function answerLoad(p: AnswerParams): Promise<AnswerResult> {
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
  const active = clients.filter((c) => c.attempt);
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

// ---------- commands ----------

async function handle(cmd: Command): Promise<Results[keyof Results]> {
  switch (cmd.cmd) {
    case 'init':
      return init(cmd.p);
    case 'login': {
      const r = phase();
      await pool(clients, cmd.p.concurrency, async (c) => {
        try {
          await login(c);
        } catch (e) {
          fail(r, c, (e as Error).message);
        }
      });
      return r;
    }
    case 'connect': {
      const r = phase();
      const at = cmd.p.base ?? base;
      await pool(clients, cmd.p.concurrency, async (c) => {
        try {
          await openSocket(c, at);
        } catch (e) {
          fail(r, c, `connect: ${(e as Error).message}`);
        }
      });
      return r;
    }
    case 'sync':
      return sync();
    case 'start': {
      const r = phase();
      await pool(clients, cmd.p.concurrency, async (c) => {
        try {
          c.attempt = await startPart(c, cmd.p.partId);
          c.seq = Math.max(c.seq, c.attempt.lastSeq);
        } catch (e) {
          fail(r, c, (e as Error).message);
        }
      });
      return r;
    }
    case 'burst':
      return burst(cmd.p.partId, cmd.p.scheduledAt, cmd.p.base);
    case 'acknowledge': {
      const r = phase();
      await pool(clients, cmd.p.concurrency, async (c) => {
        try {
          const res = await http('POST', '/api/candidate/acknowledge', c.cookie);
          if (res.status !== 200) throw new Error(`acknowledge ${res.status} ${res.text}`);
        } catch (e) {
          fail(r, c, (e as Error).message);
        }
      });
      return r;
    }
    case 'prefetch':
      return prefetch(cmd.p.concurrency);
    case 'opening':
      return opening(cmd.p.scheduledAt, cmd.p.timeoutMs);
    case 'answer':
      return answerLoad(cmd.p);
    case 'verify':
      return verify(cmd.p.dbFile, cmd.p.what);
    case 'resume':
      return resume(cmd.p);
    case 'disconnect':
      for (const c of clients) {
        c.sock?.disconnect();
        c.sock = null;
      }
      return phase();
  }
}

function init(p: Params['init']): PhaseResult {
  base = p.base;
  pin = p.pin;
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: p.httpConns });
  clients = p.numbers.map((number, i) => ({
    number,
    localAddress: sourceAddress((p.firstIndex ?? 0) + i, p.sourceAddresses ?? 1),
    sealed: null,
    openedAt: 0,
    openError: '',
    keyWithAttempt: false,
    deviceId: `bench-${p.deviceTag}-${i}-${number}`,
    cookie: '',
    attempt: null,
    sock: null,
    offset: 0,
    seq: 0,
    pending: new Map(),
    inflight: new Map(),
    finals: new Map(),
    acked: new Map(),
    offline: false,
  }));
  return phase();
}

/** Each candidate measures its offset to the server clock (best of 3 round trips), as the client does. */
async function sync(): Promise<SyncResult> {
  const r: SyncResult = { ...phase(), maxOffsetMs: 0, maxRttMs: 0 };
  await pool(clients, 16, async (c) => {
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
        return fail(r, c, `sync: ${(e as Error).message}`);
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
 * clock, to the whole AttemptDto received and parsed.
 */
function burst(partId: number, scheduledAt: number, at = base): Promise<BurstResult> {
  const r: BurstResult = { ...phase(), latencies: [], early: 0 };
  return new Promise((resolve) => {
    let left = clients.length;
    if (left === 0) resolve(r);
    const done = () => {
      if (--left === 0) resolve(r);
    };
    for (const c of clients) {
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
            const a = JSON.parse(res.text) as AttemptDto;
            if (!a.questions?.length) throw new Error('attempt without questions');
            r.latencies.push(Math.round((nowMs() - localStart) * 10) / 10);
            c.attempt = a;
            c.seq = Math.max(c.seq, a.lastSeq);
          } catch (e) {
            fail(r, c, (e as Error).message);
          }
          return done();
        }
      };
      setTimeout(go, Math.max(0, localStart - nowMs()));
    }
  });
}

/** Opens a sealed paper: 1 byte format ‖ 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag (server/src/modules/delivery/sealed.ts). */
function unsealPaper(sealed: Buffer, key: Buffer): Buffer {
  if (sealed[0] !== 1) throw new Error('not a sealed paper');
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(13, sealed.length - 16)), d.final()]);
}

/**
 * While waiting: each candidate asks the server when to download its sealed paper, downloads it
 * then (again after the wait the server gives when it answers 503), and keeps it in memory.
 */
async function prefetch(concurrency: number): Promise<PrefetchResult> {
  const r: PrefetchResult = { ...phase(), held: 0, retries: 0, firstAt: 0, lastAt: 0, bytes: 0 };
  const downloads: Promise<void>[] = [];
  await pool(clients, concurrency, async (c) => {
    try {
      const res = await http('GET', '/api/candidate/prefetch', c.cookie);
      if (res.status !== 200) throw new Error(`prefetch plan ${res.status} ${res.text}`);
      const plan = JSON.parse(res.text) as PrefetchPlanDto;
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
              const body = JSON.parse(got.bytes.toString()) as { error?: { details?: { retryAfterMs?: number } } };
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
        })().catch((e: unknown) => fail(r, c, (e as Error).message)),
      );
    } catch (e) {
      fail(r, c, (e as Error).message);
    }
  });
  await Promise.all(downloads);
  return r;
}

/** A GET whose body is kept as bytes (the sealed paper). */
function httpBytes(path: string, cookie: string): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method: 'GET', agent, headers: { cookie }, timeout: HTTP_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Waits until every candidate holding a sealed paper has opened it with its key (or the timeout). */
async function opening(scheduledAt: number, timeoutMs: number): Promise<OpeningResult> {
  const r: OpeningResult = { ...phase(), latencies: [], withAttempt: 0 };
  const holders = clients.filter((c) => c.sealed);
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
function verify(dbFile: string, what: 'acked' | 'final'): VerifyResult {
  const r: VerifyResult = { ...phase(), checked: 0, missing: 0 };
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT choice, seq FROM answers WHERE attempt_id = ? AND question_no = ?');
    for (const c of clients) {
      if (!c.attempt) continue;
      const attemptId = c.attempt.attemptId;
      const got = (q: number) => row.get(attemptId, q) as { choice: string; seq: number } | undefined;
      if (what === 'acked') {
        // every acked change is on disk: the row holds that seq or a later one
        for (const [q, seq] of c.acked) {
          r.checked++;
          if ((got(q)?.seq ?? 0) < seq) {
            r.missing++;
            if (r.samples.length < 3) r.samples.push(`${c.number} q${q}: acked seq ${seq}, on disk ${got(q)?.seq ?? 'none'}`);
          }
        }
      } else {
        // the final value the candidate made for each question is the one on disk
        for (const [q, ch] of c.finals) {
          r.checked++;
          const g = got(q);
          if (!g || g.seq !== ch.seq || g.choice !== JSON.stringify(ch.choice)) {
            r.missing++;
            if (r.samples.length < 3) r.samples.push(`${c.number} q${q}: made seq ${ch.seq}, on disk ${g?.seq ?? 'none'}`);
          }
        }
      }
    }
  } finally {
    db.close();
  }
  return r;
}

/**
 * After a restart: each candidate signs in again, loads its attempt (the same one, still running,
 * holding at least every acked change) and reconnects its socket.
 */
async function resume(p: Params['resume']): Promise<ResumeResult> {
  const r: ResumeResult = { ...phase(), resumed: 0, lastDoneAt: 0 };
  base = p.base;
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: agent.maxSockets });
  await pool(clients, p.concurrency, async (c) => {
    const before = c.attempt;
    if (!before) return;
    try {
      c.sock?.disconnect();
      c.sock = null;
      await login(c);
      const a = await startPart(c, p.partId);
      const maxAcked = Math.max(0, ...c.acked.values());
      if (a.attemptId !== before.attemptId) throw new Error(`resumed attempt ${a.attemptId}, had ${before.attemptId}`);
      if (a.timing.state !== 'running') throw new Error(`resumed attempt is ${a.timing.state}`);
      if (a.lastSeq < maxAcked) throw new Error(`resumed lastSeq ${a.lastSeq} < acked ${maxAcked}`);
      c.attempt = a;
      await openSocket(c, base);
      r.resumed++;
      r.lastDoneAt = Math.max(r.lastDoneAt, Date.now());
    } catch (e) {
      fail(r, c, `resume: ${(e as Error).message}`);
    }
  });
  return r;
}

process.on('message', (m: Command) => {
  handle(m).then(
    (result) => process.send?.({ id: m.id, ok: true, result } satisfies Reply),
    (e: unknown) => process.send?.({ id: m.id, ok: false, error: String((e as Error)?.stack ?? e) } satisfies Reply),
  );
});
// the parent is gone (or closed the channel): close everything and leave
process.on('disconnect', () => {
  for (const c of clients) c.sock?.disconnect();
  agent.destroy();
  setTimeout(() => process.exit(0), 200).unref();
});
