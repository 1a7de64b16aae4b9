import {
  type AttemptEvent,
  type AttemptTimingDto,
  computeTiming,
  type ExamPartDto,
  type PassRule,
  type QuestionContent,
  type QuestionTypeId,
  type TimingConfig,
} from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { CorruptColumnError } from '../../db/json.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { AppError } from '../../plugins/errors.js';
import { decodePaper } from '../papers/papers.js';
import { type ExamInfo, type ExamInfoCache, partWindowStart, type SittingClock } from './examInfo.js';
import { attemptStatusOf, type DeliveryRepo, optionsColumn, passRuleColumn, questionTypeOf } from './repo.js';

export interface QuestionCache {
  no: number;
  versionId: number;
  type: QuestionTypeId;
  content: QuestionContent;
  order: string[];
}

/** What validating, timing and grading an attempt needs, kept in memory while it is used. */
export interface AttemptCache {
  id: number;
  examId: number;
  candidateId: number;
  partId: number;
  partName: string;
  status: 'running' | 'submitted';
  config: TimingConfig;
  events: AttemptEvent[];
  /** the paper's questions, read on first need (the answer path, grading): a start needs only the clock */
  questions: QuestionCache[] | null;
  passRule: PassRule;
  scoreScale: number;
  /** the profile allows partial credit (only the custom one may; every official regime counts whole answers) */
  partialCredit: boolean;
  showResult: boolean;
  /** the sweep need not look at this attempt before then (its deadline plus the grace) */
  nextCheck: number;
}

/** Who did what, for clock events recorded by an invigilator. */
export interface EventMeta {
  by?: string;
  reason?: string;
}

/** The extra minutes lockdown granted (issue 19), if that module is present. */
export type ExtraMinutes = (candidateId: number) => number;

/** The in-memory state of attempts: loading, the clock and its events, the paper's questions. */
export class AttemptStore {
  private readonly cache = new Map<number, AttemptCache>();
  /** question versions are immutable once approved: one parsed copy serves every paper */
  private readonly versions = new Map<number, { type: QuestionTypeId; content: QuestionContent }>();
  /** One shared array per option order: a sitting's papers use a few dozen orders between them. */
  private readonly orders = new Map<string, string[]>();

  constructor(
    private readonly db: Db,
    private readonly repo: DeliveryRepo,
    private readonly infos: ExamInfoCache,
    private readonly bus: DomainEventBus,
    private readonly extraMinutes: ExtraMinutes,
  ) {}

  private shared(order: string[]): string[] {
    const key = order.join('\u0000');
    let hit = this.orders.get(key);
    if (!hit) {
      hit = Object.freeze([...order]) as string[];
      this.orders.set(key, hit);
    }
    return hit;
  }

  /** The clock's set-up of a part: its duration (with extra time) and, in fixed-window mode, its window's start. */
  private config(
    info: ExamInfo,
    part: ExamPartDto,
    candidateId: number,
    sitting: (SittingClock & { partIds: string }) | undefined,
  ): TimingConfig {
    const mode = info.profile.timingMode ?? 'individual';
    const scheduledStart =
      mode === 'fixed_window' && sitting
        ? // parts of a sitting follow each other: this part's window opens after the earlier ones
          partWindowStart(sitting, this.infos.partIds(sitting.partIds), part.id, info.parts)
        : undefined;
    return {
      mode,
      durationMs: (part.durationMin ?? 0) * 60_000 + this.extraMinutes(candidateId) * 60_000,
      scheduledStart,
    };
  }

  private entry(
    a: { id: number; examId: number; candidateId: number; partId: number; status: 'running' | 'submitted' },
    sitting: (SittingClock & { partIds: string }) | undefined,
    events: AttemptEvent[],
  ): AttemptCache {
    const info = this.infos.get(a.examId);
    const part = info.parts.find((p) => p.id === a.partId);
    if (!part) throw new AppError(404, 'PART_NOT_FOUND', 'Không tìm thấy phần thi', 'Part not found');
    return {
      ...a,
      partName: part.name,
      config: this.config(info, part, a.candidateId, sitting),
      events,
      questions: null,
      passRule: passRuleColumn.check(part.passRule),
      scoreScale: part.scoreScale,
      partialCredit: info.profile.partialCredit === true,
      showResult: !!info.profile.showResultImmediately,
      nextCheck: 0,
    };
  }

