import { createHash } from 'node:crypto';
import {
  DEFAULT_WARN_THRESHOLDS,
  type IncidentDto,
  type ProctorActionBody,
  type ProctorActionResult,
  type RoomClosingDto,
  type RoomDashboardDto,
  type RoomRefDto,
  roomKey,
  type SealResultDto,
  type SeatDto,
  type SeatLockdown,
  type SeatState,
  type SittingOverviewDto,
  type SittingOverviewRoom,
  type StepDto,
  seatWarnings,
} from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import type { DeliveryService } from '../delivery/service.js';
import type { ExamService } from '../exams/service.js';
import type { RoomStatus } from '../lifecycle/state.js';
import {
  allSittingsSealed,
  endedRoomError,
  moveExam,
  roomStatus,
  sittingRooms,
  sittingStateOf,
  stateLabel,
} from '../lifecycle/state.js';
import { PROCTOR_ACTION_TABLE } from './actions/register.js';
import type { ActionHost, RoomOpener } from './actions/types.js';
import { ProctorRepo } from './repo.js';
import { buildExport, documentData, type ProctorDocumentData, resultSheetData, type SittingDoc } from './sealing.js';
import { buildSeats } from './seats.js';

export { type ProctorDocumentData, parseSealedExport } from './sealing.js';

/** What invigilation needs of the lockdown module (issue 19), injected through the constructor. */
export interface ProctorLockdown {
  state(candidateId: number): SeatLockdown;
  unlock(candidateId: number): Record<string, unknown>;
}

export interface ProctorDeps {
  /** the app's domain events: the service publishes, the /proctor and /candidate socket layers subscribe */
  bus: DomainEventBus;
  /** focus losses, the focus lock and extra time of a candidate (issue 19) */
  lockdown?: ProctorLockdown | null;
  exams: ExamService;
  /** the sealed papers (delivery/sealed.ts): a room opened by an invigilator sends its candidates' keys */
  opening?: RoomOpener | null;
}

interface SittingInfo extends SittingDoc {
  id: number;
  openedAt: string | null;
  /** the sitting's computer parts, in order */
  parts: { id: number; name: string; exemptibleBy: string[] }[];
  loadedAt: number;
}

const forbiddenRoom = () =>
  new AppError(403, 'FORBIDDEN_ROOM', 'Bạn không được phân công coi thi phòng này', 'You are not assigned to this room');

const emptyCounts = (): Record<SeatState, number> => ({
  not_signed_in: 0,
  signed_in: 0,
  working: 0,
  disconnected: 0,
  paused: 0,
  submitted: 0,
  suspended: 0,
});

/**
 * Live invigilation: who may watch which room, the seat map, actions with reasons (incident log +
 * audit log), the sitting overview, and the end-of-sitting documents and sealed export.
 */
export class ProctorService {
  readonly repo: ProctorRepo;
  private readonly exams: ExamService;
  private readonly sittings = new Map<number, SittingInfo>();
  private readonly located = new Map<number, { sittingId: number; roomId: number; at: number }>();
  /** live candidate sockets, and since when a candidate has none */
  private readonly presence = new Map<number, { sockets: number; since: number | null }>();
  private readonly refusedAt = new Map<number, number>();
  private readonly startedAt = Date.now();

  readonly bus: DomainEventBus;
  private readonly lockdown: ProctorLockdown | null;
  /** what the invigilator actions (actions/*.ts) may use */
  private readonly actionHost: ActionHost;

