import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { attempts, candidateAccommodations, candidates, examLockdown, exams, lockdownEvents } from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';

export type LockdownEventKind = 'blur' | 'fullscreen_exit' | 'unlock';

/**
 * All SQL of the lockdown area (docs/ARCHITECTURE.md, "Data layer"). Writes run inside transaction().
 *
 * The reads marked "sync" serve checks other modules make synchronously on SQLite: the SEB check of
 * every candidate request and socket handshake, the lock checked before each answer, the extra time
 * of a deadline and the seat map's counts. They stay synchronous (drizzle's `.get()/.all()`), typed
 * from the schema, in a SQLite-only block; each has an async twin (same name without "Sync") that
 * the PostgreSQL copy keeps. Everything else is async.
 */
export class LockdownRepo {
  constructor(private readonly db: Db) {}

  async examExists(examId: number): Promise<boolean> {
    return !!(await q(this.db).select({ id: exams.id }).from(exams).where(eq(exams.id, examId)).limit(1))[0];
  }

  async upsertSettings(s: {
    examId: number;
    sebRequired: boolean;
    sebStartUrl: string | null;
    focusPolicy: string;
    focusLimit: number;
    updatedBy: number | null;
  }): Promise<void> {
    const updatedAt = new Date().toISOString();
    const { examId, ...set } = s;
    await writer(this.db)
      .insert(examLockdown)
      .values({ ...s, updatedAt })
      .onConflictDoUpdate({ target: examLockdown.examId, set: { ...set, updatedAt } });
  }

  async runningAttempt(candidateId: number): Promise<number | null> {
    return (
      (
        await q(this.db)
          .select({ id: attempts.id })
          .from(attempts)
          .where(and(eq(attempts.candidateId, candidateId), eq(attempts.status, 'running')))
          .orderBy(desc(attempts.id))
          .limit(1)
      )[0]?.id ?? null
    );
  }

  async insertEvent(candidateId: number, attemptId: number | null, kind: LockdownEventKind, at: number): Promise<void> {
    await writer(this.db).insert(lockdownEvents).values({ candidateId, attemptId, kind, at });
  }

  async accommodations(examId: number) {
    return await q(this.db)
      .select({
        candidateId: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        extraMinutes: candidateAccommodations.extraMinutes,
        reason: candidateAccommodations.reason,
      })
      .from(candidateAccommodations)
      .innerJoin(candidates, eq(candidates.id, candidateAccommodations.candidateId))
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
  }

  async candidateOfExam(examId: number, candidateId: number) {
    return (
      await q(this.db)
        .select({ id: candidates.id, number: candidates.number })
        .from(candidates)
        .where(and(eq(candidates.id, candidateId), eq(candidates.examId, examId)))
        .limit(1)
    )[0];
  }

  async hasAttempt(candidateId: number): Promise<boolean> {
    return !!(
      await q(this.db).select({ id: attempts.id }).from(attempts).where(eq(attempts.candidateId, candidateId)).limit(1)
    )[0];
  }

  async accommodation(candidateId: number) {
    return (
      await q(this.db)
        .select({ extraMinutes: candidateAccommodations.extraMinutes, reason: candidateAccommodations.reason })
        .from(candidateAccommodations)
        .where(eq(candidateAccommodations.candidateId, candidateId))
        .limit(1)
    )[0];
  }

  async setAccommodation(candidateId: number, extraMinutes: number, reason: string, setBy: number | null): Promise<void> {
    const setAt = new Date().toISOString();
    await writer(this.db)
      .insert(candidateAccommodations)
      .values({ candidateId, extraMinutes, reason, setBy, setAt })
      .onConflictDoUpdate({ target: candidateAccommodations.candidateId, set: { extraMinutes, reason, setBy, setAt } });
  }

  async removeAccommodation(candidateId: number): Promise<void> {
    await writer(this.db).delete(candidateAccommodations).where(eq(candidateAccommodations.candidateId, candidateId));
  }

  /** The exam's lockdown row (none until the board sets it); settingsSync on SQLite's hot checks. */
  async settings(examId: number) {
    const [row] = await q(this.db)
      .select({
        sebRequired: examLockdown.sebRequired,
        sebStartUrl: examLockdown.sebStartUrl,
        focusPolicy: examLockdown.focusPolicy,
        focusLimit: examLockdown.focusLimit,
      })
      .from(examLockdown)
      .where(eq(examLockdown.examId, examId))
      .limit(1);
    return row;
  }

  /** The exam a candidate belongs to. */
  async examOfCandidate(candidateId: number): Promise<number | undefined> {
    const [row] = await q(this.db)
      .select({ examId: candidates.examId })
      .from(candidates)
      .where(eq(candidates.id, candidateId))
      .limit(1);
    return row?.examId;
  }

  /** The exams whose candidates carry this number. */
  async examsOfNumber(number: string): Promise<number[]> {
    const rows = await q(this.db)
      .selectDistinct({ examId: candidates.examId })
      .from(candidates)
      .where(eq(candidates.number, number));
    return rows.map((r) => r.examId);
  }

