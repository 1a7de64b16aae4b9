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
import { StatementCache } from '../../db/statements.js';
import { AppError } from '../../plugins/errors.js';
import { renderExamViews } from '../exams/paperView.js';
import { moveExam } from '../lifecycle/state.js';
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

interface ViewRow {
  paperId: number;
  version: number;
  view: Buffer;
}

export class SealedPapers {
  private readonly stmts: StatementCache;
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
    this.stmts = new StatementCache(db.$client);
    this.bucket = new Bucket(opts.prefetchPerSec ?? 1500, opts.prefetchBurst ?? 300);
    this.windowMs = opts.prefetchWindowMs ?? 10 * 60_000;
  }

  private secretOf(examId: number): string {
    let s = this.secrets.get(examId);
    if (s === undefined) {
      s = this.stmts.get('SELECT secret FROM exams WHERE id = ?').pluck().get(examId) as string;
      this.secrets.set(examId, s);
    }
    return s;
  }

  private examOf(candidateId: number): number {
    return this.stmts.get('SELECT exam_id FROM candidates WHERE id = ?').pluck().get(candidateId) as number;
  }

  /** The stored view of a candidate's paper for a part; rendered here only if it never was. */
  private view(candidateId: number, partId: number): ViewRow | null {
    const q = this.stmts.get('SELECT paper_id AS paperId, version, view FROM paper_views WHERE candidate_id = ? AND part_id = ?');
    let row = q.get(candidateId, partId) as ViewRow | undefined;
    if (!row) {
      const paper = this.stmts.get('SELECT 1 FROM papers WHERE candidate_id = ? AND part_id = ?').get(candidateId, partId);
      if (!paper) return null;
      renderExamViews(this.db, this.examOf(candidateId));
      row = q.get(candidateId, partId) as ViewRow | undefined;
    }
    return row ?? null;
  }

  private keyDto(examId: number, partId: number, row: { paperId: number; version: number }): PaperKeyDto {
    return { partId, version: row.version, key: paperKey(this.secretOf(examId), row.paperId, row.version).toString('base64') };
  }

  // ---------- while waiting ----------

  /** The parts still to sit whose sealed paper may be downloaded now or later, and when. */
  plan(candidateId: number): PrefetchPlanDto {
    const me = this.delivery.me(candidateId);
    const now = me.serverNow;
    const items: PrefetchPlanDto['items'] = [];
    const s = me.sitting;
    if (!me.rulesAcknowledged || !s || s.state === 'closed' || s.state === 'sealed' || me.suspended)
      return { serverNow: now, items };
    const window = s.opened ? 0 : Math.min(this.windowMs, Math.max(0, Date.parse(s.startsAt) - now - PREFETCH_MARGIN_MS));
    const at = now + Math.floor(spread(candidateId) * window);
    for (const p of me.parts) {
      if (p.status !== 'not_started') continue;
      const row = this.stmts
        .get('SELECT version, length(view) AS n FROM paper_views WHERE candidate_id = ? AND part_id = ?')
        .get(candidateId, p.partId) as { version: number; n: number } | undefined;
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
  download(candidateId: number, partId: number): { sealed: Buffer; version: number } {
    const me = this.delivery.me(candidateId);
    if (!me.rulesAcknowledged)
      throw new AppError(409, 'RULES_NOT_ACKNOWLEDGED', 'Hãy xác nhận đã đọc nội quy trước', 'Acknowledge the rules first');
    const s = me.sitting;
    if (!s || s.state === 'closed' || s.state === 'sealed')
      throw new AppError(409, 'SITTING_CLOSED', 'Ca thi đã kết thúc; không tải đề', 'The sitting is over');
    const part = me.parts.find((p) => p.partId === partId);
    if (!part || part.status === 'exempt' || part.status === 'barred' || part.status === 'submitted')
      throw new AppError(404, 'PART_NOT_FOUND', 'Không có đề của phần thi này cho thí sinh', 'No paper of this part for you');
    const row = this.view(candidateId, partId);
    if (!row)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    const key = paperKey(this.secretOf(this.examOf(candidateId)), row.paperId, row.version);
    const sealed = seal(row.view, key);
    this.handedOut.add(`${candidateId}:${partId}:${row.version}`);
    return { sealed, version: row.version };
  }

  // ---------- the opening ----------

  /**
   * The keys of the candidates of these rooms (or all rooms) of a sitting who acknowledged the
   * rules: for each, the first part of the sitting still to sit, if it has not started.
   */
  keysFor(sittingId: number, roomIds: number[] | null): Map<number, PaperKeyDto> {
    const sitting = this.stmts.get('SELECT exam_id AS examId, part_ids AS partIds FROM sittings WHERE id = ?').get(sittingId) as
      | { examId: number; partIds: string }
      | undefined;
    const keys = new Map<number, PaperKeyDto>();
    if (!sitting) return keys;
    const order = new Map((JSON.parse(sitting.partIds) as number[]).map((id, i) => [id, i]));
    const rows = this.stmts
      .get(
        `SELECT a.candidate_id AS candidateId, a.room_id AS roomId, v.part_id AS partId, v.paper_id AS paperId, v.version,
                t.status AS attempt
           FROM seat_assignments a JOIN candidate_devices d ON d.candidate_id = a.candidate_id AND d.rules_acknowledged_at IS NOT NULL
           JOIN paper_views v ON v.candidate_id = a.candidate_id
           LEFT JOIN attempts t ON t.candidate_id = v.candidate_id AND t.part_id = v.part_id
          WHERE a.sitting_id = ?
            AND NOT EXISTS (SELECT 1 FROM sanctions x WHERE x.candidate_id = a.candidate_id AND x.code = 'dinh_chi')`,
      )
      .all(sittingId) as {
      candidateId: number;
      roomId: number;
      partId: number;
      paperId: number;
      version: number;
      attempt: string | null;
    }[];
    const rooms = roomIds ? new Set(roomIds) : null;
    const byCandidate = new Map<number, typeof rows>();
    for (const r of rows) {
      if (!order.has(r.partId) || (rooms && !rooms.has(r.roomId))) continue;
      const list = byCandidate.get(r.candidateId);
      if (list) list.push(r);
      else byCandidate.set(r.candidateId, [r]);
    }
    const secret = this.secretOf(sitting.examId);
    for (const [candidateId, list] of byCandidate) {
      list.sort((x, y) => (order.get(x.partId) ?? 0) - (order.get(y.partId) ?? 0));
      // the first part not yet submitted: its key, unless it has started already (then it is open)
      const next = list.find((r) => r.attempt !== 'submitted');
      if (!next || next.attempt !== null) continue;
      keys.set(candidateId, {
        partId: next.partId,
        version: next.version,
        key: paperKey(secret, next.paperId, next.version).toString('base64'),
      });
    }
    return keys;
  }

  /**
   * Sends the keys of an opening to the waiting candidates' live sockets, and starts their part at
   * this instant in one transaction (the key message carries the attempt and its clock): the first
   * question shows without a request. The candidates not connected start later, as late arrivals.
   */
  release(sittingId: number, roomIds: number[] | null, keys = this.keysFor(sittingId, roomIds)): number {
    const t0 = performance.now();
    const live = this.channel.connected();
    for (const id of keys.keys()) if (!live.has(id)) keys.delete(id);
    this.startAll(sittingId, keys, Date.now());
    const sent = this.channel.send(keys);
    this.lastRelease = { sittingId, keys: keys.size, sent, ms: Math.round(performance.now() - t0) };
    for (const id of keys.keys()) this.delivery.bus.emit('candidateChanged', { candidateId: id });
    return sent;
  }

  /**
   * The attempts of an opening, in one transaction; each key gets its attempt (if it was created here).
   * Fixed window: every key's part starts now (the clock runs from the opening anyway). Individual
   * timing: only where this server handed out the sealed paper the key opens, so question 1 shows at
   * this instant; the others get the key alone, and their clock starts at their own start.
   */
  private startAll(sittingId: number, keys: Map<number, PaperKeyDto>, at: number): void {
    if (keys.size === 0) return;
    const sqlite = this.db.$client;
    const examId = this.stmts.get('SELECT exam_id FROM sittings WHERE id = ?').pluck().get(sittingId) as number;
    const individual = this.delivery.timingMode(examId) === 'individual';
    // as DeliveryService's start: never into a room that has closed
    const insert = this.stmts.get(
      `INSERT OR IGNORE INTO attempts (candidate_id, part_id, sitting_id, paper_id, status, started_at)
       SELECT @candidateId, @partId, @sittingId, p.id, 'running', @at FROM papers p
        WHERE p.candidate_id = @candidateId AND p.part_id = @partId
          AND NOT EXISTS (SELECT 1 FROM room_closures k JOIN seat_assignments a ON a.sitting_id = k.sitting_id AND a.room_id = k.room_id
                           WHERE a.candidate_id = @candidateId AND k.sitting_id = @sittingId)`,
    );
    const event = this.stmts.get("INSERT INTO attempt_events (attempt_id, kind, at, data) VALUES (?, 'start', ?, '{}')");
    const created = new Map<number, number>();
    sqlite
      .transaction(() => {
        for (const [candidateId, k] of keys) {
          if (individual && !this.handedOut.has(`${candidateId}:${k.partId}:${k.version}`)) continue;
          const r = insert.run({ candidateId, partId: k.partId, sittingId, at });
          if (r.changes === 0) continue; // started meanwhile (the start button): the key alone
          const attemptId = Number(r.lastInsertRowid);
          event.run(attemptId, at);
          created.set(candidateId, attemptId);
        }
      })
      .immediate();
    if (created.size === 0) return;
    moveExam(this.db, examId, 'running', { id: null, name: 'system' }, { sittingId, opening: true });
    // one sitting, one opening instant: the clock of a part is the same for all its attempts here
    const timings = new Map<number, AttemptTimingDto>();
    for (const [candidateId, attemptId] of created) {
      const k = keys.get(candidateId);
      if (!k) continue;
      let timing = timings.get(k.partId);
      if (!timing) {
        timing = this.delivery.timing(attemptId, at);
        timings.set(k.partId, timing);
      }
      k.attempt = { attemptId, timing };
    }
  }

  /** An invigilator opened the sitting for these candidates' room(s). */
  releaseForCandidates(candidateIds: readonly number[]): number {
    if (candidateIds.length === 0) return 0;
    const seats = this.stmts
      .get(
        `SELECT a.sitting_id AS sittingId, a.room_id AS roomId FROM seat_assignments a JOIN sittings s ON s.id = a.sitting_id
          WHERE a.candidate_id = ? ORDER BY s.starts_at, s.id`,
      )
      .all(candidateIds[0]) as { sittingId: number; roomId: number }[];
    // the room just opened: the one of the candidate's sittings with an opening and no closure
    const open = seats.find(
      (x) =>
        this.stmts.get('SELECT 1 FROM room_openings WHERE sitting_id = ? AND room_id = ?').get(x.sittingId, x.roomId) &&
        !this.stmts.get('SELECT 1 FROM room_closures WHERE sitting_id = ? AND room_id = ?').get(x.sittingId, x.roomId),
    );
    if (!open) return 0;
    const keys = this.keysFor(open.sittingId, [open.roomId]);
    const wanted = new Set(candidateIds);
    for (const id of keys.keys()) if (!wanted.has(id)) keys.delete(id);
    return this.release(open.sittingId, [open.roomId], keys);
  }

  /**
   * The scheduled openings: every second, sittings opening in the next few seconds get a timer for
   * the exact instant; the keys are computed before it, so at the instant only the sends remain.
   * Rooms an invigilator opened earlier got their keys then.
   */
  startLoop(intervalMs = 1000): void {
    if (this.loop) return;
    const tick = () => {
      const now = Date.now();
      const rows = this.stmts
        .get(
          `SELECT s.id, s.starts_at AS startsAt FROM sittings s JOIN exams e ON e.id = s.exam_id
            WHERE e.status IN ('ready', 'running') AND s.opened_at IS NULL`,
        )
        .all() as { id: number; startsAt: string }[];
      for (const r of rows) {
        const at = Date.parse(r.startsAt);
        const tag = `${r.id}@${r.startsAt}`;
        if (this.armed.has(tag) || at - now > OPENING_LOOKAHEAD_MS || now - at > intervalMs * 2) continue;
        this.armed.add(tag);
        const rooms = () => {
          const all = this.stmts
            .get('SELECT DISTINCT room_id FROM seat_assignments WHERE sitting_id = ?')
            .pluck()
            .all(r.id) as number[];
          const handled = new Set(
            this.stmts
              .get(
                'SELECT room_id FROM room_openings WHERE sitting_id = ? UNION SELECT room_id FROM room_closures WHERE sitting_id = ?',
              )
              .pluck()
              .all(r.id, r.id) as number[],
          );
          return all.filter((id) => !handled.has(id));
        };
        const keys = this.keysFor(r.id, rooms());
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            // the start may have moved meanwhile: then the next ticks arm it again
            const still = this.stmts.get('SELECT starts_at FROM sittings WHERE id = ?').pluck().get(r.id);
            if (still !== r.startsAt) return;
            const open = new Set(rooms());
            const seatRoom = this.stmts.get('SELECT candidate_id, room_id FROM seat_assignments WHERE sitting_id = ?').raw();
            for (const [cid, room] of seatRoom.iterate(r.id) as Iterable<[number, number]>) if (!open.has(room)) keys.delete(cid);
            this.release(r.id, null, keys);
          },
          Math.max(0, at - Date.now()),
        );
        this.timers.add(timer);
      }
    };
    this.loop = setInterval(tick, intervalMs);
    this.loop.unref();
    tick();
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
  attemptJson(candidateId: number, attemptId: number, paper: 'view' | 'key'): Buffer {
    const meta = this.delivery.attemptMeta(candidateId, attemptId);
    const row = this.view(candidateId, meta.partId);
    if (!row)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    if (paper === 'key') {
      const dto: AttemptDto = { ...meta, questions: [], paperKey: this.keyDto(this.examOf(candidateId), meta.partId, row) };
      return Buffer.from(JSON.stringify(dto));
    }
    const head = JSON.stringify(meta);
    return Buffer.concat([Buffer.from(`${head.slice(0, -1)},"questions":`), row.view, CLOSE_BRACE]);
  }
}
