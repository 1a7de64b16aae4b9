import type { Db } from '../../db/connection.js';
import type { AdmissionSlip } from '../documents/admission-slips.js';
import type { RoomListRoom, RoomListSitting } from '../documents/room-list.js';

/** Gathers what the admission slips print: every candidate with their sittings, rooms and seats. */
export function admissionSlipData(db: Db, examId: number): AdmissionSlip[] {
  const sqlite = db.$client;
  const partNames = new Map(
    (sqlite.prepare('SELECT id, name FROM exam_parts WHERE exam_id = ?').all(examId) as { id: number; name: string }[]).map(
      (p) => [p.id, p.name],
    ),
  );
  const seats = sqlite
    .prepare(
      `SELECT a.candidate_id AS candidateId, s.name, s.starts_at AS startsAt, s.part_ids AS partIds, r.name AS roomName,
              r.location AS roomLocation, a.seat_no AS seatNo
         FROM seat_assignments a JOIN sittings s ON s.id = a.sitting_id JOIN rooms r ON r.id = a.room_id
        WHERE s.exam_id = ? ORDER BY s.starts_at`,
    )
    .all(examId) as {
    candidateId: number;
    name: string;
    startsAt: string;
    partIds: string;
    roomName: string;
    roomLocation: string;
    seatNo: number;
  }[];
  const byCandidate = new Map<number, AdmissionSlip['sittings'][number][]>();
  for (const s of seats) {
    const list = byCandidate.get(s.candidateId) ?? [];
    list.push({
      name: s.name,
      startsAt: s.startsAt,
      roomName: s.roomName,
      roomLocation: s.roomLocation,
      seatNo: s.seatNo,
      parts: (JSON.parse(s.partIds) as number[]).map((id) => partNames.get(id) ?? ''),
    });
    byCandidate.set(s.candidateId, list);
  }
  const cands = sqlite
    .prepare(
      `SELECT c.id, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, c.gender, c.id_number AS idNumber, p.name AS positionName
         FROM candidates c JOIN exam_positions p ON p.id = c.position_id WHERE c.exam_id = ? ORDER BY c.number`,
    )
    .all(examId) as (Omit<AdmissionSlip, 'sittings'> & { id: number })[];
  return cands.map(({ id, ...c }) => ({ ...c, sittings: byCandidate.get(id) ?? [] }));
}

/** The room lists of one sitting. */
export function roomListData(
  db: Db,
  sittingId: number,
): { examId: number; sitting: RoomListSitting; rooms: RoomListRoom[] } | null {
  const sqlite = db.$client;
  const s = sqlite.prepare('SELECT exam_id AS examId, name, starts_at AS startsAt FROM sittings WHERE id = ?').get(sittingId) as
    | { examId: number; name: string; startsAt: string }
    | undefined;
  if (!s) return null;
  const rooms = sqlite.prepare('SELECT id, name, location FROM rooms WHERE exam_id = ? ORDER BY code').all(s.examId) as {
    id: number;
    name: string;
    location: string;
  }[];
  const rows = sqlite
    .prepare(
      `SELECT a.room_id AS roomId, a.seat_no AS seatNo, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, c.gender
         FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id WHERE a.sitting_id = ? ORDER BY a.room_id, a.seat_no`,
    )
    .all(sittingId) as {
    roomId: number;
    seatNo: number;
    number: string;
    fullName: string;
    dateOfBirth: string;
    gender: string;
  }[];
  return {
    examId: s.examId,
    sitting: { name: s.name, startsAt: s.startsAt },
    rooms: rooms
      .map((r) => ({ name: r.name, location: r.location, rows: rows.filter((x) => x.roomId === r.id) }))
      .filter((r) => r.rows.length > 0),
  };
}

/** Room and seat of each candidate in their first sitting (for PIN slips). */
export function firstSeats(db: Db, examId: number): Map<number, { roomName: string; seatNo: number }> {
  const rows = db.$client
    .prepare(
      `SELECT a.candidate_id AS candidateId, r.name AS roomName, a.seat_no AS seatNo
         FROM seat_assignments a JOIN sittings s ON s.id = a.sitting_id JOIN rooms r ON r.id = a.room_id
        WHERE s.exam_id = ? ORDER BY s.starts_at DESC`,
    )
    .all(examId) as { candidateId: number; roomName: string; seatNo: number }[];
  return new Map(rows.map((r) => [r.candidateId, { roomName: r.roomName, seatNo: r.seatNo }]));
}
