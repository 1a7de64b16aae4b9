import type { FocusPolicy, LockdownBody, LockdownReport, LockdownSettingsDto, SeatLockdown } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { AppError } from '../../plugins/errors.js';
import { configKey, examSebConfig, requestHash, type SebConfig, sameHash, sebFile } from './seb.js';

interface SettingsRow {
  sebRequired: number;
  sebStartUrl: string | null;
  focusPolicy: string;
  focusLimit: number;
}

/** What a request carries for the SEB check: its absolute URL, SEB's header, or the JavaScript API's values. */
export interface SebProof {
  url: string;
  headerHash: string | undefined;
  /** `SafeExamBrowser.security.configKey` and the page address it was computed for */
  jsHash: string | undefined;
  jsPage: string | undefined;
}

const sebRequired = () =>
  new AppError(
    403,
    'SEB_REQUIRED',
    'Kỳ thi này chỉ làm bài được trong Safe Exam Browser với cấu hình của Hội đồng thi. Hãy mở tệp .seb do cán bộ kỹ thuật cung cấp.',
    'This exam must be taken in Safe Exam Browser with the board’s configuration (open the .seb file).',
  );

const sebMismatch = () =>
  new AppError(
    403,
    'SEB_CONFIG_MISMATCH',
    'Safe Exam Browser đang dùng cấu hình khác với cấu hình của kỳ thi này. Hãy mở lại đúng tệp .seb của kỳ thi.',
    'Safe Exam Browser is running another configuration than this exam’s (open the exam’s .seb file again).',
  );

/**
 * Lockdown of an exam (issue 19): the SEB requirement and its Config Key, focus losses and
 * full-screen exits reported by the candidate page (warnings on the seat map, and under the
 * `unlock` policy a lock an invigilator lifts), and extra time granted to a candidate.
 */