  /** Loads (and caches) what validating and grading an attempt needs. */
  load(attemptId: number): AttemptCache {
    const hit = this.cache.get(attemptId);
    if (hit) return hit;
    const a = this.repo.attempt(attemptId);
    if (!a) throw new AppError(404, 'ATTEMPT_NOT_FOUND', 'Không tìm thấy bài thi', 'Attempt not found');
    const sitting = this.repo.sittingClock(a.candidateId, a.sittingId);
    const entry = this.entry({ ...a, status: attemptStatusOf(a.status) }, sitting, this.repo.events(attemptId));
    this.cache.set(attemptId, entry);
    return entry;
  }

  /**
   * The state of an attempt this process has just created, from what the start already read (its
   * sitting as the candidate's room sees it): the same state load() would read back, without the
   * reads. Its only event is the start.
   */
  seed(
    a: { id: number; examId: number; candidateId: number; partId: number; at: number },
    sitting: SittingClock & { partIds: string },
  ): void {
    if (this.cache.has(a.id)) return;
    const { at, ...rest } = a;
    this.cache.set(a.id, this.entry({ ...rest, status: 'running' }, sitting, [{ kind: 'start', at }]));
  }

  /** The attempt's questions (read once per attempt, each question version parsed once per process). */
  questions(a: AttemptCache): QuestionCache[] {
    if (a.questions) return a.questions;
    const row = this.repo.attempt(a.id);
    if (!row) throw new AppError(404, 'ATTEMPT_NOT_FOUND', 'Không tìm thấy bài thi', 'Attempt not found');
    a.questions = decodePaper(row.items).items.map((item, i) => {
      const versionId = Number(item.versionId);
      let v = this.versions.get(versionId);
      if (!v) {
        const r = this.repo.version(versionId);
        if (!r) throw new CorruptColumnError('papers.items', `question version ${versionId} does not exist`);
        const type = questionTypeOf(r.type);
        v = { type, content: { type, stem: r.stem, options: optionsColumn.parse(r.options), partialCredit: r.partialCredit } };
        this.versions.set(versionId, v);
      }
      return { no: i + 1, versionId, type: v.type, content: v.content, order: this.shared(item.optionOrder) };
    });
    return a.questions;
  }

  /** Throws unless the attempt is the candidate's. */
  owned(candidateId: number, attemptId: number): AttemptCache {
    const a = this.load(attemptId);
    if (a.candidateId !== candidateId)
      throw new AppError(403, 'FORBIDDEN_ATTEMPT', 'Bài thi không thuộc về thí sinh này', 'Not your attempt');
    return a;
  }

  /** Records a clock event (inside transaction()) and keeps the cached clock in step. */
  async addEvent(attemptId: number, ev: AttemptEvent, data: Record<string, unknown> = {}): Promise<void> {
    await this.repo.addEvent(attemptId, ev.kind, ev.at, JSON.stringify({ ...data, ...('ms' in ev ? { ms: ev.ms } : {}) }));
    const c = this.cache.get(attemptId);
    if (c) {
      c.events.push(ev);
      c.nextCheck = 0; // the deadline may have moved
    }
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
    return this.questions(this.load(attemptId)).length;
  }

  /** A candidate may load an image only when one of their own papers shows it. */
  async candidateMaySeeImage(candidateId: number, imageId: string): Promise<boolean> {
    const ids = await this.repo.attemptIdsOf(candidateId);
    return ids.some((id) =>
      this.questions(this.load(id)).some(
        (q) => q.content.stem.includes(imageId) || q.content.options.some((o) => o.text.includes(imageId)),
      ),
    );
  }

  /**
   * A clock event caused by an invigilator: pause, resume, or an extension of `extendMs`. The event
   * goes to the attempt's log (with who and why); the new timing is pushed to the candidate at once.
   */
  async clockEvent(
    attemptId: number,
    ev: { kind: 'pause' } | { kind: 'resume' } | { kind: 'extend'; ms: number },
    meta: EventMeta,
  ): Promise<AttemptTimingDto> {
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
    await transaction(this.db, () => this.addEvent(attemptId, event, { ...meta }));
    const timing = this.timing(attemptId, now);
    this.bus.emit('timingChanged', { candidateId: a.candidateId, attemptId, timing });
    this.bus.emit('candidateChanged', { candidateId: a.candidateId });
    return timing;
  }
}
