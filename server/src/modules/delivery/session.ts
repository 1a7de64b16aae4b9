import { type CandidateMeDto, type CandidatePartDto, roomState } from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { AppError } from '../../plugins/errors.js';
import { pinMatches } from '../exams/candidates.js';
import type { AttemptStore } from './attemptState.js';
import { type ExamInfoCache, sittingOpen } from './examInfo.js';
import { type DeliveryRepo, exemptibleByColumn, exemptionsColumn } from './repo.js';
import type { SignInLockout } from './signinLock.js';

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

/** A seat row with its room's lifecycle state. */
export type Seat = NonNullable<ReturnType<DeliverySession['seat']>>;

/** What a start needs besides the candidate's screen: the exam and who the candidate is. */
export interface CandidateView {
  dto: CandidateMeDto;
  examId: number;
}

/**
 * The candidate's session: sign-in (PIN, lock-out, one device), the rules, the seat and what the
 * candidate's screen shows (`me`).
 */
export class DeliverySession {
  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
    private readonly infos: ExamInfoCache,
    private readonly attempts: AttemptStore,
    private readonly bus: DomainEventBus,
    private readonly signInLock: SignInLockout,
  ) {}

  /**
   * Refuses a candidate kept on the list as not eligible (issue 13: imported with keepIneligible,
   * or the board's override): the sign-in and every part's start refuse them. A candidate without a
   * record is not refused here (as exams/eligibilityGate.ts).
   */
  assertMaySit(candidateId: number): void {
    if (this.repo.eligibility(candidateId) === 'not_eligible')
      throw new AppError(
        403,
        'NOT_ELIGIBLE',
        'Thí sinh có tên trong danh sách nhưng không đủ điều kiện dự thi (theo hồ sơ xét điều kiện của Hội đồng thi) nên không được làm bài. Nếu có văn bản bổ sung, hãy liên hệ Hội đồng thi.',
        'This candidate is on the list as not eligible to sit (the board’s eligibility record) and may not sit the exam. Contact the exam board if you have further documents.',
      );
  }

  /** Checks number + PIN and binds the device: one active device per candidate unless a move was allowed. */
  async login(
    number: string,
    pin: string,
    deviceId: string,
    ip: string,
    userAgent: string,
  ): Promise<{ candidateId: number; replacedDevice: boolean }> {
    const c = await this.repo.signInCandidate(number.trim().toUpperCase());
    if (!c) throw badCredentials();
    this.signInLock.check(c.id);
    if (!pinMatches(c.secret, c.id, pin.trim(), c.pinHash)) {
      if ((await this.signInLock.failed(c.id)) !== null) this.bus.emit('candidateChanged', { candidateId: c.id });
      throw badCredentials();
    }
    if (await this.signInLock.clear(c.id)) this.bus.emit('candidateChanged', { candidateId: c.id });
    // the right PIN for an exam that is over: say so, and where to look the result up
    if (c.status === 'published')
      throw new AppError(
        409,
        'EXAM_PUBLISHED',
        'Kỳ thi đã kết thúc và kết quả đã được công bố. Bạn có thể tra cứu kết quả tại trang "Tra cứu kết quả" (/tra-cuu-ket-qua) bằng số báo danh và mã PIN.',
        'The exam is over and its results are published. Look your result up at /tra-cuu-ket-qua with your number and PIN.',
        { lookup: '/tra-cuu-ket-qua' },
      );
    this.assertMaySit(c.id);
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
    const dev = await this.repo.device(c.id);
    const now = Date.now();
    const ua = userAgent.slice(0, 300);
    if (!dev) {
      await transaction(this.db, () => this.repo.bindDevice(c.id, deviceId, ip, ua, now));
      this.bus.emit('candidateChanged', { candidateId: c.id });
      return { candidateId: c.id, replacedDevice: false };
    }
    if (dev.deviceId === deviceId) {
      this.bus.emit('candidateChanged', { candidateId: c.id });
      return { candidateId: c.id, replacedDevice: false };
    }
    if (!dev.moveAllowed) {
      this.bus.emit('deviceRefused', { candidateId: c.id, ip });
      throw deviceLocked(await this.repo.hasAttempt(c.id));
    }
    await transaction(this.db, async () => {
      await this.repo.rebindDevice(c.id, deviceId, ip, ua, now);
      for (const id of await this.repo.runningAttemptIds(c.id))
        await this.attempts.addEvent(id, { kind: 'device_switch', at: now }, { deviceId });
    });
    this.bus.emit('deviceReplaced', { candidateId: c.id });
    this.bus.emit('candidateChanged', { candidateId: c.id });
    return { candidateId: c.id, replacedDevice: true };
  }

  /**
   * An invigilator allows the candidate to continue on another PC: the current device is cut off at
   * once (its session no longer matches), and the next sign-in, from any PC, takes over the attempt.
   */
  async allowMove(candidateId: number): Promise<boolean> {
    const changed = await transaction(this.db, () => this.repo.allowMove(candidateId));
    const moved = changed || (await this.repo.device(candidateId))?.moveAllowed === true;
    if (changed) this.bus.emit('deviceReplaced', { candidateId });
    this.bus.emit('candidateChanged', { candidateId });
    return moved;
  }

  /** The device the candidate is bound to now. */
  activeDevice(candidateId: number): string | null {
    return this.repo.activeDevice(candidateId);
  }

  async acknowledgeRules(candidateId: number): Promise<void> {
    const now = Date.now();
    await transaction(this.db, () => this.repo.acknowledgeRules(candidateId, now));
    this.bus.emit('candidateChanged', { candidateId });
  }

  // ---------- what the candidate sees ----------

  private candidateRow(candidateId: number) {
    const c = this.repo.candidate(candidateId);
    if (!c) throw new AppError(401, 'AUTH_REQUIRED', 'Phiên đăng nhập không hợp lệ', 'Invalid session');
    return c;
  }

  /**
   * The candidate's sitting with room and seat: the first (by time) whose room has not closed, or
   * the last one when every room has; with the room's lifecycle state.
   */
  seat(candidateId: number) {
    const rows = this.repo.seats(candidateId);
    const now = Date.now();
    const withState = rows.map((r) => ({
      ...r,
      state: roomState({ ...r, sittingOpenedAt: r.openedAt, sealed: r.sealed === 1 }, now),
    }));
    return withState.find((r) => r.state !== 'closed' && r.state !== 'sealed') ?? withState[withState.length - 1];
  }

  /** Suspended (đình chỉ thi), and whether the profile bars the later parts (NOT FOUND: barred until the board says otherwise). */
  suspension(candidateId: number, examId: number): { suspended: boolean; barsLater: boolean; reason: string | null } {
    const reason = this.repo.suspensionReason(candidateId);
    if (reason === null) return { suspended: false, barsLater: false, reason: null };
    const rule = this.infos.get(examId).profile.sanctions.find((r) => r.code === 'dinh_chi');
    return { suspended: true, barsLater: rule?.barsLaterParts !== false, reason };
  }

  /** `s`: the candidate's seat when the caller has already read it (a start reads it once). */
  me(candidateId: number, s: Seat | undefined = this.seat(candidateId)): CandidateMeDto {
    return this.view(candidateId, s).dto;
  }

  /** The candidate's screen, and the exam it belongs to (the start needs both). */
  view(candidateId: number, s: Seat | undefined): CandidateView {
    const now = Date.now();
    const c = this.candidateRow(candidateId);
    const info = this.infos.get(c.examId);
    const e = info.examRow;
    const profile = info.profile;
    const exemptions = exemptionsColumn.parse(c.exemptions);
    const susp = this.suspension(candidateId, c.examId);
    const parts: CandidatePartDto[] = [];
    if (s) {
      const examParts = info.parts;
      // every attempt of the candidate in one lookup (not one per part)
      const attempts = new Map(this.repo.candidateAttempts(candidateId).map((a) => [a.partId, a]));
      for (const partId of this.infos.partIds(s.partIds)) {
        const known = info.partRows.get(partId);
        const p = known ?? this.infos.partRow(partId);
        if (p.mode !== 'computer_mc') continue;
        const dto = examParts.find((x) => x.id === partId);
        const exemptibleBy = (known && info.exemptibleBy.get(partId)) ?? exemptibleByColumn.parse(p.exemptibleBy);
        const exempt = exemptibleBy.some((x) => exemptions.includes(x));
        const a = attempts.get(partId);
        let status: CandidatePartDto['status'] = exempt ? 'exempt' : susp.barsLater ? 'barred' : 'not_started';
        if (a) status = a.status === 'submitted' ? 'submitted' : partStatus(this.attempts.timing(a.id, now).state);
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
    const dto: CandidateMeDto = {
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
            opened: sittingOpen(s, now),
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
    return { dto, examId: c.examId };
  }
}

/**
 * A running attempt's clock state as the part's status ('waiting', a fixed window not yet open, goes
 * out as it is, as before; the response schema names it).
 */
function partStatus(state: ReturnType<AttemptStore['timing']>['state']): CandidatePartDto['status'] {
  return state as CandidatePartDto['status'];
}