  constructor(
    private readonly db: Db,
    private readonly delivery: DeliveryService,
    deps: ProctorDeps,
  ) {
    this.bus = deps.bus;
    this.lockdown = deps.lockdown ?? null;
    this.repo = new ProctorRepo(db);
    this.exams = deps.exams;
    // a sign-in refused on another PC: the seat shows the warning for a while
    this.bus.on('deviceRefused', ({ candidateId }) => this.refusedAt.set(candidateId, Date.now()));
    this.actionHost = {
      db,
      repo: this.repo,
      delivery,
      exams: this.exams,
      bus: this.bus,
      lockdown: this.lockdown,
      opening: deps.opening ?? null,
      transaction: (fn) => transaction(db, fn),
      record: (...args) => this.record(...args),
      examId: async (sittingId) => (await this.sitting(sittingId)).examId,
      roomRef: (sittingId, roomId) => this.roomRef(sittingId, roomId),
      closing: (sittingId, roomId) => this.closing(sittingId, roomId),
      clearRefusal: (candidateId) => this.refusedAt.delete(candidateId),
    };
  }

  // ---------- presence (fed by the candidate namespace) ----------

  connected(candidateId: number): void {
    const p = this.presence.get(candidateId) ?? { sockets: 0, since: null };
    p.sockets++;
    p.since = null;
    this.presence.set(candidateId, p);
    this.bus.emit('candidateChanged', { candidateId: candidateId });
  }

  disconnected(candidateId: number): void {
    const p = this.presence.get(candidateId);
    if (!p) return;
    p.sockets = Math.max(0, p.sockets - 1);
    if (p.sockets === 0) p.since = Date.now();
    this.bus.emit('candidateChanged', { candidateId: candidateId });
  }

  /** The candidate's room in their (first) sitting; cached briefly, seat moves during a sitting are rare. */
  async locate(candidateId: number): Promise<{ sittingId: number; roomId: number } | null> {
    const now = Date.now();
    const hit = this.located.get(candidateId);
    if (hit && now - hit.at < 30_000) return hit;
    const row = await this.repo.locate(candidateId);
    if (!row) return null;
    this.located.set(candidateId, { ...row, at: now });
    return row;
  }

  // ---------- access ----------

  private async sitting(sittingId: number): Promise<SittingInfo> {
    const now = Date.now();
    const hit = this.sittings.get(sittingId);
    if (hit && now - hit.loadedAt < 5_000) return hit;
    const s = await this.repo.sitting(sittingId);
    if (!s) throw new AppError(404, 'SITTING_NOT_FOUND', 'Không tìm thấy ca thi', 'Sitting not found');
    const examParts = await this.exams.parts(s.examId);
    const parts = s.partIds.flatMap((pid) => {
      const p = examParts.find((x) => x.id === pid);
      if (p?.mode !== 'computer_mc') return [];
      return [{ id: p.id, name: p.name, exemptibleBy: [...p.exemptibleBy] }];
    });
    const info: SittingInfo = {
      id: s.id,
      examId: s.examId,
      examName: s.examName,
      examCode: s.examCode,
      organisingBody: s.organisingBody,
      timeZone: s.timeZone,
      name: s.name,
      startsAt: s.startsAt,
      openedAt: s.openedAt,
      parts,
      loadedAt: now,
    };
    this.sittings.set(sittingId, info);
    return info;
  }

  private isBoard(user: AuthUser): boolean {
    return hasRole(user, 'board', 'admin');
  }

  /** The room of a sitting, if the user may watch and act on it (board: every room; invigilator: assigned rooms). */
  async assertRoom(user: AuthUser, sittingId: number, roomId: number): Promise<void> {
    const s = await this.sitting(sittingId);
    const room = await this.repo.roomExamId(roomId);
    if (room === undefined || room !== s.examId)
      throw new AppError(404, 'ROOM_NOT_FOUND', 'Phòng thi không thuộc ca thi này', 'Room not in this sitting');
    if (this.isBoard(user)) return;
    if (!(await this.repo.invigilates(user.id, sittingId, roomId))) throw forbiddenRoom();
  }

  /** Board, or an invigilator of some room of the sitting (sealing and the export). */
  async assertSitting(user: AuthUser, sittingId: number): Promise<void> {
    await this.sitting(sittingId);
    if (this.isBoard(user)) return;
    if (!(await this.repo.invigilates(user.id, sittingId, null))) throw forbiddenRoom();
  }

