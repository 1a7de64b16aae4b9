import type {
  AnswerAck,
  AnswerBody,
  AttemptDto,
  AttemptTimingDto,
  CandidateMeDto,
  SubmitReason,
  SubmitResultDto,
} from '@exam/shared';
import { AnswerWriter } from '../../db/answerWriter.js';
import type { Actor } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { DomainEventBus } from '../../events.js';
import { ExamService } from '../exams/service.js';
import { AnswerDesk, type AnswerQueue, type DeliveryLockdown } from './answers.js';
import { AttemptStore, type EventMeta } from './attemptState.js';
import { ExamInfoCache } from './examInfo.js';
import { DeliveryRepo } from './repo.js';
import { DeliverySession, type Seat } from './session.js';
import { SignInLockout } from './signinLock.js';
import { AttemptStarter } from './start.js';
import { Submitter } from './submit.js';

export { ANSWER_GRACE_MS, type DeliveryLockdown } from './answers.js';
export type { EventMeta } from './attemptState.js';

export interface DeliveryDeps {
  /** the app's domain events: delivery publishes, the socket layers subscribe */
  bus: DomainEventBus;
  lockdown?: DeliveryLockdown | null;
  exams?: ExamService;
}

/**
 * The candidates' side of a sitting, as one service the routes, sockets and the proctor module use.
 * Its parts, one file each: the session (sign-in, device, seat, the candidate's screen:
 * session.ts), the attempts' in-memory state and clock (attemptState.ts), the start (start.ts), the
 * answer path and flags (answers.ts), grading and the deadline sweep (submit.ts); all SQL in repo.ts.
 */
export class DeliveryService {
  /** Where answers go: a writer thread with its own connection (the event loop never waits for a COMMIT). */
  readonly answers: AnswerQueue;
  /** where delivery publishes what happened (server/src/events.ts) */
  readonly bus: DomainEventBus;
  /** per-number lock-out after repeated wrong PINs (issue 14) */
  readonly signInLock: SignInLockout;

  private readonly repo: DeliveryRepo;
  private readonly infos: ExamInfoCache;
  private readonly attempts: AttemptStore;
  private readonly session: DeliverySession;
  private readonly starter: AttemptStarter;
  private readonly desk: AnswerDesk;
  private readonly submitter: Submitter;

  constructor(db: Db, deps: DeliveryDeps = { bus: new DomainEventBus() }) {
    this.bus = deps.bus;
    const lockdown = deps.lockdown ?? null;
    const repo = new DeliveryRepo(db);
    this.repo = repo;
    this.signInLock = new SignInLockout(db);
    // the exams area's service, registered once by its plugin (tests and tools may leave it out)
    this.infos = new ExamInfoCache(deps.exams ?? new ExamService(db));
    this.answers = new AnswerWriter(repo.file);
    this.attempts = new AttemptStore(db, repo, this.infos, this.bus, (id) => lockdown?.extraMinutes(id) ?? 0);
    this.session = new DeliverySession(db, repo, this.infos, this.attempts, this.bus, this.signInLock);
    this.starter = new AttemptStarter(db, repo, this.infos, this.session, this.attempts, this.bus);
    this.desk = new AnswerDesk(db, repo, this.attempts, this.bus, lockdown, this.answers);
    this.submitter = new Submitter(db, repo, this.attempts, this.bus, this.answers);
  }

  /** How the exam's clock runs: from the opening for everyone, or from each candidate's own start. */
  timingMode(examId: number): 'fixed_window' | 'individual' {
    return this.infos.get(examId).profile.timingMode ?? 'individual';
  }

  // ---------- sign-in (session.ts) ----------

  /** Checks number + PIN and binds the device: one active device per candidate unless a move was allowed. */
  login(number: string, pin: string, deviceId: string, ip: string, userAgent: string) {
    return this.session.login(number, pin, deviceId, ip, userAgent);
  }

  /** An invigilator lets the candidate continue on another PC (the current one is cut off at once). */
  allowMove(candidateId: number): Promise<boolean> {
    return this.session.allowMove(candidateId);
  }

  /** The device the candidate is bound to now. */
  activeDevice(candidateId: number): string | null {
    return this.session.activeDevice(candidateId);
  }

