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

/** How many rows one multi-row insert carries (SQLite allows 32,766 bound values). */
const INSERT_CHUNK = 2000;

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
   * Starts these parts (one multi-row insert per chunk); a part already started is left as it is.
   * Returns the attempts created, by candidate.
   */
  async insertAttempts(
    sittingId: number,
    at: number,
    rows: readonly { candidateId: number; partId: number; paperId: number }[],
  ): Promise<Map<number, number>> {
    const created = new Map<number, number>();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const out = await writer(this.db)
        .insert(attempts)
        .values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, sittingId, status: 'running', startedAt: at })))
        .onConflictDoNothing()
        .returning({ id: attempts.id, candidateId: attempts.candidateId });
      for (const r of out) created.set(r.candidateId, r.id);
    }
    return created;
  }

  async insertStartEvents(attemptIds: readonly number[], at: number): Promise<void> {
    for (let i = 0; i < attemptIds.length; i += INSERT_CHUNK) {
      await writer(this.db)
        .insert(attemptEvents)
        .values(attemptIds.slice(i, i + INSERT_CHUNK).map((attemptId) => ({ attemptId, kind: 'start', at, data: '{}' })));
    }
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