  // ---------- reads ----------

  async roomRef(sittingId: number, roomId: number): Promise<RoomRefDto> {
    const s = await this.sitting(sittingId);
    const status = roomStatus(this.db, sittingId, roomId);
    const r = await this.repo.room(sittingId, roomId);
    if (!r) throw new AppError(404, 'ROOM_NOT_FOUND', 'Không tìm thấy phòng thi', 'Room not found');
    return {
      examId: s.examId,
      examName: s.examName,
      sittingId,
      sittingName: s.name,
      startsAt: s.startsAt,
      roomId,
      roomCode: r.code,
      roomName: r.name,
      seats: r.seats,
      seatsPerRow: r.seatsPerRow,
      candidates: r.candidates,
      open: r.openedAt !== null || s.openedAt !== null || Date.now() >= Date.parse(s.startsAt),
      openedAt: r.openedAt,
      sealed: await this.repo.sealed(sittingId),
      state: status.state,
      closedAt: status.closedAt,
      timeZone: s.timeZone,
      steps: await this.roomSteps(sittingId, roomId, status.state),
    };
  }

  /** What may be done to the room now, and why not (the screens disable what the server would refuse). */
  private async roomSteps(sittingId: number, roomId: number, state: RoomStatus['state']): Promise<StepDto[]> {
    const no = (vi: string, en: string): StepDto['reason'] => ({ vi, en });
    const running = state === 'open' ? await this.repo.runningIn(sittingId, roomId) : 0;
    const open: StepDto = {
      action: 'open_sitting',
      allowed: state === 'scheduled',
      reason: state === 'scheduled' ? null : no(`Phòng thi đang ở trạng thái "${stateLabel(state)}"`, `The room is ${state}`),
    };
    const close: StepDto = {
      action: 'close_room',
      allowed: state === 'open' && running === 0,
      reason:
        state !== 'open'
          ? no(`Chỉ đóng được phòng đang thi (hiện: "${stateLabel(state)}")`, `Only an open room can close (now ${state})`)
          : running > 0
            ? no(`Còn ${running} bài đang làm; đóng phòng khi mọi bài đã nộp`, `${running} attempts are still running`)
            : null,
    };
    return [open, close, await this.sealStep(sittingId)];
  }

  /** Sealing needs every room of the sitting closed. */
  private async sealStep(sittingId: number): Promise<StepDto> {
    const rooms = sittingRooms(this.db, sittingId);
    if (await this.repo.sealed(sittingId))
      return { action: 'seal', allowed: false, reason: { vi: 'Ca thi đã được niêm phong', en: 'Already sealed' } };
    const notClosed = rooms.filter((r) => r.state !== 'closed');
    if (rooms.length === 0)
      return { action: 'seal', allowed: false, reason: { vi: 'Ca thi chưa có thí sinh', en: 'No candidate is seated' } };
    if (notClosed.length === 0) return { action: 'seal', allowed: true, reason: null };
    const codes = await this.repo.roomCodes(notClosed.map((r) => r.roomId));
    const list = notClosed.map((r) => `${codes.get(r.roomId) ?? r.roomId} (${stateLabel(r.state)})`).join(', ');
    return {
      action: 'seal',
      allowed: false,
      reason: {
        vi: `Còn phòng thi chưa đóng: ${list}`,
        en: `Rooms not closed yet: ${notClosed.map((r) => `${codes.get(r.roomId) ?? r.roomId} (${r.state})`).join(', ')}`,
      },
    };
  }

