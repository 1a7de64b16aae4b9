import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { AppError } from '../../plugins/errors.js';
import { moveExam } from '../lifecycle/state.js';
import type { AttemptStore } from './attemptState.js';
import { type ExamInfoCache, partWindowStart } from './examInfo.js';
import { lateArrival, lateRefusal } from './late-admission.js';
import type { DeliveryRepo } from './repo.js';
import type { DeliverySession, Seat } from './session.js';

interface StartRow {
  candidateId: number;
  partId: number;
  sittingId: number;
  paperId: number;
  at: number;
}

type Started = { id: number; created: boolean } | undefined;

interface Waiting {
  row: StartRow;
  resolve: (r: Started) => void;
  reject: (err: unknown) => void;
}

/** Largest number of starts in one transaction. */
const MAX_BATCH = 1000;
/** How long the first waiting start waits for company (a sitting's opening is a burst). */
const MAX_DELAY_MS = 2;

/**
 * Attempts started in the same few milliseconds share one transaction, so one COMMIT (the opening
 * of a sitting is a burst of starts). A start's promise resolves once its COMMIT is on disk.
 */
class StartBatch {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
  ) {}

  enqueue(row: StartRow): Promise<Started> {
    if (this.closed) return Promise.reject(new Error('the start queue is closed'));
    return new Promise<Started>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (this.timer === null && this.running === null) this.timer = setTimeout(() => this.drain(), MAX_DELAY_MS);
    });
  }

  private drain(): void {
    this.timer = null;
    if (this.running || this.waiting.length === 0) return;
    this.running = this.writeAll().finally(() => {
      this.running = null;
      // a start enqueued after the loop's last look (while it was finishing) is not left waiting
      if (this.waiting.length > 0 && this.timer === null) this.timer = setTimeout(() => this.drain(), MAX_DELAY_MS);
    });
  }

  /** Writes what waits, one transaction per MAX_BATCH starts, until nothing waits. */
  private async writeAll(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const ids = await transaction(this.db, () => this.repo.insertAttempts(batch.map((w) => w.row)));
        for (const [i, w] of batch.entries()) w.resolve(ids[i]);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.waiting.length > 0 && !this.running) this.drain();
    await this.running;
  }
}

/** Starting a part: every check a start makes, then the attempt (or the one already started). */
export class AttemptStarter {
  private readonly batch: StartBatch;
  /** exams known to have left 'ready' (the first attempt moves them to 'running') */
  private readonly runningExams = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
    private readonly infos: ExamInfoCache,
    private readonly session: DeliverySession,
    private readonly attempts: AttemptStore,
    private readonly bus: DomainEventBus,
  ) {
    this.batch = new StartBatch(db, repo);
  }

  /** Starts the part (or finds the attempt already started) and returns the attempt's id. */
  async startAttempt(candidateId: number, partId: number): Promise<number> {
    const now = Date.now();
    // the seat (with its room's state) is read once for the whole start
    const seat = this.session.seat(candidateId);
    const { dto: me, examId } = this.session.view(candidateId, seat);
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
    this.session.assertMaySit(candidateId);
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
    if (seat && !me.parts.some((p) => p.attemptId)) this.assertNotLate(candidateId, seat, partId, now);
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
    const paper = this.repo.paperId(partId, candidateId);
    if (!paper)
      throw new AppError(409, 'PAPER_MISSING', 'Chưa có đề thi cho thí sinh. Hãy báo giám thị.', 'No paper for this candidate');
    const sittingId = seat?.sittingId ?? 0;
    const started = await this.batch.enqueue({ candidateId, partId, sittingId, paperId: paper, at: now });
    // the room closed between the check above and the COMMIT: the insert found the closure
    if (started === undefined)
      throw new AppError(409, 'SITTING_CLOSED', 'Phòng thi vừa đóng; không thể bắt đầu phần thi.', 'The room has just closed');
    // the attempt's clock as load() would read it back: its start event, and the sitting this start read
    if (started.created && seat) this.attempts.seed({ id: started.id, examId, candidateId, partId, at: now }, seat);
    if (!this.runningExams.has(examId)) {
      await transaction(this.db, () => {
        moveExam(this.db, examId, 'running', { id: null, name: 'system' }, { firstAttempt: started.id });
      });
      this.runningExams.add(examId);
    }
    this.bus.emit('attemptStarted', { candidateId, attemptId: started.id });
    this.bus.emit('candidateChanged', { candidateId });
    return started.id;
  }

  /**
   * Late arrival (late-admission.ts): the first paper a candidate starts in a sitting is refused when
   * its clock started longer ago than the profile allows, unless the chair's decision to admit them is
   * recorded (proctor action `admit_late`). The seat read by the start holds the sitting's clock.
   */
  private assertNotLate(candidateId: number, seat: Seat, partId: number, now: number): void {
    const info = this.infos.get(seat.examId);
    // the clock of this paper starts after the earlier computer parts of the sitting
    const start = partWindowStart(seat, this.infos.partIds(seat.partIds), partId, info.parts);
    const duration = info.parts.find((p) => p.id === partId)?.durationMin ?? 0;
    let late = lateArrival(info.profile, duration, now - start, false);
    // the chair's decision matters only to a candidate the bands do not admit
    if (!late.admitted)
      late = lateArrival(info.profile, duration, now - start, this.repo.chairAdmitted(seat.sittingId, candidateId));
    if (!late.admitted) throw lateRefusal(info.profile, late);
  }

  close(): Promise<void> {
    return this.batch.close();
  }
}
