// The simulated candidates of one load-generator process (candidateWorker.ts): their state, the
// HTTP client they share, their sign-in and start, and their socket. What comes back from the
// server (JSON bodies, the opened paper) is checked here, once, against the part the bench reads.
import { createDecipheriv } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import { type Static, Type } from '@sinclair/typebox';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { jsonChecker } from './jsonLib.js';
import type { PhaseResult } from './loadLib.js';

export type CandSocket = Socket<CandidateServerToClient, CandidateClientToServer>;

export const HTTP_TIMEOUT_MS = 60_000;

// ---------- what the bench reads from the server, checked where it arrives ----------

const QuestionsSchema = Type.Array(Type.Object({ no: Type.Integer(), options: Type.Array(Type.Object({ id: Type.String() })) }));
/**
 * The part of an AttemptDto (shared/contracts/delivery.ts) the bench uses. `timing` is optional:
 * the baseline of start-burst (baselinePaperWorker.ts) sends none.
 */
const AttemptSchema = Type.Object({
  attemptId: Type.Integer(),
  lastSeq: Type.Integer(),
  questions: QuestionsSchema,
  timing: Type.Optional(Type.Object({ state: Type.String() })),
});
const PrefetchPlanSchema = Type.Object({
  serverNow: Type.Number(),
  items: Type.Array(Type.Object({ partId: Type.Integer(), fetchAt: Type.Number() })),
});
/** The body of a 503 "retry after" (an AppError with details). */
const RetryAfterSchema = Type.Object({
  error: Type.Optional(Type.Object({ details: Type.Optional(Type.Object({ retryAfterMs: Type.Optional(Type.Number()) })) })),
});

export type BenchAttempt = Static<typeof AttemptSchema>;
export type BenchQuestions = Static<typeof QuestionsSchema>;
export type PrefetchPlan = Static<typeof PrefetchPlanSchema>;

export const parseAttempt = jsonChecker('attempt', AttemptSchema);
export const parseQuestions = jsonChecker('opened paper', QuestionsSchema);
export const parsePrefetchPlan = jsonChecker('prefetch plan', PrefetchPlanSchema);
export const parseRetryAfter = jsonChecker('retry after', RetryAfterSchema);

// ---------- the candidates ----------

export interface Change {
  choice: string[];
  seq: number;
}

export interface Client {
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
  attempt: BenchAttempt | null;
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

/** This process's share: the server, the PIN, the HTTP agent and the candidates (set by `init`). */
export const worker: { base: string; pin: string; agent: Agent; clients: Client[] } = {
  base: '',
  pin: '',
  agent: new Agent({ keepAlive: true, maxSockets: 256 }),
  clients: [],
};

export const nowMs = (): number => performance.timeOrigin + performance.now();

export function phase(): PhaseResult {
  return { errors: 0, samples: [] };
}

export function fail(r: PhaseResult, c: Client, msg: string): void {
  r.errors++;
  if (r.samples.length < 3) r.samples.push(`${c.number}: ${msg.slice(0, 200)}`);
}

export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  });
  await Promise.all(lanes);
}

// ---------- HTTP ----------

export interface HttpReply {
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
    const req = request(url, { method, agent: worker.agent, headers, timeout: HTTP_TIMEOUT_MS }, (res) => {
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

const connectionDropped = (e: unknown): boolean =>
  e instanceof Error && 'code' in e && (e.code === 'ECONNRESET' || e.code === 'EPIPE');

/** One retry when a kept-alive connection was closed under us (every call here is idempotent). */
export async function http(method: string, path: string, cookie: string, body?: unknown, at = worker.base): Promise<HttpReply> {
  try {
    return await httpOnce(method, at + path, cookie, body);
  } catch (e) {
    if (!connectionDropped(e)) throw e;
    return httpOnce(method, at + path, cookie, body);
  }
}

/** A GET whose body is kept as bytes (the sealed paper). */
export function httpBytes(path: string, cookie: string): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      worker.base + path,
      { method: 'GET', agent: worker.agent, headers: { cookie }, timeout: HTTP_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function login(c: Client, at = worker.base): Promise<void> {
  const r = await http('POST', '/api/candidate/login', '', { number: c.number, pin: worker.pin, deviceId: c.deviceId }, at);
  if (r.status !== 200) throw new Error(`login ${r.status} ${r.text}`);
  const cookie = r.setCookie.map((s) => s.split(';')[0] ?? '').find((s) => s.startsWith('cand='));
  if (!cookie) throw new Error('login: no cand cookie');
  c.cookie = cookie;
}

export async function startPart(c: Client, partId: number, at = worker.base): Promise<BenchAttempt> {
  const r = await http('POST', `/api/candidate/parts/${partId}/start`, c.cookie, undefined, at);
  if (r.status !== 200) throw new Error(`start ${r.status} ${r.text}`);
  const a = parseAttempt(r.text);
  if (!a.questions.length) throw new Error('start: attempt without questions');
  return a;
}

/** Opens a sealed paper: 1 byte format ‖ 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag (server/src/modules/delivery/sealed.ts). */
export function unsealPaper(sealed: Buffer, key: Buffer): Buffer {
  if (sealed[0] !== 1) throw new Error('not a sealed paper');
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(13, sealed.length - 16)), d.final()]);
}

// ---------- the socket ----------

/**
 * Opens the candidate's socket from its loopback source address; `onConnect` runs on every
 * (re)connection (the answering sends what is still pending, as the real client does).
 */
export function openSocket(c: Client, at: string, onConnect: (c: Client) => void): Promise<void> {
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
  sock.on('connect', () => onConnect(c));
  // the opening: the key of the sealed paper, opened at once as a lab PC would
  sock.on('paperKey', (k) => {
    try {
      if (!c.sealed) throw new Error('key without a sealed paper');
      const questions = parseQuestions(unsealPaper(c.sealed, Buffer.from(k.key, 'base64')).toString('utf8'));
      if (!questions[0]?.options.length) throw new Error('opened paper without questions');
      c.openedAt = nowMs();
      c.keyWithAttempt = !!k.attempt;
      if (k.attempt) c.attempt = { attemptId: k.attempt.attemptId, lastSeq: 0, questions, timing: k.attempt.timing };
    } catch (e) {
      c.openError = message(e);
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
