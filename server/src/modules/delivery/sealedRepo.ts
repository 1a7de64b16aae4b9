import { and, eq, inArray, isNotNull, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import {
  attemptEvents,
  attempts,
  candidateDevices,
  candidates,
  exams,
  papers,
  paperViews,
  roomClosures,
  roomOpenings,
  sanctions,
  seatAssignments,
  sittings,
} from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';
import { partIdsColumn } from '../proctor/repo.js';

/** All SQL of the sealed papers (sealed.ts): reads through `q(db)`, writes through `writer(db)` inside transaction(). */
export class SealedRepo {
  constructor(private readonly db: Db) {}

  async secret(examId: number): Promise<string | undefined> {
    const rows = await q(this.db).select({ secret: exams.secret }).from(exams).where(eq(exams.id, examId)).limit(1);
    return rows[0]?.secret;
  }

  async examOf(candidateId: number): Promise<number | undefined> {
    const rows = await q(this.db)
      .select({ examId: candidates.examId })
      .from(candidates)
      .where(eq(candidates.id, candidateId))
      .limit(1);
    return rows[0]?.examId;
  }

  /** The stored view of a candidate's paper for a part. */
  async view(candidateId: number, partId: number) {
    const rows = await q(this.db)
      .select({ paperId: paperViews.paperId, version: paperViews.version, view: paperViews.view })
      .from(paperViews)
      .where(and(eq(paperViews.candidateId, candidateId), eq(paperViews.partId, partId)))
      .limit(1);
    return rows[0];
  }

  async hasPaper(candidateId: number, partId: number): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: papers.id })
      .from(papers)
      .where(and(eq(papers.candidateId, candidateId), eq(papers.partId, partId)))
      .limit(1);
    return rows.length > 0;
  }

  /** The version and size of a stored view, without its bytes. */
  async viewSize(candidateId: number, partId: number) {
    const rows = await q(this.db)
      .select({ version: paperViews.version, n: sql<number>`length(${paperViews.view})` })
      .from(paperViews)
      .where(and(eq(paperViews.candidateId, candidateId), eq(paperViews.partId, partId)))
      .limit(1);
    return rows[0];
  }

  async sitting(sittingId: number) {
    const rows = await q(this.db)
      .select({ examId: sittings.examId, partIds: sittings.partIds, startsAt: sittings.startsAt })
      .from(sittings)
      .where(eq(sittings.id, sittingId))
      .limit(1);
    const s = rows[0];
    return s ? { ...s, partIds: partIdsColumn.parse(s.partIds) } : undefined;
  }

  /**
   * For every seated candidate of a sitting who acknowledged the rules and is not suspended: each
   * stored view, with the status of the part's attempt (null: not started).
   */
  async keyRows(sittingId: number) {
    return q(this.db)
      .select({
        candidateId: seatAssignments.candidateId,
        roomId: seatAssignments.roomId,
        partId: paperViews.partId,
        paperId: paperViews.paperId,
        version: paperViews.version,
        attempt: attempts.status,
      })
      .from(seatAssignments)
      .innerJoin(
        candidateDevices,
        and(eq(candidateDevices.candidateId, seatAssignments.candidateId), isNotNull(candidateDevices.rulesAcknowledgedAt)),
      )
      .innerJoin(paperViews, eq(paperViews.candidateId, seatAssignments.candidateId))
      .leftJoin(attempts, and(eq(attempts.candidateId, paperViews.candidateId), eq(attempts.partId, paperViews.partId)))
      .where(
        and(
          eq(seatAssignments.sittingId, sittingId),
          notExists(
            q(this.db)
              .select({ id: sanctions.id })
              .from(sanctions)
              .where(and(eq(sanctions.candidateId, seatAssignments.candidateId), eq(sanctions.code, 'dinh_chi'))),
          ),
        ),
      );
  }

  /** The candidates of a sitting seated in a room that has closed (no part starts there any more). */
  async inClosedRooms(sittingId: number): Promise<Set<number>> {
    const rows = await q(this.db)
      .select({ id: seatAssignments.candidateId })
      .from(seatAssignments)
      .innerJoin(
        roomClosures,
        and(eq(roomClosures.sittingId, seatAssignments.sittingId), eq(roomClosures.roomId, seatAssignments.roomId)),
      )
      .where(eq(seatAssignments.sittingId, sittingId));
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The opening's two inserts, prepared once (the hot path exception of docs/ARCHITECTURE.md,
   * "Data layer"): built per call, a 2,000-row insert spent ~300 ms of the server's CPU at the
   * opening building its SQL (profile of `bench start-burst --candidates 2000`); prepared, a row
   * costs one step of SQLite. Prepared on first use, inside transaction() (writer()).
   */
  private starts: ReturnType<SealedRepo['prepareStarts']> | null = null;

  private prepareStarts() {
    const w = writer(this.db);
    return {
      attempt: w
        .insert(attempts)
        .values({
          candidateId: sql.placeholder('candidateId'),
          partId: sql.placeholder('partId'),
          sittingId: sql.placeholder('sittingId'),
          paperId: sql.placeholder('paperId'),
          status: 'running',
          startedAt: sql.placeholder('at'),
        })
        .onConflictDoNothing()
        .returning({ id: attempts.id })
        .prepare(),
      event: w
        .insert(attemptEvents)
        .values({ attemptId: sql.placeholder('attemptId'), kind: 'start', at: sql.placeholder('at'), data: '{}' })
        .prepare(),
    };
  }

  /**
   * Starts these parts with their 'start' event (inside transaction()); a part already started is
   * left as it is. Returns the attempts created, by candidate.
   */
  async startParts(
    sittingId: number,
    at: number,
    rows: readonly { candidateId: number; partId: number; paperId: number }[],
  ): Promise<Map<number, number>> {
    writer(this.db); // refuses outside transaction()
    this.starts ??= this.prepareStarts();
    const { attempt, event } = this.starts;
    const created = new Map<number, number>();
    for (const r of rows) {
      const id = attempt.all({ ...r, sittingId, at })[0]?.id;
      if (id === undefined) continue; // started meanwhile
      event.run({ attemptId: id, at });
      created.set(r.candidateId, id);
    }
    return created;
  }

  /** Sittings of exams ready or under way that no invigilator opened as a whole: their scheduled openings. */
  async scheduled() {
    return q(this.db)
      .select({ id: sittings.id, startsAt: sittings.startsAt })
      .from(sittings)
      .innerJoin(exams, eq(exams.id, sittings.examId))
      .where(and(inArray(exams.status, ['ready', 'running']), isNull(sittings.openedAt)));
  }

  async startsAt(sittingId: number): Promise<string | undefined> {
    const rows = await q(this.db)
      .select({ startsAt: sittings.startsAt })
      .from(sittings)
      .where(eq(sittings.id, sittingId))
      .limit(1);
    return rows[0]?.startsAt;
  }

  /** The seated rooms of a sitting that no invigilator opened or closed (the scheduled opening covers them). */
  async unhandledRooms(sittingId: number): Promise<number[]> {
    const rows = await q(this.db)
      .selectDistinct({ roomId: seatAssignments.roomId })
      .from(seatAssignments)
      .leftJoin(
        roomOpenings,
        and(eq(roomOpenings.sittingId, seatAssignments.sittingId), eq(roomOpenings.roomId, seatAssignments.roomId)),
      )
      .leftJoin(
        roomClosures,
        and(eq(roomClosures.sittingId, seatAssignments.sittingId), eq(roomClosures.roomId, seatAssignments.roomId)),
      )
      .where(and(eq(seatAssignments.sittingId, sittingId), isNull(roomOpenings.roomId), isNull(roomClosures.roomId)));
    return rows.map((r) => r.roomId);
  }

  /** Each seated candidate's room in a sitting. */
  async seatRooms(sittingId: number): Promise<Map<number, number>> {
    const rows = await q(this.db)
      .select({ candidateId: seatAssignments.candidateId, roomId: seatAssignments.roomId })
      .from(seatAssignments)
      .where(eq(seatAssignments.sittingId, sittingId));
    return new Map(rows.map((r) => [r.candidateId, r.roomId]));
  }
}
