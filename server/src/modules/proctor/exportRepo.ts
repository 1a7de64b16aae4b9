import { Type } from '@sinclair/typebox';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { jsonColumn } from '../../db/json.js';
import {
  absences,
  answers,
  attemptEvents,
  attemptFlags,
  attempts,
  candidates,
  examParts,
  papers,
  roomClosures,
  rooms,
  sanctions,
  seatAssignments,
  users,
} from '../../db/schema.js';
import { q } from '../../db/tx.js';

/** attempt_events.data: what an event of the clock carries. */
const eventDataColumn = jsonColumn('attempt_events.data', Type.Unknown());
/** answers.choice: the option ids chosen. */
const choiceColumn = jsonColumn('answers.choice', Type.Array(Type.String()));

/** The reads of a sitting's sealed export (sealing.ts): every attempt with its events, answers and flags. */
export class ProctorExportRepo {
  constructor(private readonly db: Db) {}

  async exportCandidates(sittingId: number) {
    return q(this.db)
      .select({
        id: candidates.id,
        number: candidates.number,
        fullName: candidates.fullName,
        dateOfBirth: candidates.dateOfBirth,
        roomCode: rooms.code,
        seatNo: seatAssignments.seatNo,
      })
      .from(seatAssignments)
      .innerJoin(candidates, eq(candidates.id, seatAssignments.candidateId))
      .innerJoin(rooms, eq(rooms.id, seatAssignments.roomId))
      .where(eq(seatAssignments.sittingId, sittingId))
      .orderBy(asc(rooms.code), asc(seatAssignments.seatNo));
  }

  async exportAttempts(sittingId: number, candidateId: number) {
    return q(this.db)
      .select({
        id: attempts.id,
        partId: attempts.partId,
        partCode: examParts.code,
        status: attempts.status,
        startedAt: attempts.startedAt,
        submittedAt: attempts.submittedAt,
        submitReason: attempts.submitReason,
        correct: attempts.correct,
        total: attempts.total,
        score: attempts.score,
        passed: attempts.passed,
        paperDigest: papers.digest,
        bankVersion: papers.bankVersion,
        paper: papers.items,
      })
      .from(attempts)
      .innerJoin(examParts, eq(examParts.id, attempts.partId))
      .innerJoin(papers, eq(papers.id, attempts.paperId))
      .where(and(eq(attempts.sittingId, sittingId), eq(attempts.candidateId, candidateId)))
      .orderBy(asc(examParts.sortOrder), asc(attempts.id));
  }

  async exportEvents(attemptId: number) {
    const rows = await q(this.db)
      .select({ kind: attemptEvents.kind, at: attemptEvents.at, data: attemptEvents.data })
      .from(attemptEvents)
      .where(eq(attemptEvents.attemptId, attemptId))
      .orderBy(asc(attemptEvents.id));
    return rows.map((e) => ({ ...e, data: eventDataColumn.parse(e.data) }));
  }

  async exportAnswers(attemptId: number) {
    const rows = await q(this.db)
      .select({ no: answers.questionNo, choice: answers.choice, seq: answers.seq, savedAt: answers.savedAt })
      .from(answers)
      .where(eq(answers.attemptId, attemptId))
      .orderBy(asc(answers.questionNo));
    return rows.map((x) => ({ ...x, choice: choiceColumn.parse(x.choice) }));
  }

  async exportFlags(attemptId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ no: attemptFlags.questionNo })
      .from(attemptFlags)
      .where(eq(attemptFlags.attemptId, attemptId))
      .orderBy(asc(attemptFlags.questionNo));
    return rows.map((r) => r.no);
  }

  async absentParts(sittingId: number, candidateId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ partId: absences.partId })
      .from(absences)
      .where(and(eq(absences.sittingId, sittingId), eq(absences.candidateId, candidateId)))
      .orderBy(asc(absences.partId));
    return rows.map((r) => r.partId);
  }

  async closures(sittingId: number) {
    return q(this.db)
      .select({ code: rooms.code, closedAt: roomClosures.closedAt, closedBy: users.fullName })
      .from(roomClosures)
      .innerJoin(rooms, eq(rooms.id, roomClosures.roomId))
      .leftJoin(users, eq(users.id, roomClosures.closedBy))
      .where(eq(roomClosures.sittingId, sittingId))
      .orderBy(asc(rooms.code));
  }

  async exportSanctions(sittingId: number) {
    return q(this.db)
      .select({
        candidateId: sanctions.candidateId,
        code: sanctions.code,
        reason: sanctions.reason,
        partId: sanctions.partId,
        at: sanctions.at,
      })
      .from(sanctions)
      .innerJoin(
        seatAssignments,
        and(eq(seatAssignments.candidateId, sanctions.candidateId), eq(seatAssignments.sittingId, sittingId)),
      )
      .orderBy(asc(sanctions.id));
  }
}
