/**
 * The lifecycle the server enforces (issue 11), read from the database: the state of each room of a
 * sitting (scheduled → open → closed → sealed), of the sitting, and of the exam (set-up → ready →
 * running → marking → published). Every service that refuses something by state asks here, so the
 * rules live in one place (shared/src/lifecycle holds the pure parts).
 */
import {
  EXAM_STATUSES,
  type ExamStatus,
  examTransitionAllowed,
  ROOM_STATE_LABELS,
  type RoomState,
  roomState,
  sittingState,
} from '@exam/shared';
import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { exams, roomClosures, roomOpenings, rooms, seatAssignments, sittingExports, sittings } from '../../db/schema.js';
import { AppError } from '../../plugins/errors.js';

/*
 * These functions stay synchronous (drizzle's sync `.get()/.all()`, rows typed from the schema):
 * delivery, proctor and results call them inside their synchronous state checks and transactions.
 */

export interface RoomStatus {
  sittingId: number;
  roomId: number;
  state: RoomState;
  closedAt: number | null;
  openedAt: number | null;
}

/** The rooms of sittings with what decides their state; `where` picks the sitting and rooms. */
function roomRows(db: Db, where: SQL | undefined) {
  return db
    .select({
      roomId: rooms.id,
      code: rooms.code,
      startsAt: sittings.startsAt,
      sittingOpenedAt: sittings.openedAt,
      roomOpenedAt: roomOpenings.openedAt,
      closedAt: roomClosures.closedAt,
      sealedSitting: sittingExports.sittingId,
    })
    .from(sittings)
    .innerJoin(rooms, eq(rooms.examId, sittings.examId))
    .leftJoin(roomOpenings, and(eq(roomOpenings.sittingId, sittings.id), eq(roomOpenings.roomId, rooms.id)))
    .leftJoin(roomClosures, and(eq(roomClosures.sittingId, sittings.id), eq(roomClosures.roomId, rooms.id)))
    .leftJoin(sittingExports, eq(sittingExports.sittingId, sittings.id))
    .where(where);
}

type RoomRow = NonNullable<ReturnType<ReturnType<typeof roomRows>['get']>>;

function toStatus(sittingId: number, r: RoomRow, now: number): RoomStatus {
  return {
    sittingId,
    roomId: r.roomId,
    state: roomState(
      {
        startsAt: r.startsAt,
        sittingOpenedAt: r.sittingOpenedAt,
        roomOpenedAt: r.roomOpenedAt,
        closedAt: r.closedAt,
        sealed: r.sealedSitting !== null,
      },
      now,
    ),
    closedAt: r.closedAt,
    openedAt: r.roomOpenedAt,
  };
}

/** The state of one room of a sitting. */
export function roomStatus(db: Db, sittingId: number, roomId: number, now = Date.now()): RoomStatus {
  const r = roomRows(db, and(eq(sittings.id, sittingId), eq(rooms.id, roomId))).get();
  if (!r) throw new AppError(404, 'ROOM_NOT_FOUND', 'Phòng thi không thuộc ca thi này', 'Room not in this sitting');
  return toStatus(sittingId, r, now);
}

/** Every room that has candidates seated in the sitting, with its state. */
export function sittingRooms(db: Db, sittingId: number, now = Date.now()): RoomStatus[] {
  const seated = db
    .selectDistinct({ roomId: seatAssignments.roomId })
    .from(seatAssignments)
    .where(eq(seatAssignments.sittingId, sittingId));
  const rows = roomRows(db, and(eq(sittings.id, sittingId), inArray(rooms.id, seated)))
    .orderBy(asc(rooms.code))
    .all();
  return rows.map((r) => toStatus(sittingId, r, now));
}

function isSealed(db: Db, sittingId: number): boolean {
  return !!db.select({ id: sittingExports.sittingId }).from(sittingExports).where(eq(sittingExports.sittingId, sittingId)).get();
}

export function sittingStateOf(db: Db, sittingId: number, now = Date.now()): RoomState {
  const rooms = sittingRooms(db, sittingId, now);
  return sittingState(
    rooms.map((r) => r.state),
    isSealed(db, sittingId),
  );
}
const isExamStatus = (s: string): s is ExamStatus => EXAM_STATUSES.some((x) => x === s);

/** The refusal for anything that would change a room that has ended. */
export function endedRoomError(state: RoomState): AppError | null {
  if (state === 'sealed')
    return new AppError(
      409,
      'SITTING_SEALED',
      'Dữ liệu ca thi đã được niêm phong; không thể thay đổi. Mọi điều chỉnh chỉ thực hiện qua quyết định của Hội đồng thi (sửa đáp án, hủy kết quả).',
      'The sitting is sealed; nothing in it can change except through the board’s recorded corrections.',
    );
  if (state === 'closed')
    return new AppError(
      409,
      'ROOM_CLOSED',
      'Phòng thi đã đóng: mọi bài đã nộp và thí sinh vắng đã được xác nhận; không thể thay đổi.',
      'The room is closed: every paper is in and absentees are confirmed.',
    );
  return null;
}

export function stateLabel(state: RoomState): string {
  return ROOM_STATE_LABELS[state].vi;
}

/**
 * Moves the exam to `to` if its status allows it (an allowed transition), with an audit row; does
 * nothing when it is already there. Returns whether it moved.
 */
export function moveExam(db: Db, examId: number, to: ExamStatus, actor: Actor, detail?: Record<string, unknown>): boolean {
  const row = db.select({ status: exams.status }).from(exams).where(eq(exams.id, examId)).get();
  if (row === undefined) return false;
  const from = row.status;
  if (from === to || !isExamStatus(from) || !examTransitionAllowed(from, to)) return false;
  // written on the connection of the caller's transaction (callers still open it synchronously)
  db.update(exams)
    .set({ status: to })
    .where(and(eq(exams.id, examId), eq(exams.status, from)))
    .run();
  appendAudit(db, {
    actor,
    action: 'exam.status',
    entity: 'exam',
    entityId: examId,
    before: { status: from },
    after: { status: to },
    detail,
  });
  return true;
}

/** Every sitting of the exam is sealed (and there is at least one). */
export function allSittingsSealed(db: Db, examId: number): boolean {
  const r = db
    .select({ n: count(sittings.id), sealed: count(sittingExports.sittingId) })
    .from(sittings)
    .leftJoin(sittingExports, eq(sittingExports.sittingId, sittings.id))
    .where(eq(sittings.examId, examId))
    .get();
  return !!r && r.n > 0 && r.n === r.sealed;
}
