import type { FocusPolicy, LockdownBody, LockdownReport, LockdownSettingsDto, SeatLockdown } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError } from '../../plugins/errors.js';
import { LockdownRepo } from './repo.js';
import { configKey, examSebConfig, requestHash, type SebConfig, sameHash, sebFile } from './seb.js';

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
  private readonly repo: LockdownRepo;
  private readonly cache = new Map<number, { dto: LockdownSettingsDto; config: SebConfig | null; at: number }>();
  private readonly examOf = new Map<number, number>();

  constructor(private readonly db: Db) {
    this.repo = new LockdownRepo(db);
  }

  // ---------- settings ----------

  private load(examId: number) {
    const hit = this.cache.get(examId);
    if (hit && Date.now() - hit.at < 5_000) return hit;
    const r = this.repo.settingsSync(examId);
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

  async settings(examId: number): Promise<LockdownSettingsDto> {
    if (!(await this.repo.examExists(examId)))
      throw new AppError(404, 'EXAM_NOT_FOUND', 'Không tìm thấy kỳ thi', 'Exam not found');
    return this.load(examId).dto;
  }

  /** The board sets the lockdown of an exam; `origin` (the board's own address) gives the default SEB start page. */
  async update(actor: Actor, examId: number, body: LockdownBody, origin: string): Promise<LockdownSettingsDto> {
    const before = await this.settings(examId);
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
    await transaction(this.db, async () => {
      await this.repo.upsertSettings({
        examId,
        sebRequired: sebOn,
        sebStartUrl: startUrl,
        focusPolicy: policy,
        focusLimit: limit,
        updatedBy: actor.id,
      });
      this.cache.delete(examId);
      const after = this.load(examId).dto;
      appendAudit(this.db, { actor, action: 'exam.lockdown.update', entity: 'exam', entityId: examId, before, after });
    }).catch((err: unknown) => {
      // a rolled-back change must not stay in the cache
      this.cache.delete(examId);
      throw err;
    });
    return this.load(examId).dto;
  }

  /** The exam's `.seb` file (unencrypted XML property list) and its Config Key. */
  async sebDownload(examId: number): Promise<{ file: string; configKey: string }> {
    await this.settings(examId);
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
    const examId = this.repo.examOfCandidateSync(candidateId);
    if (examId === undefined) return null;
    if (this.examOf.size > 100_000) this.examOf.clear();
    this.examOf.set(candidateId, examId);
    return examId;
  }

  /** Exams whose candidates carry this number (one in practice: numbers start with the exam's code). */
  examsOfNumber(number: string): number[] {
    return this.repo.examsOfNumberSync(number.toUpperCase());
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
    return this.repo.countsSync(candidateId);
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
  async report(candidateId: number, body: LockdownReport): Promise<SeatLockdown> {
    await transaction(this.db, async () => {
      const attemptId = await this.repo.runningAttempt(candidateId);
      await this.repo.insertEvent(candidateId, attemptId, body.kind, Date.now());
    });
    return this.state(candidateId);
  }

  /**
   * An invigilator lifts the lock (recorded in the minutes by the caller). Synchronous: the
   * invigilator's action calls it inside the transaction that records its minutes.
   */
  unlock(candidateId: number): { locked: boolean; focusLosses: number; fullscreenExits: number } {
    const s = this.state(candidateId);
    if (!s.locked)
      throw new AppError(409, 'NOT_FOCUS_LOCKED', 'Bài thi của thí sinh này không bị khóa', 'This paper is not locked');
    this.repo.insertUnlockSync(candidateId, Date.now());
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
    return this.repo.extraMinutesSync(candidateId);
  }

  accommodations(
    examId: number,
  ): Promise<{ candidateId: number; number: string; fullName: string; extraMinutes: number; reason: string }[]> {
    return this.repo.accommodations(examId);
  }

  /**
   * The board grants extra time to a candidate, with its reason, before the candidate starts any
   * part (the deadline of a started paper is fixed; later changes go through the invigilator's
   * extension, which the minutes record). 0 minutes removes the accommodation. Audited.
   */
  async setAccommodation(actor: Actor, examId: number, candidateId: number, minutes: number, reason: string) {
    const c = await this.repo.candidateOfExam(examId, candidateId);
    if (!c) throw new AppError(404, 'CANDIDATE_NOT_FOUND', 'Không tìm thấy thí sinh', 'Candidate not found');
    const text = reason.trim();
    if (!text) throw new AppError(400, 'REASON_REQUIRED', 'Hãy ghi lý do cộng thêm thời gian', 'A reason is required');
    await transaction(this.db, async () => {
      if (await this.repo.hasAttempt(candidateId))
        throw new AppError(
          409,
          'ALREADY_STARTED',
          'Thí sinh đã bắt đầu làm bài: thời gian cộng thêm phải đặt trước ca thi (trong ca thi, giám thị cộng giờ và ghi biên bản)',
          'The candidate has started: extra time is set before the sitting (during it, the invigilator extends time)',
        );
      const before = await this.repo.accommodation(candidateId);
      if (minutes === 0) await this.repo.removeAccommodation(candidateId);
      else await this.repo.setAccommodation(candidateId, minutes, text, actor.id);
      appendAudit(this.db, {
        actor,
        action: 'candidate.accommodation',
        entity: 'candidate',
        entityId: candidateId,
        before: before ?? null,
        after: minutes === 0 ? null : { extraMinutes: minutes, reason: text },
      });
    });
    return { candidateId, number: c.number, extraMinutes: minutes, reason: text };
  }
}
