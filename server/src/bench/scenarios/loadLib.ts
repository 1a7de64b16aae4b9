// The load generator's parent side: candidate worker processes (candidateWorker.ts) driven over
// the IPC channel, and the protocol they speak.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track } from './serverLib.js';

/** What every phase reports. */
export interface PhaseResult {
  /** candidates the phase failed for (bad status, timeout, refused ack) */
  errors: number;
  /** the first few error messages, for the console */
  samples: string[];
}

export interface BurstResult extends PhaseResult {
  /** per candidate holding the paper: ms from the scheduled start to the AttemptDto received */
  latencies: number[];
  /** SITTING_NOT_OPEN answers (the request arrived before the server's clock reached the start) */
  early: number;
}

export interface PrefetchResult extends PhaseResult {
  /** sealed papers held, and downloads the server answered "retry after" */
  held: number;
  retries: number;
  /** epoch ms (this machine): the first download started, the last one finished */
  firstAt: number;
  lastAt: number;
  bytes: number;
}

export interface OpeningResult extends PhaseResult {
  /** per candidate holding a sealed paper: ms from the opening to its paper decrypted and parsed, question 1 ready */
  latencies: number[];
  /** keys that came with the attempt started at the opening (no request needed) */
  withAttempt: number;
}

export interface SyncResult extends PhaseResult {
  /** largest |offset| to the server clock, and largest round trip, in ms */
  maxOffsetMs: number;
  maxRttMs: number;
}

export interface AnswerParams {
  /** ms between changes per candidate; 0 = closed loop (a new change as soon as the last is acked) */
  rateMs: number;
  seconds: number;
  /** acks of changes made in the first warmupMs are not counted in latencies and rates */
  warmupMs: number;
  /** cut the first `share` of each worker's candidates off (transports closed) for `ms`, from `afterMs` */
  drop?: { share: number; afterMs: number; ms: number };
  /** after the load, wait up to this long for every pending change to be acked */
  drainMs: number;
}

export interface AnswerResult extends PhaseResult {
  /** ack latency (emit → ack) of every acked change made after the warm-up */
  latencies: number[];
  /** when each of those changes was made (epoch ms, this machine's clock), in the same order */
  madeAts: number[];
  /** changes made, acks received (all, and those counted after the warm-up), sends (with replays) */
  changes: number;
  acked: number;
  ackedCounted: number;
  sends: number;
  /** acks lost because the socket went down (server killed, transport closed) */
  interrupted: number;
  /** changes still unacked at the end */
  pending: number;
  /** candidates cut off, and changes they made while cut off */
  dropped: number;
  madeOffline: number;
  countedMs: number;
}

export interface VerifyResult extends PhaseResult {
  checked: number;
  missing: number;
}

export interface ResumeResult extends PhaseResult {
  resumed: number;
  /** Date.now() when the last candidate of the worker had resumed */
  lastDoneAt: number;
}

/** Commands and their parameters. */
export interface Params {
  init: {
    base: string;
    pin: string;
    numbers: string[];
    deviceTag: string;
    httpConns: number;
    /** index of this worker's first candidate among all, and how many loopback source addresses to spread sockets over */
    firstIndex?: number;
    sourceAddresses?: number;
  };
  login: { concurrency: number };
  connect: { concurrency: number; base?: string };
  sync: Record<string, never>;
  start: { partId: number; concurrency: number };
  burst: { partId: number; scheduledAt: number; base?: string };
  acknowledge: { concurrency: number };
  prefetch: { concurrency: number };
  opening: { scheduledAt: number; timeoutMs: number };
  answer: AnswerParams;
  verify: { dbFile: string; what: 'acked' | 'final' };
  resume: { base: string; partId: number; concurrency: number };
  disconnect: Record<string, never>;
}

export interface Results {
  init: PhaseResult;
  login: PhaseResult;
  connect: PhaseResult;
  sync: SyncResult;
  start: PhaseResult;
  burst: BurstResult;
  acknowledge: PhaseResult;
  prefetch: PrefetchResult;
  opening: OpeningResult;
  answer: AnswerResult;
  verify: VerifyResult;
  resume: ResumeResult;
  disconnect: PhaseResult;
}