export class LockdownService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
  private readonly cache = new Map<number, { dto: LockdownSettingsDto; config: SebConfig | null; at: number }>();
  private readonly examOf = new Map<number, number>();

  constructor(private readonly db: Db) {
    this.sqlite = db.$client;
    this.stmts = new StatementCache(db.$client);
  }

  // ---------- settings ----------

  private load(examId: number) {
    const hit = this.cache.get(examId);
    if (hit && Date.now() - hit.at < 5_000) return hit;
    const r = this.stmts
      .get(
        `SELECT seb_required AS sebRequired, seb_start_url AS sebStartUrl, focus_policy AS focusPolicy, focus_limit AS focusLimit
           FROM exam_lockdown WHERE exam_id = ?`,
      )
      .get(examId) as SettingsRow | undefined;
    const config = r?.sebStartUrl ? examSebConfig(r.sebStartUrl) : null;
    const dto: LockdownSettingsDto = {
      examId,
      sebRequired: !!r?.sebRequired,
      sebStartUrl: r?.sebStartUrl ?? null,
      sebConfigKey: config ? configKey(config) : null,
      focusPolicy: r?.focusPolicy === 'unlock' ? 'unlock' : 'warn',
      focusLimit: r?.focusLimit ?? 3,
    };
    const entry = { dto, config, at: Date.now() };
    this.cache.set(examId, entry);
    return entry;
  }

  settings(examId: number): LockdownSettingsDto {
    if (!this.stmts.get('SELECT 1 FROM exams WHERE id = ?').get(examId))
      throw new AppError(404, 'EXAM_NOT_FOUND', 'Không tìm thấy kỳ thi', 'Exam not found');
    return this.load(examId).dto;
  }

  /** The board sets the lockdown of an exam; `origin` (the board's own address) gives the default SEB start page. */
  update(actor: Actor, examId: number, body: LockdownBody, origin: string): LockdownSettingsDto {
    const before = this.settings(examId);
    let startUrl = body.sebStartUrl === undefined ? before.sebStartUrl : body.sebStartUrl;
    if (startUrl) {
      let u: URL;
      try {
        u = new URL(startUrl);
      } catch {
        throw new AppError(
          400,
          'SEB_START_URL_INVALID',
          'Địa chỉ trang làm bài không hợp lệ',
          'The start URL is not a valid address',
        );
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new AppError(
          400,
          'SEB_START_URL_INVALID',
          'Địa chỉ trang làm bài phải bắt đầu bằng http:// hoặc https://',
          'The start URL must be http(s)',
        );
      startUrl = u.href;
    }
    const sebOn = body.sebRequired ?? before.sebRequired;
    if (sebOn && !startUrl) startUrl = `${origin}/thi-sinh`;
    const policy: FocusPolicy = body.focusPolicy ?? before.focusPolicy;
    const limit = body.focusLimit ?? before.focusLimit;
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `INSERT INTO exam_lockdown (exam_id, seb_required, seb_start_url, focus_policy, focus_limit, updated_by, updated_at)
           VALUES (@examId, @seb, @url, @policy, @limit, @by, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
           ON CONFLICT(exam_id) DO UPDATE SET seb_required = @seb, seb_start_url = @url, focus_policy = @policy,
             focus_limit = @limit, updated_by = @by, updated_at = excluded.updated_at`,
        )
        .run({ examId, seb: sebOn ? 1 : 0, url: startUrl, policy, limit, by: actor.id });
      this.cache.delete(examId);
      const after = this.load(examId).dto;
      appendAudit(this.db, { actor, action: 'exam.lockdown.update', entity: 'exam', entityId: examId, before, after });
    })();
    return this.load(examId).dto;
  }

  /** The exam's `.seb` file (unencrypted XML property list) and its Config Key. */
  sebDownload(examId: number): { file: string; configKey: string } {
    this.settings(examId);
    const { config, dto } = this.load(examId);
    if (!config || !dto.sebConfigKey)
      throw new AppError(
        409,
        'SEB_NOT_CONFIGURED',
        'Chưa bật Safe Exam Browser cho kỳ thi này',
        'Safe Exam Browser is not set up for this exam',
      );
    return { file: sebFile(config), configKey: dto.sebConfigKey };
  }

  // ---------- the SEB check ----------

  examOfCandidate(candidateId: number): number | null {
    const hit = this.examOf.get(candidateId);
    if (hit !== undefined) return hit;
    const examId = this.stmts.get('SELECT exam_id FROM candidates WHERE id = ?').pluck().get(candidateId) as number | undefined;
    if (examId === undefined) return null;
    if (this.examOf.size > 100_000) this.examOf.clear();
    this.examOf.set(candidateId, examId);
    return examId;
  }

  /** Exams whose candidates carry this number (one in practice: numbers start with the exam's code). */
  examsOfNumber(number: string): number[] {
    return this.stmts
      .get('SELECT DISTINCT exam_id FROM candidates WHERE number = ?')
      .pluck()
      .all(number.toUpperCase()) as number[];
  }

  /**
   * Refuses a candidate's request (or socket handshake) for an exam that requires SEB unless SEB's
   * header hash is SHA-256(request URL + Config Key), or the JavaScript API's hash fits the page
   * address it names, which must be on the same server as the request.
   */
  checkSeb(examId: number, proof: SebProof): void {
    const { dto } = this.load(examId);
    if (!dto.sebRequired) return;
    const key = dto.sebConfigKey;
    if (!key) throw sebRequired();
    if (proof.headerHash) {
      if (sameHash(proof.headerHash, requestHash(proof.url, key))) return;
      throw sebMismatch();
    }
    if (proof.jsHash && proof.jsPage) {
      let page: URL;
      try {
        page = new URL(proof.jsPage);
      } catch {
        throw sebMismatch();
      }
      if (page.origin !== new URL(proof.url).origin) throw sebMismatch();
      if (sameHash(proof.jsHash, requestHash(proof.jsPage, key))) return;
      throw sebMismatch();
    }
    throw sebRequired();
  }

  // ---------- focus losses and full-screen exits ----------

  private counts(candidateId: number): { focusLosses: number; fullscreenExits: number; sinceUnlock: number } {
    return this.stmts
      .get(
        `SELECT COALESCE(SUM(kind = 'blur'), 0) AS focusLosses, COALESCE(SUM(kind = 'fullscreen_exit'), 0) AS fullscreenExits,
                COALESCE(SUM(kind <> 'unlock' AND id > COALESCE((SELECT MAX(id) FROM lockdown_events WHERE candidate_id = @c AND kind = 'unlock'), 0)), 0) AS sinceUnlock
           FROM lockdown_events WHERE candidate_id = @c`,
      )
      .get({ c: candidateId }) as { focusLosses: number; fullscreenExits: number; sinceUnlock: number };
  }

  /** The candidate's counts and whether the paper is locked until an invigilator unlocks it. */
  state(candidateId: number): SeatLockdown {
    const c = this.counts(candidateId);
    const examId = this.examOfCandidate(candidateId);
    const s = examId === null ? null : this.load(examId).dto;
    const locked = !!s && s.focusPolicy === 'unlock' && c.sinceUnlock >= s.focusLimit;
    return {
      focusLosses: c.focusLosses,
      fullscreenExits: c.fullscreenExits,
      locked,
      extraMinutes: this.extraMinutes(candidateId),
    };
  }

  /** The candidate page reports that it lost the focus or left full screen. */
  report(candidateId: number, body: LockdownReport): SeatLockdown {
    const attemptId = this.stmts
      .get("SELECT id FROM attempts WHERE candidate_id = ? AND status = 'running' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get(candidateId) as number | undefined;
    this.stmts
      .get('INSERT INTO lockdown_events (candidate_id, attempt_id, kind, at) VALUES (?, ?, ?, ?)')
      .run(candidateId, attemptId ?? null, body.kind, Date.now());
    return this.state(candidateId);
  }

  /** An invigilator lifts the lock (recorded in the minutes by the caller). */
  unlock(candidateId: number): { locked: boolean; focusLosses: number; fullscreenExits: number } {
    const s = this.state(candidateId);
    if (!s.locked)
      throw new AppError(409, 'NOT_FOCUS_LOCKED', 'Bài thi của thí sinh này không bị khóa', 'This paper is not locked');
    this.stmts
      .get("INSERT INTO lockdown_events (candidate_id, attempt_id, kind, at) VALUES (?, NULL, 'unlock', ?)")
      .run(candidateId, Date.now());
    return { locked: true, focusLosses: s.focusLosses, fullscreenExits: s.fullscreenExits };
  }

  /** Refuses an answer while the paper is locked after too many focus losses. */
  assertUnlocked(candidateId: number): void {
    const examId = this.examOfCandidate(candidateId);
    if (examId === null || this.load(examId).dto.focusPolicy !== 'unlock') return;
    if (this.state(candidateId).locked)
      throw new AppError(
        423,
        'FOCUS_LOCKED',
        'Bài thi tạm khóa vì rời khỏi màn hình làm bài quá số lần cho phép. Hãy báo giám thị để mở khóa.',
        'The paper is locked after too many focus losses: ask the invigilator to unlock it',
      );
  }

  // ---------- extra time ----------

  extraMinutes(candidateId: number): number {
    return (
      (this.stmts.get('SELECT extra_minutes FROM candidate_accommodations WHERE candidate_id = ?').pluck().get(candidateId) as
        | number
        | undefined) ?? 0
    );
  }

  accommodations(
    examId: number,
  ): { candidateId: number; number: string; fullName: string; extraMinutes: number; reason: string }[] {
    return this.stmts
      .get(
        `SELECT c.id AS candidateId, c.number, c.full_name AS fullName, a.extra_minutes AS extraMinutes, a.reason
           FROM candidate_accommodations a JOIN candidates c ON c.id = a.candidate_id WHERE c.exam_id = ? ORDER BY c.number`,
      )
      .all(examId) as { candidateId: number; number: string; fullName: string; extraMinutes: number; reason: string }[];
  }

  /**
   * The board grants extra time to a candidate, with its reason, before the candidate starts any
   * part (the deadline of a started paper is fixed; later changes go through the invigilator's
   * extension, which the minutes record). 0 minutes removes the accommodation. Audited.
   */
  setAccommodation(actor: Actor, examId: number, candidateId: number, minutes: number, reason: string) {
    const c = this.stmts.get('SELECT id, number FROM candidates WHERE id = ? AND exam_id = ?').get(candidateId, examId) as
      | { id: number; number: string }
      | undefined;
    if (!c) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Không tìm thấy thí sinh', 'Candidate not found');
    const text = reason.trim();
    if (!text) throw new AppError(400, 'REASON_REQUIRED', 'Hãy ghi lý do cộng thêm thời gian', 'A reason is required');
    if (this.stmts.get('SELECT 1 FROM attempts WHERE candidate_id = ? LIMIT 1').get(candidateId))
      throw new AppError(
        409,
        'ALREADY_STARTED',
        'Thí sinh đã bắt đầu làm bài: thời gian cộng thêm phải đặt trước ca thi (trong ca thi, giám thị cộng giờ và ghi biên bản)',
        'The candidate has started: extra time is set before the sitting (during it, the invigilator extends time)',
      );
    const before = this.stmts
      .get('SELECT extra_minutes AS extraMinutes, reason FROM candidate_accommodations WHERE candidate_id = ?')
      .get(candidateId) as { extraMinutes: number; reason: string } | undefined;
    this.sqlite.transaction(() => {
      if (minutes === 0) this.sqlite.prepare('DELETE FROM candidate_accommodations WHERE candidate_id = ?').run(candidateId);
      else
        this.sqlite
          .prepare(
            `INSERT INTO candidate_accommodations (candidate_id, extra_minutes, reason, set_by) VALUES (?, ?, ?, ?)
             ON CONFLICT(candidate_id) DO UPDATE SET extra_minutes = excluded.extra_minutes, reason = excluded.reason,
               set_by = excluded.set_by, set_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
          )
          .run(candidateId, minutes, text, actor.id);
      appendAudit(this.db, {
        actor,
        action: 'candidate.accommodation',
        entity: 'candidate',
        entityId: candidateId,
        before: before ?? null,
        after: minutes === 0 ? null : { extraMinutes: minutes, reason: text },
      });
    })();
    return { candidateId, number: c.number, extraMinutes: minutes, reason: text };
  }
}
