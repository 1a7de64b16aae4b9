// Sealed papers (issue 15): while candidates wait, each downloads its own paper view sealed with a
// key only the server knows; at the opening the server sends each waiting candidate its key over
// the open socket, a few dozen bytes, and the first question shows at once. Whoever has nothing
// prefetched gets the stored view bytes in the start's response, spliced in as they are: no
// request renders a paper (paperView.ts renders each once, at "ready").
//
// Format of a sealed paper: 1 byte format (1) ‖ 12-byte random nonce ‖ AES-256-GCM ciphertext ‖
// 16-byte tag. The key is HKDF-SHA256(exam secret, salt, "paper:<paperId>:v<version>"): one key per
// candidate, part and rendering, so a key read from one PC opens only that PC's paper. The browser
// opens it with @noble/ciphers (lab PCs use plain http: no WebCrypto there).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AttemptDto, AttemptTimingDto, PaperKeyDto, PrefetchPlanDto } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError } from '../../plugins/errors.js';
import { renderExamViews } from '../exams/paperView.js';
import { moveExam } from '../lifecycle/state.js';
import { SealedRepo } from './sealedRepo.js';
import type { DeliveryService } from './service.js';

export const SEALED_FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'vn-exam/paper-view/v1';
const CLOSE_BRACE = Buffer.from('}');

/** Downloads start no later than this before the scheduled opening. */
const PREFETCH_MARGIN_MS = 10_000;
/** The opening loop looks this far ahead, and arms a timer for the exact instant. */
const OPENING_LOOKAHEAD_MS = 2_500;

export function paperKey(secret: string, paperId: number, version: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `paper:${paperId}:v${version}`, 32));
}

export function seal(view: Buffer, key: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  return Buffer.concat([Buffer.of(SEALED_FORMAT), nonce, c.update(view), c.final(), c.getAuthTag()]);
}

/** Opens a sealed paper (tests, the auditor's check, the benchmark's simulated lab PCs). */
export function unseal(sealed: Buffer, key: Buffer): Buffer {
  if (sealed[0] !== SEALED_FORMAT || sealed.length < 1 + NONCE_BYTES + TAG_BYTES) throw new Error('not a sealed paper');
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE_BYTES));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([d.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), d.final()]);
}

/** Where along the waiting window a candidate downloads (0..1): evenly spread, stable per candidate. */
function spread(candidateId: number): number {
  return (Math.imul(candidateId, 2654435761) >>> 0) / 2 ** 32;
}

/** A token bucket: downloads beyond `perSec` (after a burst of `burst`) are told to retry later. */
class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly perSec: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** 0 when admitted, else the ms to wait. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSec) / 1000);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSec);
  }
}

export interface SealedOptions {
  /** sealed downloads per second before "retry after" (default 1,500) */
  prefetchPerSec?: number;
  prefetchBurst?: number;
  /** downloads are spread over at most this much of the waiting period (default 10 min) */
  prefetchWindowMs?: number;
}

/** A key of an opening, with the paper it opens and the candidate's room (computed before the instant). */
export interface OpeningKey {
  key: PaperKeyDto;
  paperId: number;
  roomId: number;
}

interface ViewRow {
  paperId: number;
  version: number;
  view: Buffer;
}

export class SealedPapers {
  private readonly repo: SealedRepo;
  private readonly bucket: Bucket;
  private readonly windowMs: number;
  private readonly secrets = new Map<number, string>();
  private loop: NodeJS.Timeout | null = null;
  /** sittings whose scheduled opening has a timer armed or has fired: `${id}@${startsAt}` */
  private readonly armed = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The candidates' live sockets: who is connected, and sending keys (returns how many went). Set by app.ts. */
  channel: { connected(): Set<number>; send(keys: Map<number, PaperKeyDto>): number } = {
    connected: () => new Set(),
    send: () => 0,
  };
  /**
   * The sealed papers this server handed out: `candidate:part:version`. In individual timing the
   * opening starts the part only of these candidates (their question 1 shows with the key); the
   * others' clock starts when they start (issue 15: "the deadline counts from the individual start").
   */
  private readonly handedOut = new Set<string>();
  /** the last opening's numbers (tests, the benchmark's log) */
  lastRelease: { sittingId: number; keys: number; sent: number; ms: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly delivery: DeliveryService,
    opts: SealedOptions = {},
  ) {
    this.repo = new SealedRepo(db);
    this.bucket = new Bucket(opts.prefetchPerSec ?? 1500, opts.prefetchBurst ?? 300);
    this.windowMs = opts.prefetchWindowMs ?? 10 * 60_000;
  }