export type Command = { [K in keyof Params]: { id: number; cmd: K; p: Params[K] } }[keyof Params];
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const WORKER = fileURLToPath(new URL('./candidateWorker.js', import.meta.url));

/** Splits `numbers` over `workers` processes, each simulating its share of candidates. */
export class Fleet {
  private readonly procs: ChildProcess[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(workers: number) {
    for (let i = 0; i < workers; i++) {
      // the worker's stdout goes to our stderr: our stdout ends with the JSON line
      const p = fork(WORKER, [], { stdio: ['ignore', 2, 2, 'ipc'], execArgv: [] });
      track(p);
      p.on('message', (m: Reply) => {
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        if (m.ok) w.resolve(m.result);
        else w.reject(new Error(m.error));
      });
      p.once('exit', (code, signal) => {
        for (const [id, w] of this.waiting) {
          this.waiting.delete(id);
          w.reject(new Error(`candidate worker exited (${code ?? signal})`));
        }
      });
      this.procs.push(p);
    }
  }

  get size(): number {
    return this.procs.length;
  }

  /** Sends one command to worker `i`. */
  one<K extends keyof Params>(i: number, cmd: K, p: Params[K]): Promise<Results[K]> {
    const proc = this.procs[i];
    if (!proc) throw new Error(`no worker ${i}`);
    const id = this.nextId++;
    return new Promise<Results[K]>((resolve, reject) => {
      this.waiting.set(id, { resolve: (v) => resolve(v as Results[K]), reject });
      proc.send({ id, cmd, p } as Command);
    });
  }

  /** Sends the same command to every worker and waits for all of them. */
  all<K extends keyof Params>(cmd: K, p: Params[K]): Promise<Results[K][]> {
    return Promise.all(this.procs.map((_, i) => this.one(i, cmd, p)));
  }

  /**
   * Gives each worker its contiguous share of the candidates. Past SOCKETS_PER_SOURCE candidates the
   * sockets are spread over several loopback source addresses (127.0.0.1, 127.0.0.2, …): one source
   * address has only ~28,000 ephemeral ports (32768–60999) towards one server port.
   */
  async init(base: string, pin: string, numbers: string[], httpConns: number): Promise<void> {
    const per = Math.ceil(numbers.length / this.procs.length);
    const sourceAddresses = Math.ceil(numbers.length / SOCKETS_PER_SOURCE);
    await Promise.all(
      this.procs.map((_, i) =>
        this.one(i, 'init', {
          base,
          pin,
          numbers: numbers.slice(i * per, (i + 1) * per),
          deviceTag: `w${i}`,
          httpConns,
          firstIndex: i * per,
          sourceAddresses,
        }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            p.disconnect();
          }),
      ),
    );
  }
}

/** Sockets per loopback source address, well under its ~28,000 ephemeral ports. */
export const SOCKETS_PER_SOURCE = 10_000;

/** The loopback source address of the candidate at `index` when sockets are spread over `n` addresses. */
export function sourceAddress(index: number, n: number): string | undefined {
  return n > 1 ? `127.0.0.${1 + (index % n)}` : undefined;
}

/** Workers for `n` candidates: about 2,500 each, at least 2 (separate processes), at most 4. */
export function defaultWorkers(n: number): number {
  return Math.max(2, Math.min(4, Math.ceil(n / 2500)));
}

/** Sum of errors, and the first samples, over phase results. */
export function tally(results: PhaseResult[], label: string): number {
  const errors = results.reduce((s, r) => s + r.errors, 0);
  const samples = results.flatMap((r) => r.samples).slice(0, 5);
  if (errors > 0) console.error(`${label}: ${errors} errors, e.g. ${samples.join(' | ')}`);
  return errors;
}

/** The q-quantile (0..1) of a sorted array, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export function sortedOf(parts: number[][]): number[] {
  const all = parts.flat();
  all.sort((a, b) => a - b);
  return all;
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;

export function log(msg: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads a numeric option, with a default. */
export function num(args: Record<string, string>, key: string, dflt: number): number {
  const v = args[key];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} must be a number ≥ 0, got "${v}"`);
  return n;
}