  /** Who is still sitting, and who never started a part: what closing the room would record. */
  async closing(sittingId: number, roomId: number): Promise<RoomClosingDto> {
    const s = await this.sitting(sittingId);
    const state = roomStatus(this.db, sittingId, roomId).state;
    const seats = await this.repo.seatRows(sittingId, roomId, null);
    const suspended = await this.repo.suspendedIn(sittingId, roomId);
    const attempts = await this.repo.roomAttempts(sittingId, roomId, null);
    const running: RoomClosingDto['running'] = [];
    const absentees: RoomClosingDto['absentees'] = [];
    for (const c of seats) {
      const mine = attempts.filter((a) => a.candidateId === c.id);
      const missing: { partId: number; name: string }[] = [];
      for (const p of s.parts) {
        const a = mine.find((x) => x.partId === p.id);
        if (a?.status === 'running')
          running.push({ candidateId: c.id, number: c.number, fullName: c.fullName, seatNo: c.seatNo, part: p.name });
        if (a || suspended.has(c.id) || p.exemptibleBy.some((x) => c.exemptions.includes(x))) continue;
        missing.push({ partId: p.id, name: p.name });
      }
      if (missing.length > 0)
        absentees.push({ candidateId: c.id, number: c.number, fullName: c.fullName, seatNo: c.seatNo, parts: missing });
    }
    return { state, running, absentees };
  }

  /** Rooms the user may watch, in exams that are ready or under way. */
  async rooms(user: AuthUser): Promise<RoomRefDto[]> {
    const rows = await this.repo.watchableRooms(this.isBoard(user) ? null : user.id);
    const out: RoomRefDto[] = [];
    for (const r of rows) out.push(await this.roomRef(r.sittingId, r.roomId));
    return out;
  }

  /**
   * The seats of a room (or some of them). `light` skips the answer and flag counts (the overview
   * needs states only).
   */
  async seats(sittingId: number, roomId: number, only: readonly number[] | null = null, light = false): Promise<SeatDto[]> {
    const s = await this.sitting(sittingId);
    const sources = {
      repo: this.repo,
      delivery: this.delivery,
      presence: this.presence,
      refusedAt: this.refusedAt,
      startedAt: this.startedAt,
      lockdown: this.lockdown,
    };
    return buildSeats(sources, s, sittingId, roomId, only, light);
  }

  /** The incident log of a room (or of the whole sitting), oldest first; `latest`: only the last N; `id`: one incident. */
  async incidents(sittingId: number, roomId: number | null, opts: { latest?: number; id?: number } = {}): Promise<IncidentDto[]> {
    return (await this.repo.incidents(sittingId, roomId, opts)).reverse();
  }

  async dashboard(sittingId: number, roomId: number): Promise<RoomDashboardDto> {
    return {
      room: await this.roomRef(sittingId, roomId),
      seats: await this.seats(sittingId, roomId),
      incidents: await this.incidents(sittingId, roomId),
      serverNow: Date.now(),
      warnAfter: DEFAULT_WARN_THRESHOLDS,
    };
  }

  async overview(sittingId: number): Promise<SittingOverviewDto> {
    const s = await this.sitting(sittingId);
    const now = Date.now();
    const incidentCounts = await this.repo.incidentCountsByRoom(sittingId);
    const totals = emptyCounts();
    const noIdle = { ...DEFAULT_WARN_THRESHOLDS, idleMs: Number.POSITIVE_INFINITY };
    const rooms: SittingOverviewRoom[] = [];
    for (const roomId of await this.repo.seatedRooms(sittingId)) {
      const ref = await this.roomRef(sittingId, roomId);
      const counts = emptyCounts();
      let warnings = 0;
      for (const seat of await this.seats(sittingId, roomId, null, true)) {
        counts[seat.state]++;
        totals[seat.state]++;
        if (seatWarnings(seat, now, noIdle).length > 0) warnings++;
      }
      rooms.push({
        roomId,
        roomCode: ref.roomCode,
        roomName: ref.roomName,
        candidates: ref.candidates,
        counts,
        incidents: incidentCounts.get(roomId) ?? 0,
        warnings,
        open: ref.open,
        state: ref.state,
        invigilators: await this.repo.invigilatorNames(sittingId, roomId),
      });
    }
    return {
      sittingId,
      sittingName: s.name,
      examName: s.examName,
      startsAt: s.startsAt,
      rooms,
      totals,
      incidents: await this.incidents(sittingId, null, { latest: 50 }),
      sealed: await this.repo.sealed(sittingId),
      serverNow: now,
      state: sittingStateOf(this.db, sittingId, now),
      timeZone: s.timeZone,
      sealStep: await this.sealStep(sittingId),
    };
  }