  private async secretOf(examId: number): Promise<string> {
    let s = this.secrets.get(examId);
    if (s === undefined) {
      s = await this.repo.secret(examId);
      if (s === undefined) throw new AppError(404, 'EXAM_NOT_FOUND', 'Không tìm thấy kỳ thi', 'Exam not found');
      this.secrets.set(examId, s);
    }
    return s;
  }

  private async examOf(candidateId: number): Promise<number> {
    const examId = await this.repo.examOf(candidateId);
    if (examId === undefined) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Không tìm thấy thí sinh', 'Candidate not found');
    return examId;
  }

  /** The stored view of a candidate's paper for a part; rendered here only if it never was. */
  private async view(candidateId: number, partId: number): Promise<ViewRow | null> {
    const row = await this.repo.view(candidateId, partId);
    if (row) return row;
    if (!(await this.repo.hasPaper(candidateId, partId))) return null;
    renderExamViews(this.db, await this.examOf(candidateId));
    return (await this.repo.view(candidateId, partId)) ?? null;
  }

  private async keyDto(examId: number, partId: number, row: { paperId: number; version: number }): Promise<PaperKeyDto> {
    const secret = await this.secretOf(examId);
    return { partId, version: row.version, key: paperKey(secret, row.paperId, row.version).toString('base64') };
  }

  // ---------- while waiting ----------

  /** The parts still to sit whose sealed paper may be downloaded now or later, and when. */
  async plan(candidateId: number): Promise<PrefetchPlanDto> {
    const me = await this.delivery.me(candidateId);
    const now = me.serverNow;
    const items: PrefetchPlanDto['items'] = [];
    const s = me.sitting;
    if (!me.rulesAcknowledged || !s || s.state === 'closed' || s.state === 'sealed' || me.suspended)
      return { serverNow: now, items };
    const window = s.opened ? 0 : Math.min(this.windowMs, Math.max(0, Date.parse(s.startsAt) - now - PREFETCH_MARGIN_MS));
    const at = now + Math.floor(spread(candidateId) * window);
    for (const p of me.parts) {
      if (p.status !== 'not_started') continue;
      const row = await this.repo.viewSize(candidateId, p.partId);
      if (!row) continue;
      items.push({ partId: p.partId, version: row.version, bytes: row.n + 1 + NONCE_BYTES + TAG_BYTES, fetchAt: at });
    }
    return { serverNow: now, items };
  }

  /** ms to wait before downloading (under load), or 0: go ahead. */
  admit(): number {
    return this.bucket.take();
  }

  /** The candidate's own paper for a part, sealed with its key (which stays here until the opening). */
  async download(candidateId: number, partId: number): Promise<{ sealed: Buffer; version: number }> {
    const me = await this.delivery.me(candidateId);
    if (!me.rulesAcknowledged)
      throw new AppError(409, 'RULES_NOT_ACKNOWLEDGED', 'Hãy xác nhận đã đọc nội quy trước', 'Acknowledge the rules first');
    const s = me.sitting;
    if (!s || s.state === 'closed' || s.state === 'sealed')
      throw new AppError(409, 'SITTING_CLOSED', 'Ca thi đã kết thúc; không tải đề', 'The sitting is over');
    const part = me.parts.find((p) => p.partId === partId);
    if (!part || part.status === 'exempt' || part.status === 'barred' || part.status === 'submitted')
      throw new AppError(404, 'PART_NOT_FOUND', 'Không có đề của phần thi này cho thí sinh', 'No paper of this part for you');
    const row = await this.view(candidateId, partId);
    if (!row)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    const key = paperKey(await this.secretOf(await this.examOf(candidateId)), row.paperId, row.version);
    const sealed = seal(row.view, key);
    this.handedOut.add(`${candidateId}:${partId}:${row.version}`);
    return { sealed, version: row.version };
  }

  // ---------- the opening ----------

