import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { candidates, roomInvigilators, rooms, seatAssignments, sittings, users } from '../../../db/schema.js';
import { q, writer } from '../../../db/tx.js';
import { partIdsColumn } from '../../papers/repo.js';

/** Rooms, sittings, seats and invigilators of an exam (docs/ARCHITECTURE.md, "Data layer"). */
export class SeatingRepo {
  constructor(private readonly db: Db) {}

  async rooms(examId: number) {
    return q(this.db)
      .select({
        id: rooms.id,
        code: rooms.code,
        name: rooms.name,
        location: rooms.location,
        seats: rooms.seats,
        seatsPerRow: rooms.seatsPerRow,
      })
      .from(rooms)
      .where(eq(rooms.examId, examId))
      .orderBy(asc(rooms.code));
  }

  async roomCodeTaken(examId: number, code: string): Promise<boolean> {
    const rows = await q(this.db)
      .select({ id: rooms.id })
      .from(rooms)
      .where(and(eq(rooms.examId, examId), eq(rooms.code, code)))
      .limit(1);
    return rows.length > 0;
  }

  async insertRoom(values: Omit<typeof rooms.$inferInsert, 'id'>): Promise<number> {
    const row = (await writer(this.db).insert(rooms).values(values).returning({ id: rooms.id }))[0];
    if (!row) throw new Error('rooms insert returned no row');
    return row.id;
  }

  /** The exam's sittings in start order, their parts checked, with how many candidates are seated. */
  async sittings(examId: number) {
    const rows = await q(this.db)
      .select({ id: sittings.id, name: sittings.name, startsAt: sittings.startsAt, partIds: sittings.partIds })
      .from(sittings)
      .where(eq(sittings.examId, examId))
      .orderBy(asc(sittings.startsAt), asc(sittings.id));
    const ids = rows.map((r) => r.id);
    const counts =
      ids.length === 0
        ? []
        : await q(this.db)
            .select({ sittingId: seatAssignments.sittingId, n: count() })
            .from(seatAssignments)
            .where(inArray(seatAssignments.sittingId, ids))
            .groupBy(seatAssignments.sittingId);
    const assigned = new Map(counts.map((c) => [c.sittingId, c.n]));
    return rows.map((s) => ({ ...s, partIds: partIdsColumn.parse(s.partIds), assigned: assigned.get(s.id) ?? 0 }));
  }

  async sittingExam(sittingId: number): Promise<number | undefined> {
    const rows = await q(this.db).select({ examId: sittings.examId }).from(sittings).where(eq(sittings.id, sittingId)).limit(1);
    return rows[0]?.examId;
  }

  async insertSitting(values: { examId: number; name: string; startsAt: string; partIds: number[] }): Promise<number> {
    const row = (
      await writer(this.db)
        .insert(sittings)
        .values({ ...values, partIds: JSON.stringify(values.partIds) })
        .returning({ id: sittings.id })
    )[0];
    if (!row) throw new Error('sittings insert returned no row');
    return row.id;
  }

  /** The exam's candidates in candidate-number order. */
  async candidateIds(examId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ id: candidates.id })
      .from(candidates)
      .where(eq(candidates.examId, examId))
      .orderBy(asc(candidates.number));
    return rows.map((r) => r.id);
  }

  async replaceSeats(sittingId: number, seats: { roomId: number; seatNo: number; candidateId: number }[]): Promise<void> {
    const w = writer(this.db);
    await w.delete(seatAssignments).where(eq(seatAssignments.sittingId, sittingId));
    // 4 bound values a row
    for (let i = 0; i < seats.length; i += 2_000) {
      await w.insert(seatAssignments).values(seats.slice(i, i + 2_000).map((s) => ({ ...s, sittingId })));
    }
  }

  async seatHolder(sittingId: number, roomId: number, seatNo: number): Promise<number | undefined> {
    const rows = await q(this.db)
      .select({ candidateId: seatAssignments.candidateId })
      .from(seatAssignments)
      .where(
        and(eq(seatAssignments.sittingId, sittingId), eq(seatAssignments.roomId, roomId), eq(seatAssignments.seatNo, seatNo)),
      )
      .limit(1);
    return rows[0]?.candidateId;
  }

  async moveSeat(sittingId: number, candidateId: number, roomId: number, seatNo: number): Promise<void> {
    const w = writer(this.db);
    await w
      .delete(seatAssignments)
      .where(and(eq(seatAssignments.sittingId, sittingId), eq(seatAssignments.candidateId, candidateId)));
    await w.insert(seatAssignments).values({ sittingId, roomId, seatNo, candidateId });
  }

  /** An active user's roles (JSON text, checked by the caller), or undefined. */
  async activeUserRoles(userId: number): Promise<string | undefined> {
    const rows = await q(this.db)
      .select({ roles: users.roles })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.active, true)))
      .limit(1);
    return rows[0]?.roles;
  }

  async addInvigilator(sittingId: number, roomId: number, userId: number): Promise<void> {
    await writer(this.db).insert(roomInvigilators).values({ sittingId, roomId, userId }).onConflictDoNothing();
  }
}
