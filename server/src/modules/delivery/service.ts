import {
  type AnswerAck,
  type AnswerBody,
  type AttemptDto,
  type AttemptEvent,
  type AttemptTimingDto,
  type CandidateMeDto,
  type CandidatePartDto,
  type ChoiceOption,
  computeTiming,
  type ExamPartDto,
  type PartResultDto,
  type PassRule,
  type QuestionContent,
  type QuestionTypeId,
  questionType,
  type RegulationProfile,
  roomState,
  type SubmitReason,
  type SubmitResultDto,
  scoreAttempt,
  type TimingConfig,
} from '@exam/shared';
import { type AnswerRow, AnswerWriter } from '../../db/answerWriter.js';
import { type Actor, appendAudit } from '../../db/audit.js';
import { CommitQueue } from '../../db/commitQueue.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { DomainEventBus } from '../../events.js';
import { AppError } from '../../plugins/errors.js';
import { pinMatches } from '../exams/candidates.js';
import { assertMaySit } from '../exams/eligibilityGate.js';
import { decodePaper } from '../exams/papers.js';
import { ExamService } from '../exams/service.js';
import { moveExam } from '../lifecycle/state.js';
import { examCorrections } from '../results/repo.js';
import { lateArrival, lateRefusal } from './late-admission.js';
import { SignInLockout } from './signinLock.js';

/** Answers made before the deadline may still arrive (offline replay) this long after it. */
export const ANSWER_GRACE_MS = 15_000;

interface QuestionCache {
  no: number;
  versionId: number;
  type: QuestionTypeId;
  content: QuestionContent;
  order: string[];
}

/** An exam's set-up as delivery reads it: fixed once the exam is ready, so cached briefly. */
interface ExamInfo {
  examRow: ReturnType<ExamService['examRow']>;
  profile: RegulationProfile;
  parts: ExamPartDto[];
  partRows: Map<number, ReturnType<ExamService['partRow']>>;
  loadedAt: number;
}

/** How long an exam's set-up is reused (a ready exam's set-up is frozen; the status may move on). */
const EXAM_INFO_TTL_MS = 10_000;

interface AttemptCache {
  id: number;
  examId: number;
  candidateId: number;
  partId: number;
  partName: string;
  status: 'running' | 'submitted';
  config: TimingConfig;
  events: AttemptEvent[];
  questions: QuestionCache[];
  passRule: PassRule;
  scoreScale: number;
  /** the profile allows partial credit (only the custom one may; every official regime counts whole answers) */
  partialCredit: boolean;
  showResult: boolean;
  /** the sweep need not look at this attempt before then (its deadline plus the grace) */
  nextCheck: number;
}

interface StartRow {
  candidateId: number;
  partId: number;
  sittingId: number;
  paperId: number;
  at: number;
  /** set by the writer */
  attemptId?: number;
}

/**
 * What delivery needs of the lockdown module (issue 19), injected through the constructor: the
 * answer path refuses while the paper is locked after focus losses, and extra time granted before
 * the sitting is added to every part's duration.
 */
export interface DeliveryLockdown {
  /** throws an AppError while the candidate's paper is locked */
  assertUnlocked(candidateId: number): void;
  /** minutes of extra time granted to the candidate */
  extraMinutes(candidateId: number): number;
}

export interface DeliveryDeps {
  /** the app's domain events: delivery publishes, the socket layers subscribe */
  bus: DomainEventBus;
  lockdown?: DeliveryLockdown | null;
  exams?: ExamService;
}

/** Who did what, for clock events recorded by an invigilator. */
export interface EventMeta {
  by?: string;
  reason?: string;
}

const badCredentials = () => new AppError(401, 'BAD_CREDENTIALS', 'Sai số báo danh hoặc mã PIN', 'Wrong candidate number or PIN');
/** A second PC is refused: say whether the candidate only signed in on the other PC or is answering there (issue 19). */
const deviceLocked = (answering: boolean) =>
  answering
    ? new AppError(
        409,
        'DEVICE_LOCKED',
        'Bạn đang làm bài trên máy khác. Hãy báo giám thị để được chuyển sang máy này.',
        'You are answering your paper on another computer; ask an invigilator to allow the move.',
        { elsewhere: 'answering' },
      )
    : new AppError(
        409,
        'DEVICE_LOCKED',
        'Số báo danh này đã đăng nhập trên máy khác (chưa bắt đầu làm bài). Hãy báo giám thị để được chuyển sang máy này.',
        'This number is signed in on another computer (no paper started yet); ask an invigilator to allow the move.',
        { elsewhere: 'signed_in' },
      );