  /** Focus losses, full-screen exits, and reports since the last unlock. */
  async counts(candidateId: number): Promise<{ focusLosses: number; fullscreenExits: number; sinceUnlock: number }> {
    const [last] = await q(this.db)
      .select({ id: max(lockdownEvents.id) })
      .from(lockdownEvents)
      .where(and(eq(lockdownEvents.candidateId, candidateId), eq(lockdownEvents.kind, 'unlock')));
    const rows = await q(this.db)
      .select({ id: lockdownEvents.id, kind: lockdownEvents.kind })
      .from(lockdownEvents)
      .where(eq(lockdownEvents.candidateId, candidateId));
    return tally(rows, last?.id ?? null);
  }

  /** An invigilator's unlock, in the caller's transaction. */
  async insertUnlock(candidateId: number, at: number): Promise<void> {
    await writer(this.db).insert(lockdownEvents).values({ candidateId, attemptId: null, kind: 'unlock', at });
  }

  /** The extra minutes granted to a candidate. */
  async extraMinutes(candidateId: number): Promise<number> {
    const [row] = await q(this.db)
      .select({ m: candidateAccommodations.extraMinutes })
      .from(candidateAccommodations)
      .where(eq(candidateAccommodations.candidateId, candidateId))
      .limit(1);
    return row?.m ?? 0;
  }

  // sqlite-only: begin (scripts/gen-pg-repos.mjs leaves this out of the PostgreSQL copy; the async twins above serve it)
  /** sync: the exam's lockdown row (none until the board sets it). */
  settingsSync(examId: number) {
    return this.db
      .select({
        sebRequired: examLockdown.sebRequired,
        sebStartUrl: examLockdown.sebStartUrl,
        focusPolicy: examLockdown.focusPolicy,
        focusLimit: examLockdown.focusLimit,
      })
      .from(examLockdown)
      .where(eq(examLockdown.examId, examId))
      .get();
  }

  /** sync: the exam a candidate belongs to. */
  examOfCandidateSync(candidateId: number): number | undefined {
    return this.db.select({ examId: candidates.examId }).from(candidates).where(eq(candidates.id, candidateId)).get()?.examId;
  }

  /** sync: the exams whose candidates carry this number. */
  examsOfNumberSync(number: string): number[] {
    return this.db
      .selectDistinct({ examId: candidates.examId })
      .from(candidates)
      .where(eq(candidates.number, number))
      .all()
      .map((r) => r.examId);
  }

  /** sync: focus losses, full-screen exits, and reports since the last unlock. */
  countsSync(candidateId: number): { focusLosses: number; fullscreenExits: number; sinceUnlock: number } {
    const lastUnlock = this.db
      .select({ id: max(lockdownEvents.id) })
      .from(lockdownEvents)
      .where(and(eq(lockdownEvents.candidateId, candidateId), eq(lockdownEvents.kind, 'unlock')))
      .get()?.id;
    const rows = this.db
      .select({ id: lockdownEvents.id, kind: lockdownEvents.kind })
      .from(lockdownEvents)
      .where(eq(lockdownEvents.candidateId, candidateId))
      .all();
    return tally(rows, lastUnlock ?? null);
  }

  /**
   * sync: an invigilator's unlock, written on the connection of the caller's transaction (the
   * invigilator's action records its minutes in the same transaction).
   */
  insertUnlockSync(candidateId: number, at: number): void {
    this.db.insert(lockdownEvents).values({ candidateId, attemptId: null, kind: 'unlock', at }).run();
  }

  /**
   * Prepared once (the hot path exception of docs/ARCHITECTURE.md, "Data layer"): every attempt the
   * deadline sweep loads asks for it, 10,000 right after an opening; built per call it cost ~0.15 ms
   * each (profile of `bench start-burst --candidates 2000`: 0.3 s of the server's CPU at the opening).
   */
  private extraMinutesStmt: ReturnType<LockdownRepo['prepareExtraMinutes']> | null = null;

  private prepareExtraMinutes() {
    return this.db
      .select({ m: candidateAccommodations.extraMinutes })
      .from(candidateAccommodations)
      .where(eq(candidateAccommodations.candidateId, sql.placeholder('candidateId')))
      .prepare();
  }

  /** sync: the extra minutes granted to a candidate. */
  extraMinutesSync(candidateId: number): number {
    this.extraMinutesStmt ??= this.prepareExtraMinutes();
    return this.extraMinutesStmt.get({ candidateId })?.m ?? 0;
  }
  // sqlite-only: end
}

/** Counts a candidate's lockdown events: unlocks reset what "since the last unlock" counts. */
function tally(rows: { id: number; kind: string }[], lastUnlock: number | null) {
  let focusLosses = 0;
  let fullscreenExits = 0;
  let sinceUnlock = 0;
  for (const r of rows) {
    if (r.kind === 'blur') focusLosses++;
    if (r.kind === 'fullscreen_exit') fullscreenExits++;
    if (r.kind !== 'unlock' && r.id > (lastUnlock ?? 0)) sinceUnlock++;
  }
  return { focusLosses, fullscreenExits, sinceUnlock };
}
