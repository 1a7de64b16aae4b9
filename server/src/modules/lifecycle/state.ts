/**
 * The lifecycle the server enforces (issue 11), read from the database: the state of each room of a
 * sitting (scheduled → open → closed → sealed), of the sitting, and of the exam (set-up → ready →
 * running → marking → published). Every service that refuses something by state asks here, so the
 * rules live in one place (shared/src/lifecycle holds the pure parts).
 */
import { type ExamStatus, examTransitionAllowed, ROOM_STATE_LABELS, type RoomState, roomState, sittingState } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { AppError } from '../../plugins/errors.js';

export interface RoomStatus {
  sittingId: number;
  roomId: number;
  state: RoomState;
  closedAt: number | null;
  openedAt: number | null;
}

const caches = new WeakMap<object, StatementCache>();
function stmts(db: Db): StatementCache {
  let c = caches.get(db.$client);
  if (!c) {
    c = new StatementCache(db.$client);
    caches.set(db.$client, c);
  }
  return c;
}

interface RoomRow {
  roomId: number;
  startsAt: string;
  sittingOpenedAt: string | null;
  roomOpenedAt: number | null;
  closedAt: number | null;
  sealed: number;
}

const ROOM_SQL = `SELECT r.id AS roomId, s.starts_at AS startsAt, s.opened_at AS sittingOpenedAt, o.opened_at AS roomOpenedAt,
       c.closed_at AS closedAt, EXISTS (SELECT 1 FROM sitting_exports x WHERE x.sitting_id = s.id) AS sealed
  FROM sittings s JOIN rooms r ON r.exam_id = s.exam_id
  LEFT JOIN room_openings o ON o.sitting_id = s.id AND o.room_id = r.id
  LEFT JOIN room_closures c ON c.sitting_id = s.id AND c.room_id = r.id`;

function toStatus(sittingId: number, r: RoomRow, now: number): RoomStatus {
  return {
    sittingId,
    roomId: r.roomId,
    state: roomState({ ...r, sealed: r.sealed === 1 }, now),
    closedAt: r.closedAt,
    openedAt: r.roomOpenedAt,
  };
}

/** The state of one room of a sitting. */
export function roomStatus(db: Db, sittingId: number, roomId: number, now = Date.now()): RoomStatus {
  const r = stmts(db).get(`${ROOM_SQL} WHERE s.id = ? AND r.id = ?`).get(sittingId, roomId) as RoomRow | undefined;
  if (!r) throw new AppError(404, 'ROOM_NOT_FOUND', 'Phòng thi không thuộc ca thi này', 'Room not in this sitting');
  return toStatus(sittingId, r, now);
}

/** Every room that has candidates seated in the sitting, with its state. */
export function sittingRooms(db: Db, sittingId: number, now = Date.now()): RoomStatus[] {
  const rows = stmts(db)
    .get(
      `${ROOM_SQL} WHERE s.id = ? AND r.id IN (SELECT DISTINCT room_id FROM seat_assignments WHERE sitting_id = s.id) ORDER BY r.code`,
    )
    .all(sittingId) as RoomRow[];
  return rows.map((r) => toStatus(sittingId, r, now));
}

export function sittingStateOf(db: Db, sittingId: number, now = Date.now()): RoomState {
  const rooms = sittingRooms(db, sittingId, now);
  const sealed = !!stmts(db).get('SELECT 1 FROM sitting_exports WHERE sitting_id = ?').get(sittingId);
  return sittingState(
    rooms.map((r) => r.state),
    sealed,
  );
}

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
  const from = stmts(db).get('SELECT status FROM exams WHERE id = ?').pluck().get(examId) as ExamStatus | undefined;
  if (from === undefined || from === to || !examTransitionAllowed(from, to)) return false;
  stmts(db).get('UPDATE exams SET status = ? WHERE id = ? AND status = ?').run(to, examId, from);
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
  const r = stmts(db)
    .get(
      `SELECT COUNT(*) AS n, SUM(EXISTS (SELECT 1 FROM sitting_exports x WHERE x.sitting_id = s.id)) AS sealed
         FROM sittings s WHERE s.exam_id = ?`,
    )
    .get(examId) as { n: number; sealed: number | null };
  return r.n > 0 && r.n === (r.sealed ?? 0);
}
