import { type AnswerAck, type AnswerBody, type AttemptDto, computeTiming, questionType } from '@exam/shared';
import type { AnswerRow } from '../../db/answerWriter.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { AppError, errorAck } from '../../plugins/errors.js';
import type { AttemptCache, AttemptStore } from './attemptState.js';
import { choiceColumn, type DeliveryRepo } from './repo.js';

/** Answers made before the deadline may still arrive (offline replay) this long after it. */
export const ANSWER_GRACE_MS = 15_000;

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

/** Where answers go: a writer thread with its own connection (the event loop never waits for a COMMIT). */
export interface AnswerQueue {
  enqueue(row: AnswerRow): Promise<boolean>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The answer path (validate, write, ack after the COMMIT), flags, and the attempt as the candidate reloads it. */
export class AnswerDesk {
  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
    private readonly attempts: AttemptStore,
    private readonly bus: DomainEventBus,
    private readonly lockdown: DeliveryLockdown | null,
    private readonly queue: AnswerQueue,
  ) {}

  /** The paper as the candidate sees it (no key), with saved answers, flags and time. */
  attempt(candidateId: number, attemptId: number): AttemptDto {
    const a = this.attempts.owned(candidateId, attemptId);
    return {
      ...this.attemptMeta(candidateId, attemptId),
      // built per call, not kept: the papers of a whole sitting would otherwise stay in memory twice
      // (the routes serve the stored view instead: sealed.ts)
      questions: this.attempts.questions(a).map((q) => {
        const byId = new Map(q.content.options.map((o) => [o.id, o.text]));
        return { no: q.no, type: q.type, stem: q.content.stem, options: q.order.map((id) => ({ id, text: byId.get(id) ?? '' })) };
      }),
    };
  }

  /** Everything of the attempt but its questions (those are the stored view: sealed.ts). */
  attemptMeta(candidateId: number, attemptId: number): Omit<AttemptDto, 'questions'> {
    const a = this.attempts.owned(candidateId, attemptId);
    const answers: Record<number, string[]> = {};
    let lastSeq = 0;
    for (const r of this.repo.answers(attemptId)) {
      answers[r.no] = choiceColumn.parse(r.choice);
      lastSeq = Math.max(lastSeq, r.seq);
    }
    return {
      attemptId,
      partId: a.partId,
      partName: a.partName,
      answers,
      flags: this.repo.flags(attemptId),
      lastSeq,
      timing: this.attempts.timing(attemptId),
    };
  }

  /** Validates and saves one answer; resolves with the ack only after the transaction committed. */
  async saveAnswer(candidateId: number, attemptId: number, body: AnswerBody): Promise<AnswerAck> {
    let a: AttemptCache;
    try {
      a = this.attempts.owned(candidateId, attemptId);
      this.lockdown?.assertUnlocked(candidateId);
    } catch (err) {
      return { ...errorAck(err), seq: body.seq };
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
    const q = this.attempts.questions(a)[body.questionNo - 1];
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
      applied = await this.queue.enqueue(row);
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
    const r = this.repo.storedAnswer(attemptId, questionNo);
    if (!r) return undefined;
    const choice: unknown = JSON.parse(r.choice);
    return {
      choice: Array.isArray(choice) ? choice.filter((c): c is string => typeof c === 'string') : [],
      seq: r.seq,
    };
  }

  async setFlag(candidateId: number, attemptId: number, questionNo: number, flagged: boolean): Promise<void> {
    const a = this.attempts.owned(candidateId, attemptId);
    if (!this.attempts.questions(a)[questionNo - 1])
      throw new AppError(400, 'QUESTION_INVALID', `Không có câu số ${questionNo}`, 'No such question');
    await transaction(this.db, () => this.repo.setFlag(attemptId, questionNo, flagged));
  }
}