  acknowledgeRules(candidateId: number): Promise<void> {
    return this.session.acknowledgeRules(candidateId);
  }

  /** Suspended (đình chỉ thi), and whether the profile bars the later parts. */
  suspension(candidateId: number, examId: number) {
    return this.session.suspension(candidateId, examId);
  }

  /** `s`: the candidate's seat when the caller has already read it. */
  me(candidateId: number, s?: Seat): CandidateMeDto {
    return s ? this.session.me(candidateId, s) : this.session.me(candidateId);
  }

  // ---------- attempts (attemptState.ts, start.ts) ----------

  /** Starts (or resumes) the candidate's attempt at a part. */
  async start(candidateId: number, partId: number): Promise<AttemptDto> {
    return this.attempt(candidateId, await this.startAttempt(candidateId, partId));
  }

  /** Starts the part (or finds the attempt already started) and returns the attempt's id. */
  startAttempt(candidateId: number, partId: number): Promise<number> {
    return this.starter.startAttempt(candidateId, partId);
  }

  /** A candidate may load an image only when one of their own papers shows it. */
  candidateMaySeeImage(candidateId: number, imageId: string): Promise<boolean> {
    return this.attempts.candidateMaySeeImage(candidateId, imageId);
  }

  /** An image's type and bytes (the route checks who may see it first). */
  image(imageId: string) {
    return this.repo.image(imageId);
  }

  /** Drops the cached state of an attempt so the next use reloads it from the database. */
  forget(attemptId: number): void {
    this.attempts.forget(attemptId);
  }

  timing(attemptId: number, now = Date.now()): AttemptTimingDto {
    return this.attempts.timing(attemptId, now);
  }

  /** How many questions the attempt's paper has. */
  questionCount(attemptId: number): number {
    return this.attempts.questionCount(attemptId);
  }

  /** An invigilator's pause, resume or extension; the new timing is pushed to the candidate at once. */
  clockEvent(
    attemptId: number,
    ev: { kind: 'pause' } | { kind: 'resume' } | { kind: 'extend'; ms: number },
    meta: EventMeta,
  ): Promise<AttemptTimingDto> {
    return this.attempts.clockEvent(attemptId, ev, meta);
  }

  /** Throws unless the attempt is the candidate's. */
  assertOwner(candidateId: number, attemptId: number): void {
    this.attempts.owned(candidateId, attemptId);
  }

  // ---------- what the candidate reloads, answers, flags (answers.ts) ----------

  /** The paper as the candidate sees it (no key), with saved answers, flags and time. */
  attempt(candidateId: number, attemptId: number): AttemptDto {
    return this.desk.attempt(candidateId, attemptId);
  }

  /** Everything of the attempt but its questions (those are the stored view: sealed.ts). */
  attemptMeta(candidateId: number, attemptId: number): Omit<AttemptDto, 'questions'> {
    return this.desk.attemptMeta(candidateId, attemptId);
  }

  /** Validates and saves one answer; resolves with the ack only after the transaction committed. */
  saveAnswer(candidateId: number, attemptId: number, body: AnswerBody): Promise<AnswerAck> {
    return this.desk.saveAnswer(candidateId, attemptId, body);
  }

  setFlag(candidateId: number, attemptId: number, questionNo: number, flagged: boolean): Promise<void> {
    return this.desk.setFlag(candidateId, attemptId, questionNo, flagged);
  }

  // ---------- grading, the deadline sweep (submit.ts) ----------

  /** Grades and closes an attempt. Idempotent: a submitted attempt returns its stored result. */
  submit(attemptId: number, reason: SubmitReason, actor?: Actor): Promise<SubmitResultDto> {
    return this.submitter.submit(attemptId, reason, actor);
  }

  /** Submits every running attempt whose deadline (plus the replay grace) has passed. */
  sweep(now = Date.now()): Promise<number> {
    return this.submitter.sweep(now);
  }

  /** The server loop that submits expired attempts (a failed sweep goes to `onError`; the next tick retries). */
  startLoop(intervalMs = 1000, onError: (err: unknown) => void = () => {}): void {
    this.submitter.startLoop(intervalMs, onError);
  }

  async close(): Promise<void> {
    this.submitter.stopLoop();
    await this.starter.close();
    await this.answers.close();
  }
}