  // ---------- actions ----------

  /** Writes one line of the minutes (incidents) and the audit log; runs inside the caller's transaction(). */
  private async record(
    actor: Actor,
    sittingId: number,
    roomId: number,
    action: IncidentDto['action'],
    reason: string,
    candidateId: number | null,
    attemptId: number | null,
    details: Record<string, unknown>,
  ): Promise<number> {
    const id = await this.repo.insertIncident({
      sittingId,
      roomId,
      candidateId,
      attemptId,
      action,
      reason,
      details: JSON.stringify(details),
      userId: actor.id,
      userName: actor.name,
      at: Date.now(),
    });
    appendAudit(this.db, {
      actor,
      action: `proctor.${action}`,
      entity: candidateId ? 'candidate' : 'room',
      entityId: candidateId ?? roomKey(sittingId, roomId),
      after: { sittingId, roomId, attemptId, ...details },
      detail: { reason, incidentId: id },
    });
    return id;
  }

  private async incidentById(id: number): Promise<IncidentDto> {
    const where = await this.repo.incidentPlace(id);
    const found = where ? (await this.incidents(where.sittingId, where.roomId, { id }))[0] : undefined;
    if (!found) throw new Error(`incident ${id} vanished`);
    return found;
  }

  /** Carries out one action on a room; every change is in the incident log and the audit log. */
  async act(user: AuthUser, sittingId: number, roomId: number, body: ProctorActionBody): Promise<ProctorActionResult> {
    await this.assertRoom(user, sittingId, roomId);
    const actor: Actor = { id: user.id, name: user.fullName || user.username };
    const def = PROCTOR_ACTION_TABLE[body.action];
    const reason = body.reason.trim();
    if (def.needsReason && !reason)
      throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do cho mọi thao tác của giám thị', 'A reason is required');
    const inRoom = await this.repo.roomCandidates(sittingId, roomId);
    const picked = body.candidateIds ?? [];
    const stranger = picked.find((id) => !inRoom.includes(id));
    if (stranger !== undefined)
      throw new AppError(400, 'CANDIDATE_NOT_IN_ROOM', 'Thí sinh không thuộc phòng thi này', 'Candidate not in this room', {
        candidateId: stranger,
      });
    if (def.single && picked.length !== 1)
      throw new AppError(400, 'CANDIDATE_REQUIRED', 'Hãy chọn đúng một thí sinh', 'Choose exactly one candidate');
    const targets = picked.length > 0 ? picked : inRoom;
    const one = picked[0] ?? 0;
    const ids: number[] = [];
    // nothing changes in a room that has closed or a sitting that is sealed
    const ended = endedRoomError(roomStatus(this.db, sittingId, roomId).state);
    if (ended) throw ended;

    if (!hasRole(user, ...def.roles))
      throw (
        def.forbidden?.() ??
        new AppError(
          403,
          'FORBIDDEN_ROLE',
          'Vai trò của bạn không được thực hiện thao tác này',
          'Your role may not take this action',
        )
      );
    const affected = await def.perform(this.actionHost, {
      user,
      actor,
      sittingId,
      roomId,
      reason,
      body,
      inRoom,
      picked,
      targets,
      one,
      ids,
    });
    const incidents: IncidentDto[] = [];
    for (const id of ids) incidents.push(await this.incidentById(id));
    for (const incident of incidents) this.bus.emit('incidentRecorded', { sittingId, roomId, incident });
    return { affected, incidents };
  }

