import type { Db } from '../../db/connection.js';
import type { AdmissionSlip } from '../documents/admission-slips.js';
import type { RoomListRoom, RoomListSitting } from '../documents/room-list.js';
import { CandidatesRepo } from './repo/candidates.js';

/** Gathers what the admission slips print: every candidate with their sittings, rooms and seats. */
export async function admissionSlipData(db: Db, examId: number): Promise<AdmissionSlip[]> {
  const repo = new CandidatesRepo(db);
  const partNames = await repo.partNames(examId);
  const byCandidate = new Map<number, AdmissionSlip['sittings'][number][]>();
  for (const s of await repo.seatsWithSittings(examId)) {
    const list = byCandidate.get(s.candidateId) ?? [];
    list.push({
      name: s.name,
      startsAt: s.startsAt,
      roomName: s.roomName,
      roomLocation: s.roomLocation,
      seatNo: s.seatNo,
      parts: s.partIds.map((id) => partNames.get(id) ?? ''),
    });
    byCandidate.set(s.candidateId, list);
  }
  const cands = await repo.slipCandidates(examId);
  return cands.map(({ id, ...c }) => ({ ...c, sittings: byCandidate.get(id) ?? [] }));
}

/** The room lists of one sitting. */
export async function roomListData(
  db: Db,
  sittingId: number,
): Promise<{ examId: number; sitting: RoomListSitting; rooms: RoomListRoom[] } | null> {
  const repo = new CandidatesRepo(db);
  const s = await repo.sitting(sittingId);
  if (!s) return null;
  const rooms = await repo.roomsOf(s.examId);
  const rows = await repo.roomRows(sittingId);
  return {
    examId: s.examId,
    sitting: { name: s.name, startsAt: s.startsAt },
    rooms: rooms
      .map((r) => ({ name: r.name, location: r.location, rows: rows.filter((x) => x.roomId === r.id) }))
      .filter((r) => r.rows.length > 0),
  };
}

/** Room and seat of each candidate in their first sitting (for PIN slips). */
export async function firstSeats(db: Db, examId: number): Promise<Map<number, { roomName: string; seatNo: number }>> {
  const rows = await new CandidatesRepo(db).seatsLatestFirst(examId);
  return new Map(rows.map((r) => [r.candidateId, { roomName: r.roomName, seatNo: r.seatNo }]));
}
