import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { rolesColumn } from '../users/repo.js';
import { SeatingRepo } from './repo/seating.js';

/** What seating needs of the exam service: the draft check and the exam's parts. */
export interface SeatingHost {
  assertDraftExam(examId: number): void;
  partIds(examId: number): number[];
}

/** Rooms, sittings, seats and invigilators of an exam (set up while the exam is a draft). */
export class Seating {
  private readonly repo: SeatingRepo;
  constructor(
    private readonly db: Db,
    private readonly host: SeatingHost,
  ) {
    this.repo = new SeatingRepo(db);
  }

  rooms(examId: number) {
    return this.repo.rooms(examId);
  }

  async addRoom(
    actor: Actor,
    examId: number,
    body: { code: string; name: string; location?: string; seats: number; seatsPerRow?: number },
  ): Promise<number> {
    this.host.assertDraftExam(examId);
    return transaction(this.db, async () => {
      if (await this.repo.roomCodeTaken(examId, body.code.trim())) {
        throw new AppError(409, 'ROOM_CODE_TAKEN', `Mã phòng "${body.code}" đã có`, 'Room code exists');
      }
      const id = await this.repo.insertRoom({
        examId,
        code: body.code.trim(),
        name: body.name.trim(),
        location: body.location ?? '',
        seats: body.seats,
        seatsPerRow: body.seatsPerRow ?? 6,
      });
      appendAudit(this.db, { actor, action: 'exam.room.create', entity: 'room', entityId: id, after: body });
      return id;
    });
  }

  sittings(examId: number) {
    return this.repo.sittings(examId);
  }

  async addSitting(actor: Actor, examId: number, body: { name: string; startsAt: string; partIds: number[] }): Promise<number> {
    this.host.assertDraftExam(examId);
    const own = new Set(this.host.partIds(examId));
    const foreign = body.partIds.filter((p) => !own.has(p));
    if (foreign.length || body.partIds.length === 0) {
      throw new AppError(
        400,
        'SITTING_PARTS_INVALID',
        'Ca thi phải gồm ít nhất một phần thi của kỳ thi này',
        'Invalid sitting parts',
      );
    }
    if (Number.isNaN(Date.parse(body.startsAt))) {
      throw new AppError(400, 'SITTING_TIME_INVALID', 'Thời gian bắt đầu ca thi không hợp lệ', 'Invalid start time');
    }
    return transaction(this.db, async () => {
      const id = await this.repo.insertSitting({
        examId,
        name: body.name.trim(),
        startsAt: new Date(body.startsAt).toISOString(),
        partIds: body.partIds,
      });
      appendAudit(this.db, { actor, action: 'exam.sitting.create', entity: 'sitting', entityId: id, after: body });
      return id;
    });
  }

  private async sittingExam(sittingId: number): Promise<number> {
    const examId = await this.repo.sittingExam(sittingId);
    if (examId === undefined) throw notFound('ca thi', 'Sitting');
    return examId;
  }

  /**
   * Places every candidate of the exam into the sitting's rooms, balanced: rooms are filled in
   * turn (round robin) so that their head counts differ by at most one, in candidate-number order;
   * existing assignments of the sitting are replaced.
   */
  async autoAssign(actor: Actor, sittingId: number): Promise<{ assigned: number; perRoom: Record<string, number> }> {
    const examId = await this.sittingExam(sittingId);
    this.host.assertDraftExam(examId);
    const rooms = await this.repo.rooms(examId);
    const cands = await this.repo.candidateIds(examId);
    const capacity = rooms.reduce((n, r) => n + r.seats, 0);
    if (rooms.length === 0 || capacity < cands.length) {
      throw new AppError(
        409,
        'ROOMS_TOO_SMALL',
        `Các phòng thi có ${capacity} chỗ, không đủ cho ${cands.length} thí sinh`,
        'Not enough seats',
        { capacity, candidates: cands.length },
      );
    }
    // balanced targets: proportional to seats, then even out
    const targets = rooms.map((r) => Math.floor((cands.length * r.seats) / capacity));
    let rest = cands.length - targets.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % rooms.length) {
      const room = rooms[i];
      if (room && (targets[i] ?? 0) < room.seats) {
        targets[i] = (targets[i] ?? 0) + 1;
        rest--;
      }
    }
    const seats: { roomId: number; seatNo: number; candidateId: number }[] = [];
    const perRoom: Record<string, number> = {};
    let k = 0;
    rooms.forEach((r, i) => {
      const n = targets[i] ?? 0;
      for (let seat = 1; seat <= n; seat++) {
        const c = cands[k++];
        if (c !== undefined) seats.push({ roomId: r.id, seatNo: seat, candidateId: c });
      }
      perRoom[r.code] = n;
    });
    return transaction(this.db, async () => {
      await this.repo.replaceSeats(sittingId, seats);
      appendAudit(this.db, { actor, action: 'exam.seats.assign', entity: 'sitting', entityId: sittingId, after: perRoom });
      return { assigned: k, perRoom };
    });
  }

  async moveSeat(actor: Actor, sittingId: number, candidateId: number, roomId: number, seatNo: number): Promise<void> {
    const examId = await this.sittingExam(sittingId);
    this.host.assertDraftExam(examId);
    const room = (await this.repo.rooms(examId)).find((r) => r.id === roomId);
    if (!room || seatNo < 1 || seatNo > room.seats) {
      throw new AppError(400, 'SEAT_INVALID', 'Phòng hoặc số máy không hợp lệ', 'Invalid room or seat');
    }
    const taken = await this.repo.seatHolder(sittingId, roomId, seatNo);
    if (taken !== undefined && taken !== candidateId) {
      throw new AppError(409, 'SEAT_TAKEN', `Máy số ${seatNo} của phòng ${room.name} đã có thí sinh`, 'Seat taken');
    }
    await transaction(this.db, async () => {
      await this.repo.moveSeat(sittingId, candidateId, roomId, seatNo);
      appendAudit(this.db, {
        actor,
        action: 'exam.seats.move',
        entity: 'candidate',
        entityId: candidateId,
        after: { sittingId, roomId, seatNo },
      });
    });
  }

  async assignInvigilator(actor: Actor, sittingId: number, roomId: number, userId: number): Promise<void> {
    const roles = await this.repo.activeUserRoles(userId);
    if (roles === undefined || !rolesColumn.parse(roles).includes('invigilator')) {
      throw new AppError(400, 'NOT_INVIGILATOR', 'Tài khoản không có vai trò giám thị', 'User is not an invigilator');
    }
    await transaction(this.db, async () => {
      await this.repo.addInvigilator(sittingId, roomId, userId);
      appendAudit(this.db, {
        actor,
        action: 'exam.invigilator.assign',
        entity: 'room',
        entityId: roomId,
        after: { sittingId, userId },
      });
    });
  }
}