  /**
   * The keys of the candidates of these rooms (or all rooms) of a sitting who acknowledged the
   * rules: for each, the first part of the sitting still to sit, if it has not started; with the
   * paper it opens (to start the part at the opening).
   */
  async keysFor(sittingId: number, roomIds: number[] | null): Promise<Map<number, OpeningKey>> {
    const keys = new Map<number, OpeningKey>();
    const sitting = await this.repo.sitting(sittingId);
    if (!sitting) return keys;
    const order = new Map(sitting.partIds.map((id, i) => [id, i]));
    const rows = await this.repo.keyRows(sittingId);
    const rooms = roomIds ? new Set(roomIds) : null;
    const byCandidate = new Map<number, typeof rows>();
    for (const r of rows) {
      if (!order.has(r.partId) || (rooms && !rooms.has(r.roomId))) continue;
      const list = byCandidate.get(r.candidateId);
      if (list) list.push(r);
      else byCandidate.set(r.candidateId, [r]);
    }
    const secret = await this.secretOf(sitting.examId);
    for (const [candidateId, list] of byCandidate) {
      list.sort((x, y) => (order.get(x.partId) ?? 0) - (order.get(y.partId) ?? 0));
      // the first part not yet submitted: its key, unless it has started already (then it is open)
      const next = list.find((r) => r.attempt !== 'submitted');
      if (!next || next.attempt !== null) continue;
      keys.set(candidateId, {
        key: { partId: next.partId, version: next.version, key: paperKey(secret, next.paperId, next.version).toString('base64') },
        paperId: next.paperId,
        roomId: next.roomId,
      });
    }
    return keys;
  }

  /**
   * Sends the keys of an opening to the waiting candidates' live sockets, and starts their part at
   * this instant in one transaction (the key message carries the attempt and its clock): the first
   * question shows without a request. The candidates not connected start later, as late arrivals.
   * The dashboards hear of the whole opening in one event.
   */
  async release(sittingId: number, roomIds: number[] | null, prepared?: Map<number, OpeningKey>): Promise<number> {
    const opening = prepared ?? (await this.keysFor(sittingId, roomIds));
    const t0 = performance.now();
    const live = this.channel.connected();
    const keys = new Map<number, PaperKeyDto>();
    const papers = new Map<number, number>();
    for (const [id, k] of opening) {
      if (!live.has(id)) continue;
      keys.set(id, k.key);
      papers.set(id, k.paperId);
    }
    await this.startAll(sittingId, keys, papers, Date.now());
    const sent = this.channel.send(keys);
    this.lastRelease = { sittingId, keys: keys.size, sent, ms: Math.round(performance.now() - t0) };
    if (keys.size > 0) this.delivery.bus.emit('candidatesChanged', { sittingId, candidateIds: [...keys.keys()] });
    return sent;
  }

  /**
   * The attempts of an opening, in one transaction; each key gets its attempt
   * (if it was created here). Fixed window: every key's part starts now (the clock runs from the
   * opening anyway). Individual timing: only where this server handed out the sealed paper the key
   * opens, so question 1 shows at this instant; the others get the key alone, and their clock
   * starts at their own start.
   */
  private async startAll(
    sittingId: number,
    keys: Map<number, PaperKeyDto>,
    papers: Map<number, number>,
    at: number,
  ): Promise<void> {
    if (keys.size === 0) return;
    const sitting = await this.repo.sitting(sittingId);
    if (!sitting) return;
    const individual = (await this.delivery.timingMode(sitting.examId)) === 'individual';
    const wanted: { candidateId: number; partId: number; paperId: number }[] = [];
    for (const [candidateId, k] of keys) {
      if (individual && !this.handedOut.has(`${candidateId}:${k.partId}:${k.version}`)) continue;
      const paperId = papers.get(candidateId);
      if (paperId !== undefined) wanted.push({ candidateId, partId: k.partId, paperId });
    }
    if (wanted.length === 0) return;
    const created = await transaction(this.db, async () => {
      // as DeliveryService's start: never into a room that has closed
      const closed = await this.repo.inClosedRooms(sittingId);
      // a part started meanwhile (the start button) is not in the result: its key goes alone
      return this.repo.startParts(sittingId, at, closed.size > 0 ? wanted.filter((w) => !closed.has(w.candidateId)) : wanted);
    });
    if (created.size === 0) return;
    moveExam(this.db, sitting.examId, 'running', { id: null, name: 'system' }, { sittingId, opening: true });
    // one sitting, one opening instant: the clock of a part is the same for all its attempts here
    const timings = new Map<number, AttemptTimingDto>();
    for (const [candidateId, attemptId] of created) {
      const k = keys.get(candidateId);
      if (!k) continue;
      let timing = timings.get(k.partId);
      if (!timing) {
        timing = await this.delivery.timing(attemptId, at);
        timings.set(k.partId, timing);
      }
      k.attempt = { attemptId, timing };
    }
  }