  // ---------- end of the sitting ----------

  /**
   * Seals the sitting once no attempt is running: one JSON file with every attempt and answer, kept
   * unchangeable in the database; its SHA-256 goes on each room's result sheet. Sealing twice
   * returns the first seal.
   */
  async seal(user: AuthUser, sittingId: number, reason: string): Promise<SealResultDto> {
    await this.assertSitting(user, sittingId);
    const existing = await this.repo.sealSummary(sittingId);
    if (existing) return { sittingId, ...existing };
    const step = await this.sealStep(sittingId);
    if (!step.allowed)
      throw new AppError(
        409,
        'SITTING_NOT_CLOSED',
        `Chưa thể niêm phong dữ liệu ca thi: ${step.reason?.vi ?? ''}. Giám thị đóng từng phòng khi mọi bài đã nộp và xác nhận thí sinh vắng.`,
        `The sitting cannot be sealed: ${step.reason?.en ?? ''}`,
        { rooms: sittingRooms(this.db, sittingId).map((r) => ({ roomId: r.roomId, state: r.state })) },
      );
    const actor: Actor = { id: user.id, name: user.fullName || user.username };
    const sealedAt = Date.now();
    const s = await this.sitting(sittingId);
    const built = await buildExport(
      this.repo.exports,
      this.db,
      s,
      sittingId,
      sealedAt,
      actor.name,
      await this.incidents(sittingId, null),
    );
    const sha256 = createHash('sha256').update(built.data).digest('hex');
    const roomIds = await this.repo.seatedRooms(sittingId);
    const ids = await transaction(this.db, async () => {
      await this.repo.insertExport({
        sittingId,
        sha256,
        data: built.data,
        attempts: built.attempts,
        answers: built.answers,
        sealedAt,
        sealedBy: user.id,
      });
      const out: number[] = [];
      for (const roomId of roomIds)
        out.push(await this.record(actor, sittingId, roomId, 'seal', reason.trim() || 'Kết thúc ca thi', null, null, { sha256 }));
      // the last sitting sealed: the exam moves on to marking
      if (allSittingsSealed(this.db, s.examId)) {
        moveExam(this.db, s.examId, 'running', actor, { sittingId });
        moveExam(this.db, s.examId, 'finished', actor, { sittingId });
      }
      return out;
    });
    for (const id of ids) {
      const i = await this.incidentById(id);
      this.bus.emit('incidentRecorded', { sittingId: i.sittingId, roomId: i.roomId, incident: i });
      this.bus.emit('sittingStateChanged', {
        sittingId: i.sittingId,
        roomId: i.roomId,
        state: 'sealed',
        candidateIds: [],
        at: sealedAt,
      });
    }
    return { sittingId, sha256, bytes: built.data.length, sealedAt, attempts: built.attempts, answers: built.answers };
  }

  async sealedExport(sittingId: number): Promise<{ data: Buffer; sha256: string }> {
    const row = await this.repo.sealedFile(sittingId);
    if (!row) throw new AppError(409, 'NOT_SEALED', 'Dữ liệu ca thi chưa được niêm phong', 'The sitting has not been sealed yet');
    return row;
  }

  /** What the minutes print (live: the incident log grows until the room closes). */
  async documentData(sittingId: number, roomId: number): Promise<ProctorDocumentData> {
    const s = await this.sitting(sittingId);
    return documentData(this.repo, s, await this.roomRef(sittingId, roomId), await this.incidents(sittingId, roomId));
  }

  /**
   * What the room's result sheet prints, read from the sealed file itself (not from the live
   * tables), so the sheet and the file under its SHA-256 cannot disagree.
   */
  async resultSheetData(sittingId: number, roomId: number): Promise<ProctorDocumentData> {
    return resultSheetData(await this.documentData(sittingId, roomId), await this.sealedExport(sittingId));
  }
}