export class DeliveryService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
  private readonly exams: ExamService;
  private readonly cache = new Map<number, AttemptCache>();
  private readonly examInfos = new Map<number, ExamInfo>();
  /** question versions are immutable once approved: one parsed copy serves every paper */
  private readonly versions = new Map<number, { type: QuestionTypeId; content: QuestionContent }>();
  /** Where answers go: a writer thread with its own connection (the event loop never waits for a COMMIT). */
  readonly answers: { enqueue(row: AnswerRow): Promise<boolean>; flush(): Promise<void>; close(): Promise<void> };
  /** attempts started in the same few milliseconds share one COMMIT (a sitting's opening is a burst) */
  private readonly starts: CommitQueue<StartRow>;
  private timer: NodeJS.Timeout | null = null;
  /** exams known to have left 'ready' (the first attempt moves them to 'running') */
  private readonly runningExams = new Set<number>();

  /** where delivery publishes what happened (server/src/events.ts) */
  readonly bus: DomainEventBus;
  private readonly lockdown: DeliveryLockdown | null;

  /** per-number lock-out after repeated wrong PINs (issue 14) */
  readonly signInLock: SignInLockout;
  constructor(
    private readonly db: Db,
    deps: DeliveryDeps = { bus: new DomainEventBus() },
  ) {
    this.bus = deps.bus;
    this.lockdown = deps.lockdown ?? null;
    this.sqlite = db.$client;
    this.signInLock = new SignInLockout(db);
    this.stmts = new StatementCache(db.$client);
    // the exams area's service, registered once by its plugin (tests and tools may leave it out)
    this.exams = deps.exams ?? new ExamService(db);
    // never into a room that has closed (checked in the same transaction as the insert)
    const insertAttempt = this.sqlite.prepare(
      `INSERT OR IGNORE INTO attempts (candidate_id, part_id, sitting_id, paper_id, status, started_at)
       SELECT @candidateId, @partId, @sittingId, @paperId, 'running', @at
        WHERE NOT EXISTS (SELECT 1 FROM room_closures k JOIN seat_assignments a ON a.sitting_id = k.sitting_id AND a.room_id = k.room_id
                           WHERE a.candidate_id = @candidateId AND k.sitting_id = @sittingId)`,
    );
    const insertStart = this.sqlite.prepare(
      "INSERT INTO attempt_events (attempt_id, kind, at, data) VALUES (?, 'start', ?, '{}')",
    );
    const attemptOf = this.sqlite.prepare('SELECT id FROM attempts WHERE candidate_id = ? AND part_id = ?').pluck();
    this.starts = new CommitQueue<StartRow>(this.sqlite, (items) => {
      for (const it of items) {
        const { attemptId: _, ...row } = it;
        const r = insertAttempt.run(row);
        // a second start of the same part (double click, two tabs) finds the first attempt
        it.attemptId =
          r.changes > 0 ? Number(r.lastInsertRowid) : (attemptOf.get(it.candidateId, it.partId) as number | undefined);
        if (r.changes > 0) insertStart.run(it.attemptId, it.at);
      }
    });
    this.answers = new AnswerWriter(this.sqlite.name);
  }

  /** One shared array per option order: a sitting's papers use a few dozen orders between them. */
  private readonly orders = new Map<string, string[]>();
  private shared(order: string[]): string[] {
    const key = order.join('\u0000');
    let hit = this.orders.get(key);
    if (!hit) {
      hit = Object.freeze([...order]) as string[];
      this.orders.set(key, hit);
    }
    return hit;
  }

  /** How the exam's clock runs: from the opening for everyone, or from each candidate's own start. */
  timingMode(examId: number): 'fixed_window' | 'individual' {
    return this.examInfo(examId).profile.timingMode ?? 'individual';
  }

  /** The exam's row, effective profile and parts, reused for EXAM_INFO_TTL_MS. */
  private examInfo(examId: number): ExamInfo {
    const now = Date.now();
    const hit = this.examInfos.get(examId);
    if (hit && now - hit.loadedAt < EXAM_INFO_TTL_MS) return hit;
    const examRow = this.exams.examRow(examId);
    const parts = this.exams.parts(examId);
    const info: ExamInfo = {
      examRow,
      profile: this.exams.effectiveProfile(examRow),
      parts,
      partRows: new Map(parts.map((p) => [p.id, this.exams.partRow(p.id)])),
      loadedAt: now,
    };
    this.examInfos.set(examId, info);
    return info;
  }

  // ---------- sign-in ----------

  /** Checks number + PIN and binds the device: one active device per candidate unless a move was allowed. */
  login(
    number: string,
    pin: string,
    deviceId: string,
    ip: string,
    userAgent: string,
  ): { candidateId: number; replacedDevice: boolean } {
    const c = this.stmts
      .get(
        `SELECT c.id, c.pin_hash AS pinHash, e.secret, e.status FROM candidates c JOIN exams e ON e.id = c.exam_id
          WHERE c.number = ? AND e.status IN ('ready', 'running', 'finished', 'published') ORDER BY e.id DESC LIMIT 1`,
      )
      .get(number.trim().toUpperCase()) as { id: number; pinHash: string | null; secret: string; status: string } | undefined;
    if (!c) throw badCredentials();
    this.signInLock.check(c.id);
    if (!pinMatches(c.secret, c.id, pin.trim(), c.pinHash)) {
      if (this.signInLock.failed(c.id) !== null) this.bus.emit('candidateChanged', { candidateId: c.id });
      throw badCredentials();
    }
    if (this.signInLock.clear(c.id)) this.bus.emit('candidateChanged', { candidateId: c.id });
    // the right PIN for an exam that is over: say so, and where to look the result up
    if (c.status === 'published')
      throw new AppError(
        409,
        'EXAM_PUBLISHED',
        'Kỳ thi đã kết thúc và kết quả đã được công bố. Bạn có thể tra cứu kết quả tại trang "Tra cứu kết quả" (/tra-cuu-ket-qua) bằng số báo danh và mã PIN.',
        'The exam is over and its results are published. Look your result up at /tra-cuu-ket-qua with your number and PIN.',
        { lookup: '/tra-cuu-ket-qua' },
      );
    assertMaySit(this.stmts, c.id);
    const seat = this.seat(c.id);
    if (seat && (seat.state === 'closed' || seat.state === 'sealed'))
      throw new AppError(
        409,
        seat.state === 'sealed' ? 'SITTING_SEALED' : 'SITTING_CLOSED',
        seat.state === 'sealed'
          ? 'Ca thi của bạn đã kết thúc và dữ liệu đã được niêm phong; không thể đăng nhập để làm bài. Kết quả sẽ được công bố theo thông báo của Hội đồng thi.'
          : 'Ca thi của bạn đã kết thúc (phòng thi đã đóng); không thể đăng nhập để làm bài. Kết quả sẽ được công bố theo thông báo của Hội đồng thi.',
        seat.state === 'sealed'
          ? 'Your sitting is over and sealed; you cannot sign in to sit it.'
          : 'Your sitting is over (the room is closed); you cannot sign in to sit it.',
      );
    const dev = this.stmts
      .get('SELECT device_id AS deviceId, move_allowed AS moveAllowed FROM candidate_devices WHERE candidate_id = ?')
      .get(c.id) as { deviceId: string; moveAllowed: number } | undefined;
    const now = Date.now();
    if (!dev) {
      this.stmts
        .get('INSERT INTO candidate_devices (candidate_id, device_id, ip, user_agent, bound_at) VALUES (?, ?, ?, ?, ?)')
        .run(c.id, deviceId, ip, userAgent.slice(0, 300), now);
      this.bus.emit('candidateChanged', { candidateId: c.id });
      return { candidateId: c.id, replacedDevice: false };
    }
    if (dev.deviceId === deviceId) {
      this.bus.emit('candidateChanged', { candidateId: c.id });
      return { candidateId: c.id, replacedDevice: false };
    }
    if (!dev.moveAllowed) {
      this.bus.emit('deviceRefused', { candidateId: c.id, ip });
      throw deviceLocked(!!this.stmts.get('SELECT 1 FROM attempts WHERE candidate_id = ? LIMIT 1').get(c.id));
    }
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          'UPDATE candidate_devices SET device_id = ?, ip = ?, user_agent = ?, bound_at = ?, move_allowed = 0 WHERE candidate_id = ?',
        )
        .run(deviceId, ip, userAgent.slice(0, 300), now, c.id);
      const running = this.stmts.get("SELECT id FROM attempts WHERE candidate_id = ? AND status = 'running'").all(c.id) as {
        id: number;
      }[];
      for (const a of running) this.addEvent(a.id, { kind: 'device_switch', at: now }, { deviceId });
    })();
    this.bus.emit('deviceReplaced', { candidateId: c.id });
    this.bus.emit('candidateChanged', { candidateId: c.id });
    return { candidateId: c.id, replacedDevice: true };
  }

  /**
   * An invigilator allows the candidate to continue on another PC: the current device is cut off at
   * once (its session no longer matches), and the next sign-in, from any PC, takes over the attempt.
   */
  allowMove(candidateId: number): boolean {
    const r = this.stmts
      .get(
        "UPDATE candidate_devices SET move_allowed = 1, device_id = 'moved:' || device_id WHERE candidate_id = ? AND device_id NOT LIKE 'moved:%'",
      )
      .run(candidateId);
    const moved =
      r.changes > 0 ||
      (this.stmts.get('SELECT move_allowed FROM candidate_devices WHERE candidate_id = ?').pluck().get(candidateId) as
        | number
        | undefined) === 1;
    if (r.changes > 0) this.bus.emit('deviceReplaced', { candidateId });
    this.bus.emit('candidateChanged', { candidateId });
    return moved;
  }

  /** The device the candidate is bound to now. */
  activeDevice(candidateId: number): string | null {
    return (
      (this.stmts.get('SELECT device_id FROM candidate_devices WHERE candidate_id = ?').pluck().get(candidateId) as
        | string
        | undefined) ?? null
    );
  }

  acknowledgeRules(candidateId: number): void {
    this.stmts.get('UPDATE candidate_devices SET rules_acknowledged_at = ? WHERE candidate_id = ?').run(Date.now(), candidateId);
    this.bus.emit('candidateChanged', { candidateId });
  }

  // ---------- what the candidate sees ----------

  private candidateRow(candidateId: number) {
    const c = this.stmts
      .get(
        `SELECT c.id, c.exam_id AS examId, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, c.exemptions,
                d.rules_acknowledged_at AS ack
           FROM candidates c LEFT JOIN candidate_devices d ON d.candidate_id = c.id WHERE c.id = ?`,
      )
      .get(candidateId) as
      | {
          id: number;
          examId: number;
          number: string;
          fullName: string;
          dateOfBirth: string;
          exemptions: string;
          ack: number | null;
        }
      | undefined;
    if (!c) throw new AppError(401, 'AUTH_REQUIRED', 'Phiên đăng nhập không hợp lệ', 'Invalid session');
    return c;
  }

  /**
   * The candidate's sitting with room and seat: the first (by time) whose room has not closed, or
   * the last one when every room has; with the room's lifecycle state.
   */
  private seat(candidateId: number) {
    const rows = this.stmts
      .get(
        `SELECT s.id AS sittingId, s.name, s.starts_at AS startsAt, s.opened_at AS openedAt, s.part_ids AS partIds,
                r.id AS roomId, r.name AS roomName, a.seat_no AS seatNo, o.opened_at AS roomOpenedAt, k.closed_at AS closedAt,
                EXISTS (SELECT 1 FROM sitting_exports x WHERE x.sitting_id = s.id) AS sealed
           FROM seat_assignments a JOIN sittings s ON s.id = a.sitting_id JOIN rooms r ON r.id = a.room_id
           LEFT JOIN room_openings o ON o.sitting_id = a.sitting_id AND o.room_id = a.room_id
           LEFT JOIN room_closures k ON k.sitting_id = a.sitting_id AND k.room_id = a.room_id
          WHERE a.candidate_id = ? ORDER BY s.starts_at, s.id`,
      )
      .all(candidateId) as {
      sittingId: number;
      name: string;
      startsAt: string;
      openedAt: string | null;
      partIds: string;
      roomId: number;
      roomName: string;
      seatNo: number;
      roomOpenedAt: number | null;
      closedAt: number | null;
      sealed: number;
    }[];
    const now = Date.now();
    const withState = rows.map((r) => ({
      ...r,
      state: roomState({ ...r, sittingOpenedAt: r.openedAt, sealed: r.sealed === 1 }, now),
    }));
    return withState.find((r) => r.state !== 'closed' && r.state !== 'sealed') ?? withState[withState.length - 1];
  }

  /** Open: an invigilator opened the room (or the whole sitting), or the scheduled time has come. */
  private sittingOpen(s: { startsAt: string; openedAt: string | null; roomOpenedAt: number | null }, now: number): boolean {
    return s.roomOpenedAt !== null || s.openedAt !== null || now >= Date.parse(s.startsAt);
  }

  /**
   * When the sitting's clock starts in a room (fixed-window mode): the invigilator's opening if the
   * room was opened by hand, else the sitting's opening, else the scheduled time.
   */
  private windowStart(s: { startsAt: string; openedAt: string | null; roomOpenedAt: number | null }): number {
    const scheduled = Date.parse(s.startsAt);
    if (s.roomOpenedAt !== null) return Math.min(s.roomOpenedAt, scheduled);
    if (s.openedAt !== null) return Math.min(Date.parse(s.openedAt), scheduled);
    return scheduled;
  }

  /** Suspended (đình chỉ thi), and whether the profile bars the later parts (NOT FOUND: barred until the board says otherwise). */
  suspension(candidateId: number, examId: number): { suspended: boolean; barsLater: boolean; reason: string | null } {
    const row = this.stmts
      .get("SELECT reason FROM sanctions WHERE candidate_id = ? AND code = 'dinh_chi' ORDER BY id LIMIT 1")
      .get(candidateId) as { reason: string } | undefined;
    if (!row) return { suspended: false, barsLater: false, reason: null };
    const rule = this.examInfo(examId).profile.sanctions.find((r) => r.code === 'dinh_chi');
    return { suspended: true, barsLater: rule?.barsLaterParts !== false, reason: row.reason };
  }

  /** `s`: the candidate's seat when the caller has already read it (a start reads it once). */
  me(candidateId: number, s: ReturnType<DeliveryService['seat']> = this.seat(candidateId)): CandidateMeDto {
    const now = Date.now();
    const c = this.candidateRow(candidateId);
    const info = this.examInfo(c.examId);
    const e = info.examRow;
    const profile = info.profile;
    const exemptions = JSON.parse(c.exemptions) as string[];
    const susp = this.suspension(candidateId, c.examId);
    const parts: CandidatePartDto[] = [];
    if (s) {
      const examParts = info.parts;
      for (const partId of JSON.parse(s.partIds) as number[]) {
        const p = info.partRows.get(partId) ?? this.exams.partRow(partId);
        if (p.mode !== 'computer_mc') continue;
        const dto = examParts.find((x) => x.id === partId);
        const exempt = (JSON.parse(p.exemptibleBy) as string[]).some((x) => exemptions.includes(x));
        const a = this.stmts
          .get('SELECT id, status, correct, total, score, passed FROM attempts WHERE candidate_id = ? AND part_id = ?')
          .get(candidateId, partId) as
          | {
              id: number;
              status: string;
              correct: number | null;
              total: number | null;
              score: number | null;
              passed: number | null;
            }
          | undefined;
        let status: CandidatePartDto['status'] = exempt ? 'exempt' : susp.barsLater ? 'barred' : 'not_started';
        if (a) status = a.status === 'submitted' ? 'submitted' : (this.timing(a.id, now).state as CandidatePartDto['status']);
        parts.push({
          partId,
          name: p.name,
          round: dto?.round ?? 1,
          questionCount: dto?.questionCount ?? 0,
          durationMin: dto?.durationMin ?? 0,
          status,
          attemptId: a?.id ?? null,
          result:
            a?.status === 'submitted' && profile.showResultImmediately && a.total !== null
              ? {
                  correct: a.correct ?? 0,
                  total: a.total,
                  score: a.score ?? 0,
                  scale: dto?.scoreScale ?? 100,
                  passed: !!a.passed,
                }
              : null,
        });
      }
    }
    return {
      candidate: {
        number: c.number,
        fullName: c.fullName,
        dateOfBirth: c.dateOfBirth,
        roomName: s?.roomName ?? null,
        seatNo: s?.seatNo ?? null,
      },
      exam: { name: e.name, organisingBody: e.organisingBody, timeZone: e.timeZone },
      sitting: s
        ? {
            name: s.name,
            startsAt: s.startsAt,
            opened: this.sittingOpen(s, now),
            timingMode: profile.timingMode ?? 'individual',
            state: s.state,
          }
        : null,
      rulesAcknowledged: c.ack !== null,
      suspended: susp.suspended,
      suspensionReason: susp.reason,
      parts,
      serverNow: now,
    };
  }

  // ---------- attempts ----------

  private addEvent(attemptId: number, ev: AttemptEvent, data: Record<string, unknown> = {}): void {
    this.stmts
      .get('INSERT INTO attempt_events (attempt_id, kind, at, data) VALUES (?, ?, ?, ?)')
      .run(attemptId, ev.kind, ev.at, JSON.stringify({ ...data, ...('ms' in ev ? { ms: ev.ms } : {}) }));
    const c = this.cache.get(attemptId);
    if (c) {
      c.events.push(ev);
      c.nextCheck = 0; // the deadline may have moved
    }
  }

  /** Loads (and caches) what validating and grading an attempt needs. */
  private load(attemptId: number): AttemptCache {
    const hit = this.cache.get(attemptId);
    if (hit) return hit;
    const a = this.stmts
      .get(
        `SELECT a.id, a.candidate_id AS candidateId, a.part_id AS partId, a.status, a.sitting_id AS sittingId, p.items, c.exam_id AS examId
           FROM attempts a JOIN papers p ON p.id = a.paper_id JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?`,
      )
      .get(attemptId) as
      | {
          id: number;
          candidateId: number;
          partId: number;
          status: 'running' | 'submitted';
          sittingId: number;
          items: string;
          examId: number;
        }
      | undefined;
    if (!a) throw new AppError(404, 'ATTEMPT_NOT_FOUND', 'Không tìm thấy bài thi', 'Attempt not found');
    const info = this.examInfo(a.examId);
    const profile = info.profile;
    const examParts = info.parts;
    const part = examParts.find((p) => p.id === a.partId);
    if (!part) throw new AppError(404, 'PART_NOT_FOUND', 'Không tìm thấy phần thi', 'Part not found');
    const sitting = this.stmts
      .get(
        `SELECT s.starts_at AS startsAt, s.opened_at AS openedAt, s.part_ids AS partIds, o.opened_at AS roomOpenedAt
           FROM sittings s
           LEFT JOIN seat_assignments sa ON sa.sitting_id = s.id AND sa.candidate_id = ?
           LEFT JOIN room_openings o ON o.sitting_id = s.id AND o.room_id = sa.room_id
          WHERE s.id = ?`,
      )
      .get(a.candidateId, a.sittingId) as {
      startsAt: string;
      openedAt: string | null;
      partIds: string;
      roomOpenedAt: number | null;
    };
    const mode = profile.timingMode ?? 'individual';
    let scheduledStart: number | undefined;
    if (mode === 'fixed_window') {
      // parts of a sitting follow each other: this part's window opens after the earlier ones
      scheduledStart = this.windowStart(sitting);
      for (const pid of JSON.parse(sitting.partIds) as number[]) {
        if (pid === a.partId) break;
        const earlier = examParts.find((p) => p.id === pid);
        if (earlier?.mode === 'computer_mc') scheduledStart += (earlier.durationMin ?? 0) * 60_000;
      }
    }
    const versionStmt = this.stmts.get(
      'SELECT type, stem, options, partial_credit AS partialCredit FROM question_versions WHERE id = ?',
    );
    const questions = decodePaper(a.items).items.map((item, i) => {
      const versionId = Number(item.versionId);
      let v = this.versions.get(versionId);
      if (!v) {
        const row = versionStmt.get(versionId) as { type: QuestionTypeId; stem: string; options: string; partialCredit: number };
        v = {
          type: row.type,
          content: {
            type: row.type,
            stem: row.stem,
            options: JSON.parse(row.options) as ChoiceOption[],
            partialCredit: !!row.partialCredit,
          },
        };
        this.versions.set(versionId, v);
      }
      return { no: i + 1, versionId, type: v.type, content: v.content, order: this.shared(item.optionOrder) };
    });
    const events = (
      this.stmts.get('SELECT kind, at, data FROM attempt_events WHERE attempt_id = ? ORDER BY id').all(attemptId) as {
        kind: AttemptEvent['kind'];
        at: number;
        data: string;
      }[]
    ).map((r) =>
      r.kind === 'extend'
        ? { kind: r.kind, at: r.at, ms: Number((JSON.parse(r.data) as { ms?: number }).ms ?? 0) }
        : { kind: r.kind, at: r.at },
    ) as AttemptEvent[];
    const entry: AttemptCache = {
      id: a.id,
      examId: a.examId,
      candidateId: a.candidateId,
      partId: a.partId,
      partName: part.name,
      status: a.status,
      config: {
        mode,
        durationMs: (part.durationMin ?? 0) * 60_000 + (this.lockdown?.extraMinutes(a.candidateId) ?? 0) * 60_000,
        scheduledStart,
      },
      events,
      questions,
      passRule: part.passRule as PassRule,
      scoreScale: part.scoreScale,
      partialCredit: profile.partialCredit === true,
      showResult: !!profile.showResultImmediately,
      nextCheck: 0,
    };
    this.cache.set(attemptId, entry);
    return entry;
  }

  /** A candidate may load an image only when one of their own papers shows it. */
  candidateMaySeeImage(candidateId: number, imageId: string): boolean {
    const ids = this.stmts.get('SELECT id FROM attempts WHERE candidate_id = ?').pluck().all(candidateId) as number[];
    return ids.some((id) =>
      this.load(id).questions.some(
        (q) => q.content.stem.includes(imageId) || q.content.options.some((o) => o.text.includes(imageId)),
      ),
    );
  }

  /** Drops the cached state of an attempt so the next use reloads it from the database. */
  forget(attemptId: number): void {
    this.cache.delete(attemptId);
  }

  timing(attemptId: number, now = Date.now()): AttemptTimingDto {
    const a = this.load(attemptId);
    return { ...computeTiming(a.config, a.events, now), serverNow: now };
  }

  /** How many questions the attempt's paper has. */
  questionCount(attemptId: number): number {
    return this.load(attemptId).questions.length;
  }

  /**
   * A clock event caused by an invigilator: pause, resume, or an extension of `extendMs`. The event
   * goes to the attempt's log (with who and why); the new timing is pushed to the candidate at once.
   */
  clockEvent(attemptId: number, ev: { kind: 'pause' } | { kind: 'resume' } | { kind: 'extend'; ms: number }, meta: EventMeta) {
    const a = this.load(attemptId);
    const now = Date.now();
    const t = computeTiming(a.config, a.events, now);
    const live = a.status === 'running' && (t.state === 'running' || t.state === 'paused');
    if (!live || (ev.kind === 'pause' && t.state !== 'running')) {
      if (ev.kind === 'resume' || (live && ev.kind === 'pause'))
        throw new AppError(
          409,
          ev.kind === 'pause' ? 'ALREADY_PAUSED' : 'NOT_PAUSED',
          ev.kind === 'pause' ? 'Bài thi đang tạm dừng' : 'Bài thi không ở trạng thái tạm dừng',
          ev.kind === 'pause' ? 'Already paused' : 'Not paused',
        );
      throw new AppError(409, 'NOT_RUNNING', 'Thí sinh không đang làm bài', 'The attempt is not running');
    }
    if (ev.kind === 'resume' && t.state !== 'paused')
      throw new AppError(409, 'NOT_PAUSED', 'Bài thi không ở trạng thái tạm dừng', 'Not paused');
    const event: AttemptEvent = ev.kind === 'extend' ? { kind: 'extend', at: now, ms: ev.ms } : { kind: ev.kind, at: now };
    this.addEvent(attemptId, event, { ...meta });
    const timing = this.timing(attemptId, now);
    this.bus.emit('timingChanged', { candidateId: a.candidateId, attemptId, timing });
    this.bus.emit('candidateChanged', { candidateId: a.candidateId });
    return timing;
  }

  private owned(candidateId: number, attemptId: number): AttemptCache {
    const a = this.load(attemptId);
    if (a.candidateId !== candidateId)
      throw new AppError(403, 'FORBIDDEN_ATTEMPT', 'Bài thi không thuộc về thí sinh này', 'Not your attempt');
    return a;
  }

  /** Starts (or resumes) the candidate's attempt at a part. */
  async start(candidateId: number, partId: number): Promise<AttemptDto> {
    return this.attempt(candidateId, await this.startAttempt(candidateId, partId));
  }

  /** Starts the part (or finds the attempt already started) and returns the attempt's id. */
  async startAttempt(candidateId: number, partId: number): Promise<number> {
    const now = Date.now();
    // the seat (with its room's state) is read once for the whole start
    const seat = this.seat(candidateId);
    const me = this.me(candidateId, seat);
    const part = me.parts.find((p) => p.partId === partId);
    if (!part || !me.sitting)
      throw new AppError(404, 'PART_NOT_FOUND', 'Phần thi không thuộc ca thi của thí sinh', 'Part not in your sitting');
    // a closed room or a sealed sitting neither starts nor resumes a paper
    if (seat && (seat.state === 'closed' || seat.state === 'sealed'))
      throw new AppError(
        409,
        seat.state === 'sealed' ? 'SITTING_SEALED' : 'SITTING_CLOSED',
        'Ca thi đã kết thúc (phòng thi đã đóng); không thể bắt đầu phần thi.',
        'The sitting is over (the room is closed); the part cannot start.',
      );
    assertMaySit(this.stmts, candidateId);
    if (part.attemptId) return part.attemptId;
    if (part.status === 'exempt')
      throw new AppError(409, 'PART_EXEMPT', 'Thí sinh được miễn phần thi này', 'Exempt from this part');
    if (part.status === 'barred')
      throw new AppError(
        409,
        'PART_BARRED',
        'Thí sinh đã bị đình chỉ thi nên không được dự phần thi này',
        'Suspended from the exam: this part is barred',
      );
    if (!me.sitting.opened) {
      throw new AppError(409, 'SITTING_NOT_OPEN', 'Ca thi chưa bắt đầu. Vui lòng chờ.', 'The sitting has not opened yet', {
        startsAt: me.sitting.startsAt,
      });
    }
    this.assertNotLate(candidateId, seat, me, part, now);
    const earlier = me.parts
      .slice(0, me.parts.indexOf(part))
      .find((p) => p.status !== 'exempt' && p.status !== 'submitted' && p.status !== 'barred');
    if (earlier) {
      throw new AppError(
        409,
        'PREVIOUS_PART_OPEN',
        `Hãy hoàn thành phần "${earlier.name}" trước`,
        'Finish the earlier part first',
      );
    }
    const paper = this.stmts
      .get('SELECT id FROM papers WHERE part_id = ? AND candidate_id = ?')
      .pluck()
      .get(partId, candidateId) as number | undefined;
    if (!paper)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    const sittingId = seat?.sittingId ?? 0;
    const row: StartRow = { candidateId, partId, sittingId, paperId: paper, at: now };
    await this.starts.enqueue(row);
    // the room closed between the check above and the COMMIT: the insert found the closure
    if (row.attemptId === undefined)
      throw new AppError(409, 'SITTING_CLOSED', 'Phòng thi vừa đóng; không thể bắt đầu phần thi.', 'The room has just closed');
    const examId = this.candidateRow(candidateId).examId;
    if (!this.runningExams.has(examId)) {
      moveExam(this.db, examId, 'running', { id: null, name: 'system' }, { firstAttempt: row.attemptId });
      this.runningExams.add(examId);
    }
    this.bus.emit('attemptStarted', { candidateId, attemptId: row.attemptId });
    this.bus.emit('candidateChanged', { candidateId });
    return row.attemptId;
  }

  /**
   * Late arrival (late-admission.ts): the first paper a candidate starts in a sitting is refused when
   * its clock started longer ago than the profile allows, unless the chair's decision to admit them is
   * recorded (proctor action `admit_late`).
   */
  private assertNotLate(
    candidateId: number,
    seat: ReturnType<DeliveryService['seat']>,
    me: { parts: { attemptId: number | null }[] },
    part: { partId: number },
    now: number,
  ) {
    if (me.parts.some((p) => p.attemptId)) return; // already arrived for an earlier paper
    if (!seat) return;
    const sitting = this.stmts
      .get(
        `SELECT s.starts_at AS startsAt, s.opened_at AS openedAt, s.part_ids AS partIds, o.opened_at AS roomOpenedAt, s.exam_id AS examId
           FROM sittings s LEFT JOIN seat_assignments sa ON sa.sitting_id = s.id AND sa.candidate_id = ?
           LEFT JOIN room_openings o ON o.sitting_id = s.id AND o.room_id = sa.room_id WHERE s.id = ?`,
      )
      .get(candidateId, seat.sittingId) as
      | { startsAt: string; openedAt: string | null; partIds: string; roomOpenedAt: number | null; examId: number }
      | undefined;
    if (!sitting) return;
    const info = this.examInfo(sitting.examId);
    // the clock of this paper starts after the earlier computer parts of the sitting
    let start = this.windowStart(sitting);
    for (const pid of JSON.parse(sitting.partIds) as number[]) {
      if (pid === part.partId) break;
      const earlier = info.parts.find((p) => p.id === pid);
      if (earlier?.mode === 'computer_mc') start += (earlier.durationMin ?? 0) * 60_000;
    }
    const duration = info.parts.find((p) => p.id === part.partId)?.durationMin ?? 0;
    const admittedByChair = !!this.stmts
      .get("SELECT 1 FROM incidents WHERE sitting_id = ? AND candidate_id = ? AND action = 'admit_late'")
      .get(seat.sittingId, candidateId);
    const late = lateArrival(info.profile, duration, now - start, admittedByChair);
    if (!late.admitted) throw lateRefusal(info.profile, late);
  }

  /** The paper as the candidate sees it (no key), with saved answers, flags and time. */
  attempt(candidateId: number, attemptId: number): AttemptDto {
    const a = this.owned(candidateId, attemptId);
    return {
      ...this.attemptMeta(candidateId, attemptId),
      // built per call, not kept: the papers of a whole sitting would otherwise stay in memory twice
      // (the routes serve the stored view instead: sealed.ts)
      questions: a.questions.map((q) => {
        const byId = new Map(q.content.options.map((o) => [o.id, o.text]));
        return { no: q.no, type: q.type, stem: q.content.stem, options: q.order.map((id) => ({ id, text: byId.get(id) ?? '' })) };
      }),
    };
  }

  /** Throws unless the attempt is the candidate's. */
  assertOwner(candidateId: number, attemptId: number): void {
    this.owned(candidateId, attemptId);
  }

  /** Everything of the attempt but its questions (those are the stored view: sealed.ts). */
  attemptMeta(candidateId: number, attemptId: number): Omit<AttemptDto, 'questions'> {
    const a = this.owned(candidateId, attemptId);
    const answers: Record<number, string[]> = {};
    let lastSeq = 0;
    for (const r of this.stmts.get('SELECT question_no AS no, choice, seq FROM answers WHERE attempt_id = ?').all(attemptId) as {
      no: number;
      choice: string;
      seq: number;
    }[]) {
      answers[r.no] = JSON.parse(r.choice) as string[];
      lastSeq = Math.max(lastSeq, r.seq);
    }
    const flags = this.stmts
      .get('SELECT question_no FROM attempt_flags WHERE attempt_id = ? ORDER BY question_no')
      .pluck()
      .all(attemptId) as number[];
    return {
      attemptId,
      partId: a.partId,
      partName: a.partName,
      answers,
      flags,
      lastSeq,
      timing: this.timing(attemptId),
    };
  }

  /** Validates and saves one answer; resolves with the ack only after the transaction committed. */
  async saveAnswer(candidateId: number, attemptId: number, body: AnswerBody): Promise<AnswerAck> {
    let a: AttemptCache;
    try {
      a = this.owned(candidateId, attemptId);
      this.lockdown?.assertUnlocked(candidateId);
    } catch (err) {
      const e = err as AppError;
      return { ok: false, code: e.code ?? 'INVALID', message: e.message, seq: body.seq };
    }
    const now = Date.now();
    const t = computeTiming(a.config, a.events, now);
    if (a.status === 'submitted' || t.state === 'submitted') {
      return { ok: false, code: 'ATTEMPT_SUBMITTED', message: 'Bài thi đã nộp; không thể sửa câu trả lời.', seq: body.seq };
    }
    if (t.state === 'waiting') return { ok: false, code: 'NOT_STARTED', message: 'Chưa đến giờ làm bài.', seq: body.seq };
    if (t.state === 'paused') return { ok: false, code: 'PAUSED', message: 'Bài thi đang tạm dừng.', seq: body.seq };
    if (t.deadline !== null && now > t.deadline + ANSWER_GRACE_MS) {
      return {
        ok: false,
        code: 'DEADLINE_PASSED',
        message: 'Đã hết giờ làm bài; câu trả lời không được ghi nhận.',
        seq: body.seq,
      };
    }
    const q = a.questions[body.questionNo - 1];
    if (!q) return { ok: false, code: 'QUESTION_INVALID', message: `Không có câu số ${body.questionNo}`, seq: body.seq };
    if (!questionType(q.type).isValidAnswer(q.content, body.choice)) {
      return { ok: false, code: 'CHOICE_INVALID', message: 'Lựa chọn không hợp lệ cho câu hỏi này', seq: body.seq };
    }
    const row: AnswerRow = {
      attemptId,
      questionNo: body.questionNo,
      choice: JSON.stringify(body.choice),
      seq: body.seq,
      savedAt: now,
    };
    let applied: boolean;
    try {
      applied = await this.answers.enqueue(row);
    } catch {
      return { ok: false, code: 'SAVE_FAILED', message: 'Chưa lưu được câu trả lời; hệ thống sẽ thử lại.', seq: body.seq };
    }
    this.bus.emit('answerCommitted', { candidateId, attemptId });
    if (!applied)
      return { ok: true, seq: body.seq, savedAt: now, applied, stored: this.storedAnswer(attemptId, body.questionNo) };
    return { ok: true, seq: body.seq, savedAt: now, applied };
  }

  /** The answer the server holds for a question (the ack of a refused older replay carries it). */
  private storedAnswer(attemptId: number, questionNo: number): { choice: string[]; seq: number } | undefined {
    const r = this.stmts
      .get('SELECT choice, seq FROM answers WHERE attempt_id = ? AND question_no = ?')
      .get(attemptId, questionNo) as { choice: string; seq: number } | undefined;
    if (!r) return undefined;
    const choice: unknown = JSON.parse(r.choice);
    return {
      choice: Array.isArray(choice) ? choice.filter((c): c is string => typeof c === 'string') : [],
      seq: r.seq,
    };
  }

  setFlag(candidateId: number, attemptId: number, questionNo: number, flagged: boolean): void {
    const a = this.owned(candidateId, attemptId);
    if (!a.questions[questionNo - 1])
      throw new AppError(400, 'QUESTION_INVALID', `Không có câu số ${questionNo}`, 'No such question');
    if (flagged)
      this.stmts.get('INSERT OR IGNORE INTO attempt_flags (attempt_id, question_no) VALUES (?, ?)').run(attemptId, questionNo);
    else this.stmts.get('DELETE FROM attempt_flags WHERE attempt_id = ? AND question_no = ?').run(attemptId, questionNo);
  }

  /** Grades and closes an attempt. Idempotent: a submitted attempt returns its stored result. */
  async submit(attemptId: number, reason: SubmitReason, actor?: Actor): Promise<SubmitResultDto> {
    const a = this.load(attemptId);
    await this.answers.flush(); // answers already acked are in the database
    const now = Date.now();
    // IMMEDIATE: it reads then writes while the answer writer thread commits on its own connection; a
    // deferred transaction would fail at once (SQLITE_BUSY_SNAPSHOT) instead of waiting for the lock
    const row = this.sqlite
      .transaction(() => {
        const cur = this.stmts.get('SELECT status, submitted_at AS submittedAt FROM attempts WHERE id = ?').get(attemptId) as {
          status: string;
          submittedAt: number | null;
        };
        if (cur.status === 'submitted') return null;
        const answers = new Map(
          (
            this.stmts.get('SELECT question_no AS no, choice FROM answers WHERE attempt_id = ?').all(attemptId) as {
              no: number;
              choice: string;
            }[]
          ).map((r) => [r.no, JSON.parse(r.choice) as string[]]),
        );
        // a key corrected during the sitting applies to the papers submitted after it, too
        const corrections = examCorrections(this.db, a.examId);
        const { correct, total, score, passed } = scoreAttempt(
          a.questions.map((q) => ({ ...q.content, versionId: q.versionId })),
          answers,
          { scoreScale: a.scoreScale, passRule: a.passRule, partialCredit: a.partialCredit },
          corrections,
        );
        this.stmts
          .get(
            "UPDATE attempts SET status = 'submitted', submitted_at = ?, submit_reason = ?, correct = ?, total = ?, score = ?, passed = ? WHERE id = ?",
          )
          .run(now, reason, correct, total, score, passed ? 1 : 0, attemptId);
        this.addEvent(attemptId, { kind: 'submit', at: now }, { reason });
        appendAudit(this.db, {
          actor: actor ?? { id: null, name: reason === 'deadline' ? 'system' : `candidate:${a.candidateId}` },
          action: 'attempt.submit',
          entity: 'attempt',
          entityId: attemptId,
          after: { correct, total, score, passed, reason },
        });
        return { correct, total, score, passed };
      })
      .immediate();
    a.status = 'submitted';
    const stored = this.stmts
      .get(
        'SELECT submitted_at AS submittedAt, submit_reason AS reason, correct, total, score, passed FROM attempts WHERE id = ?',
      )
      .get(attemptId) as {
      submittedAt: number;
      reason: SubmitReason;
      correct: number;
      total: number;
      score: number;
      passed: number;
    };
    const result: PartResultDto | null = a.showResult
      ? { correct: stored.correct, total: stored.total, score: stored.score, scale: a.scoreScale, passed: !!stored.passed }
      : null;
    const dto: SubmitResultDto = { attemptId, submittedAt: stored.submittedAt, reason: stored.reason, result };
    if (row) {
      this.bus.emit('attemptSubmitted', { candidateId: a.candidateId, result: dto });
      this.bus.emit('candidateChanged', { candidateId: a.candidateId });
    }
    return dto;
  }

  /** Submits every running attempt whose deadline (plus the replay grace) has passed. */
  async sweep(now = Date.now()): Promise<number> {
    const running = this.stmts.get("SELECT id FROM attempts WHERE status = 'running'").pluck().all() as number[];
    let n = 0;
    for (const id of running) {
      const a = this.load(id);
      if (now < a.nextCheck) continue; // nothing changed since its deadline was last computed
      const t = computeTiming(a.config, a.events, now);
      if (t.deadline !== null && now > t.deadline + ANSWER_GRACE_MS) {
        await this.submit(id, 'deadline');
        n++;
      } else if (t.state === 'running' && t.deadline !== null) {
        a.nextCheck = t.deadline + ANSWER_GRACE_MS + 1;
      } else {
        a.nextCheck = now + 1000; // waiting or paused: the deadline is not fixed yet
      }
    }
    return n;
  }

  /**
   * The server loop that submits expired attempts, connected or not. A sweep that fails (a full
   * disk, a locked database) is reported to `onError` and the next tick tries again: it must never
   * become an unhandled rejection, which would end the process in the middle of a sitting.
   */
  startLoop(intervalMs = 1000, onError: (err: unknown) => void = () => {}): void {
    if (this.timer) return;
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.sweep()
        .catch(onError)
        .finally(() => {
          busy = false;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.starts.close();
    await this.answers.close();
  }
}