  /**
   * An invigilator opened the sitting for a room: its waiting candidates get their keys (and their
   * started part) before they hear that the room opened.
   */
  async openRoom(sittingId: number, roomId: number, candidateIds: readonly number[]): Promise<number> {
    if (candidateIds.length === 0) return 0;
    const keys = await this.keysFor(sittingId, [roomId]);
    const wanted = new Set(candidateIds);
    for (const id of keys.keys()) if (!wanted.has(id)) keys.delete(id);
    return this.release(sittingId, [roomId], keys);
  }

  /**
   * The scheduled openings: every second, sittings opening in the next few seconds get a timer for
   * the exact instant; the keys are computed before it, so at the instant only the sends remain.
   * Rooms an invigilator opened earlier got their keys then.
   */
  startLoop(intervalMs = 1000, onError: (err: unknown) => void = () => {}): void {
    if (this.loop) return;
    const arm = async (r: { id: number; startsAt: string }) => {
      const keys = await this.keysFor(r.id, await this.repo.unhandledRooms(r.id));
      const at = Date.parse(r.startsAt);
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.fire(r, keys).catch(onError);
        },
        Math.max(0, at - Date.now()),
      );
      this.timers.add(timer);
    };
    let busy = false;
    const tick = async () => {
      const now = Date.now();
      for (const r of await this.repo.scheduled()) {
        const at = Date.parse(r.startsAt);
        const tag = `${r.id}@${r.startsAt}`;
        if (this.armed.has(tag) || at - now > OPENING_LOOKAHEAD_MS || now - at > intervalMs * 2) continue;
        this.armed.add(tag);
        await arm(r);
      }
    };
    const run = () => {
      if (busy) return;
      busy = true;
      tick()
        .catch(onError)
        .finally(() => {
          busy = false;
        });
    };
    this.loop = setInterval(run, intervalMs);
    this.loop.unref();
    run();
  }

  /** The scheduled instant: the keys computed ahead go to the rooms still waiting. */
  private async fire(r: { id: number; startsAt: string }, keys: Map<number, OpeningKey>): Promise<void> {
    // the start may have moved meanwhile: then the next ticks arm it again
    if ((await this.repo.startsAt(r.id)) !== r.startsAt) return;
    const open = new Set(await this.repo.unhandledRooms(r.id));
    for (const [cid, k] of keys) if (!open.has(k.roomId)) keys.delete(cid);
    await this.release(r.id, null, keys);
  }

  close(): void {
    if (this.loop) clearInterval(this.loop);
    this.loop = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ---------- the start (and a reload after it) ----------

  /**
   * The attempt as JSON bytes: with `paper: 'view'` the stored view bytes spliced in as they are (no
   * rendering, no serialization or re-encoding of the questions); with `paper: 'key'` no questions
   * and the key of the sealed paper the client holds.
   */
  async attemptJson(candidateId: number, attemptId: number, paper: 'view' | 'key'): Promise<Buffer> {
    const meta = await this.delivery.attemptMeta(candidateId, attemptId);
    const row = await this.view(candidateId, meta.partId);
    if (!row)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    if (paper === 'key') {
      const dto: AttemptDto = {
        ...meta,
        questions: [],
        paperKey: await this.keyDto(await this.examOf(candidateId), meta.partId, row),
      };
      return Buffer.from(JSON.stringify(dto));
    }
    const head = JSON.stringify(meta);
    return Buffer.concat([Buffer.from(`${head.slice(0, -1)},"questions":`), row.view, CLOSE_BRACE]);
  }
}
