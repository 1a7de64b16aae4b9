import { computeTiming, type PartResultDto, type SubmitReason, type SubmitResultDto, scoreAttempt } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError } from '../../db/json.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { examCorrections } from '../results/repo.js';
import { ANSWER_GRACE_MS, type AnswerQueue } from './answers.js';
import type { AttemptStore } from './attemptState.js';
import { choiceColumn, type DeliveryRepo } from './repo.js';

const SUBMIT_REASONS: readonly SubmitReason[] = ['candidate', 'deadline', 'invigilator', 'suspended'];
function submitReasonOf(v: string | null): SubmitReason {
  const r = SUBMIT_REASONS.find((x) => x === v);
  if (!r) throw new CorruptColumnError('attempts.submit_reason', String(v));
  return r;
}

/** Grading and closing attempts: the candidate's submit, the invigilator's, and the deadline sweep. */
export class Submitter {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
    private readonly attempts: AttemptStore,
    private readonly bus: DomainEventBus,
    private readonly queue: AnswerQueue,
  ) {}

  /** Grades and closes an attempt. Idempotent: a submitted attempt returns its stored result. */
  async submit(attemptId: number, reason: SubmitReason, actor?: Actor): Promise<SubmitResultDto> {
    const a = this.attempts.load(attemptId);
    const questions = this.attempts.questions(a);
    await this.queue.flush(); // answers already acked are in the database
    const now = Date.now();
    // IMMEDIATE (transaction()): it reads then writes while the answer writer thread commits on its
    // own connection; a deferred transaction would fail at once instead of waiting for the lock
    const row = await transaction(this.db, async () => {
      const cur = await this.repo.submission(attemptId);
      if (!cur || cur.status === 'submitted') return null;
      const answers = new Map(this.repo.answers(attemptId).map((r) => [r.no, choiceColumn.parse(r.choice)]));
      // a key corrected during the sitting applies to the papers submitted after it, too
      const corrections = examCorrections(this.db, a.examId);
      const { correct, total, score, passed } = scoreAttempt(
        questions.map((q) => ({ ...q.content, versionId: q.versionId })),
        answers,
        { scoreScale: a.scoreScale, passRule: a.passRule, partialCredit: a.partialCredit },
        corrections,
      );
      await this.repo.markSubmitted(attemptId, { at: now, reason, correct, total, score, passed });
      await this.attempts.addEvent(attemptId, { kind: 'submit', at: now }, { reason });
      appendAudit(this.db, {
        actor: actor ?? { id: null, name: reason === 'deadline' ? 'system' : `candidate:${a.candidateId}` },
        action: 'attempt.submit',
        entity: 'attempt',
        entityId: attemptId,
        after: { correct, total, score, passed, reason },
      });
      return { correct, total, score, passed };
    });
    a.status = 'submitted';
    const stored = await this.repo.submission(attemptId);
    if (!stored || stored.submittedAt === null)
      throw new CorruptColumnError('attempts.submitted_at', `attempt ${attemptId} has no submission`);
    const result: PartResultDto | null = a.showResult
      ? {
          correct: stored.correct ?? 0,
          total: stored.total ?? 0,
          score: stored.score ?? 0,
          scale: a.scoreScale,
          passed: !!stored.passed,
        }
      : null;
    const dto: SubmitResultDto = { attemptId, submittedAt: stored.submittedAt, reason: submitReasonOf(stored.reason), result };
    if (row) {
      this.bus.emit('attemptSubmitted', { candidateId: a.candidateId, result: dto });
      this.bus.emit('candidateChanged', { candidateId: a.candidateId });
    }
    return dto;
  }

  /** Submits every running attempt whose deadline (plus the replay grace) has passed. */
  async sweep(now = Date.now()): Promise<number> {
    const running = await this.repo.runningIds();
    let n = 0;
    for (const id of running) {
      const a = this.attempts.load(id);
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

  stopLoop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
