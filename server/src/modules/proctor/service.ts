import { createHash } from 'node:crypto';
import {
  DEFAULT_WARN_THRESHOLDS,
  type IncidentDto,
  PROCTOR_SANCTIONS,
  type ProctorActionBody,
  type ProctorActionResult,
  type ProctorSanction,
  type RoomClosingDto,
  type RoomDashboardDto,
  type RoomRefDto,
  roomKey,
  SEAT_STATES,
  type SealResultDto,
  type SeatDto,
  type SeatLockdown,
  type SeatState,
  type SittingOverviewDto,
  type SittingOverviewRoom,
  type StepDto,
  seatWarnings,
} from '@exam/shared';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type Actor, appendAudit, auditAnchor, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { transaction } from '../../db/tx.js';
import type { DomainEventBus } from '../../events.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import type { DeliveryService } from '../delivery/service.js';
import { ExamService } from '../exams/service.js';
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
import type { ActionHost } from './actions/types.js';

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
  exams?: ExamService;
}

interface SittingInfo {
  id: number;
  examId: number;
  examName: string;
  examCode: string;
  organisingBody: string;
  timeZone: string;
  name: string;
  startsAt: string;
  openedAt: string | null;
  /** the sitting's computer parts, in order */
  parts: { id: number; name: string; exemptibleBy: string[] }[];
  loadedAt: number;
}

interface SeatRow {
  id: number;
  seatNo: number;
  number: string;
  fullName: string;
  exemptions: string;
  deviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  boundAt: number | null;
  moveAllowed: number | null;
}

interface AttemptRow {
  id: number;
  candidateId: number;
  partId: number;
  status: 'running' | 'submitted';
}

const forbiddenRoom = () =>
  new AppError(403, 'FORBIDDEN_ROOM', 'Bạn không được phân công coi thi phòng này', 'You are not assigned to this room');

const emptyCounts = (): Record<SeatState, number> =>
  Object.fromEntries(SEAT_STATES.map((s) => [s, 0])) as Record<SeatState, number>;

/**
 * Live invigilation: who may watch which room, the seat map, actions with reasons (incident log +
 * audit log), the sitting overview, and the end-of-sitting documents and sealed export.
 */
export class ProctorService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
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
    deps: ProctorDeps = { bus: delivery.bus },
  ) {
    this.bus = deps.bus;
    this.lockdown = deps.lockdown ?? null;
    this.sqlite = db.$client;
    this.stmts = new StatementCache(db.$client);
    this.exams = deps.exams ?? new ExamService(db);
    // a sign-in refused on another PC: the seat shows the warning for a while
    this.bus.on('deviceRefused', ({ candidateId }) => this.refusedAt.set(candidateId, Date.now()));
    this.actionHost = {
      db,
      stmts: this.stmts,
      delivery,
      exams: this.exams,
      bus: this.bus,
      lockdown: this.lockdown,
      transaction: (fn) => this.sqlite.transaction(fn)(),
      tx: (fn) => transaction(db, fn),
      record: (...args) => this.record(...args),
      runningAttempt: (sittingId, candidateId) => this.runningAttempt(sittingId, candidateId),
      runningIn: (sittingId, roomId) => this.runningIn(sittingId, roomId),
      examId: (sittingId) => this.sitting(sittingId).examId,
      roomRef: (sittingId, roomId) => this.roomRef(sittingId, roomId),
      closing: (sittingId, roomId) => this.closing(sittingId, roomId),
      clearRefusal: (candidateId) => this.refusedAt.delete(candidateId),
    };
  }

  // ---------- presence (fed by the candidate namespace and the delivery hooks) ----------

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
  locate(candidateId: number): { sittingId: number; roomId: number } | null {
    const now = Date.now();
    const hit = this.located.get(candidateId);
    if (hit && now - hit.at < 30_000) return hit;
    const row = this.stmts
      .get(
        `SELECT a.sitting_id AS sittingId, a.room_id AS roomId FROM seat_assignments a JOIN sittings s ON s.id = a.sitting_id
          WHERE a.candidate_id = ? ORDER BY s.starts_at LIMIT 1`,
      )
      .get(candidateId) as { sittingId: number; roomId: number } | undefined;
    if (!row) return null;
    this.located.set(candidateId, { ...row, at: now });
    return row;
  }

  // ---------- access ----------

  private sitting(sittingId: number): SittingInfo {
    const now = Date.now();
    const hit = this.sittings.get(sittingId);
    if (hit && now - hit.loadedAt < 5_000) return hit;
    const s = this.stmts
      .get(
        `SELECT s.id, s.exam_id AS examId, s.name, s.starts_at AS startsAt, s.opened_at AS openedAt, s.part_ids AS partIds,
                e.name AS examName, e.code AS examCode, e.organising_body AS organisingBody, e.time_zone AS timeZone
           FROM sittings s JOIN exams e ON e.id = s.exam_id WHERE s.id = ?`,
      )
      .get(sittingId) as
      | (Omit<SittingInfo, 'parts' | 'loadedAt'> & {
          partIds: string;
        })
      | undefined;
    if (!s) throw new AppError(404, 'SITTING_NOT_FOUND', 'Không tìm thấy ca thi', 'Sitting not found');
    const examParts = this.exams.parts(s.examId);
    const parts = (JSON.parse(s.partIds) as number[]).flatMap((pid) => {
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
  assertRoom(user: AuthUser, sittingId: number, roomId: number): void {
    const s = this.sitting(sittingId);
    const room = this.stmts.get('SELECT exam_id FROM rooms WHERE id = ?').pluck().get(roomId) as number | undefined;
    if (room === undefined || room !== s.examId)
      throw new AppError(404, 'ROOM_NOT_FOUND', 'Phòng thi không thuộc ca thi này', 'Room not in this sitting');
    if (this.isBoard(user)) return;
    const assigned = this.stmts
      .get('SELECT 1 FROM room_invigilators WHERE sitting_id = ? AND room_id = ? AND user_id = ?')
      .get(sittingId, roomId, user.id);
    if (!assigned) throw forbiddenRoom();
  }

  /** Board, or an invigilator of some room of the sitting (sealing and the export). */
  assertSitting(user: AuthUser, sittingId: number): void {
    this.sitting(sittingId);
    if (this.isBoard(user)) return;
    const any = this.stmts.get('SELECT 1 FROM room_invigilators WHERE sitting_id = ? AND user_id = ?').get(sittingId, user.id);
    if (!any) throw forbiddenRoom();
  }

  // ---------- reads ----------

  private sealed(sittingId: number): { sha256: string; sealedAt: number } | null {
    return (
      (this.stmts.get('SELECT sha256, sealed_at AS sealedAt FROM sitting_exports WHERE sitting_id = ?').get(sittingId) as
        | { sha256: string; sealedAt: number }
        | undefined) ?? null
    );
  }

  roomRef(sittingId: number, roomId: number): RoomRefDto {
    const s = this.sitting(sittingId);
    const status = roomStatus(this.db, sittingId, roomId);
    const r = this.stmts
      .get(
        `SELECT r.code, r.name, r.seats, r.seats_per_row AS seatsPerRow, o.opened_at AS openedAt,
                (SELECT COUNT(*) FROM seat_assignments a WHERE a.sitting_id = ? AND a.room_id = r.id) AS candidates
           FROM rooms r LEFT JOIN room_openings o ON o.sitting_id = ? AND o.room_id = r.id WHERE r.id = ?`,
      )
      .get(sittingId, sittingId, roomId) as {
      code: string;
      name: string;
      seats: number;
      seatsPerRow: number;
      openedAt: number | null;
      candidates: number;
    };
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
      sealed: this.sealed(sittingId),
      state: status.state,
      closedAt: status.closedAt,
      timeZone: s.timeZone,
      steps: this.roomSteps(sittingId, roomId, status.state),
    };
  }

  private runningIn(sittingId: number, roomId: number): number {
    return this.stmts
      .get(
        `SELECT COUNT(*) FROM attempts t JOIN seat_assignments a ON a.sitting_id = t.sitting_id AND a.candidate_id = t.candidate_id
          WHERE t.sitting_id = ? AND a.room_id = ? AND t.status = 'running'`,
      )
      .pluck()
      .get(sittingId, roomId) as number;
  }

  /** What may be done to the room now, and why not (the screens disable what the server would refuse). */
  private roomSteps(sittingId: number, roomId: number, state: RoomStatus['state']): StepDto[] {
    const no = (vi: string, en: string): StepDto['reason'] => ({ vi, en });
    const running = state === 'open' ? this.runningIn(sittingId, roomId) : 0;
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
    return [open, close, this.sealStep(sittingId)];
  }

  /** Sealing needs every room of the sitting closed. */
  private sealStep(sittingId: number): StepDto {
    const rooms = sittingRooms(this.db, sittingId);
    if (this.sealed(sittingId))
      return { action: 'seal', allowed: false, reason: { vi: 'Ca thi đã được niêm phong', en: 'Already sealed' } };
    const notClosed = rooms.filter((r) => r.state !== 'closed');
    if (rooms.length === 0)
      return { action: 'seal', allowed: false, reason: { vi: 'Ca thi chưa có thí sinh', en: 'No candidate is seated' } };
    if (notClosed.length === 0) return { action: 'seal', allowed: true, reason: null };
    const codes = this.roomCodes(notClosed.map((r) => r.roomId));
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

  private roomCodes(ids: readonly number[]): Map<number, string> {
    return new Map(
      (
        this.stmts.get('SELECT id, code FROM rooms WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
          id: number;
          code: string;
        }[]
      ).map((r) => [r.id, r.code]),
    );
  }

  /** Who is still sitting, and who never started a part: what closing the room would record. */
  closing(sittingId: number, roomId: number): RoomClosingDto {
    const s = this.sitting(sittingId);
    const state = roomStatus(this.db, sittingId, roomId).state;
    const seats = this.stmts
      .get(
        `SELECT a.candidate_id AS id, a.seat_no AS seatNo, c.number, c.full_name AS fullName, c.exemptions,
                EXISTS (SELECT 1 FROM sanctions x WHERE x.candidate_id = c.id AND x.code = 'dinh_chi') AS suspended
           FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id
          WHERE a.sitting_id = ? AND a.room_id = ? ORDER BY a.seat_no`,
      )
      .all(sittingId, roomId) as {
      id: number;
      seatNo: number;
      number: string;
      fullName: string;
      exemptions: string;
      suspended: number;
    }[];
    const attempts = this.stmts.get('SELECT part_id AS partId, status FROM attempts WHERE sitting_id = ? AND candidate_id = ?');
    const running: RoomClosingDto['running'] = [];
    const absentees: RoomClosingDto['absentees'] = [];
    for (const c of seats) {
      const exemptions = JSON.parse(c.exemptions) as string[];
      const mine = attempts.all(sittingId, c.id) as { partId: number; status: string }[];
      const missing: { partId: number; name: string }[] = [];
      for (const p of s.parts) {
        const a = mine.find((x) => x.partId === p.id);
        if (a?.status === 'running')
          running.push({ candidateId: c.id, number: c.number, fullName: c.fullName, seatNo: c.seatNo, part: p.name });
        if (a || c.suspended || p.exemptibleBy.some((x) => exemptions.includes(x))) continue;
        missing.push({ partId: p.id, name: p.name });
      }
      if (missing.length > 0)
        absentees.push({ candidateId: c.id, number: c.number, fullName: c.fullName, seatNo: c.seatNo, parts: missing });
    }
    return { state, running, absentees };
  }

  /** Rooms the user may watch, in exams that are ready or under way. */
  rooms(user: AuthUser): RoomRefDto[] {
    const rows = (
      this.isBoard(user)
        ? this.stmts
            .get(
              `SELECT DISTINCT a.sitting_id AS sittingId, a.room_id AS roomId FROM seat_assignments a
                 JOIN sittings s ON s.id = a.sitting_id JOIN exams e ON e.id = s.exam_id
                WHERE e.status IN ('ready', 'running', 'finished') ORDER BY s.starts_at, a.sitting_id, a.room_id`,
            )
            .all()
        : this.stmts
            .get(
              `SELECT DISTINCT i.sitting_id AS sittingId, i.room_id AS roomId FROM room_invigilators i
                 JOIN sittings s ON s.id = i.sitting_id JOIN exams e ON e.id = s.exam_id
                WHERE i.user_id = ? AND e.status IN ('ready', 'running', 'finished') ORDER BY s.starts_at, i.sitting_id, i.room_id`,
            )
            .all(user.id)
    ) as { sittingId: number; roomId: number }[];
    return rows.map((r) => this.roomRef(r.sittingId, r.roomId));
  }

  /**
   * The seats of a room (or some of them). `light` skips the answer and flag counts (the overview
   * needs states only).
   */
  seats(sittingId: number, roomId: number, only: readonly number[] | null = null, light = false): SeatDto[] {
    const s = this.sitting(sittingId);
    const now = Date.now();
    const rows = this.stmts
      .get(
        `SELECT a.candidate_id AS id, a.seat_no AS seatNo, c.number, c.full_name AS fullName, c.exemptions,
                d.device_id AS deviceId, d.ip, d.user_agent AS userAgent, d.bound_at AS boundAt, d.move_allowed AS moveAllowed
           FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id
           LEFT JOIN candidate_devices d ON d.candidate_id = a.candidate_id
          WHERE a.sitting_id = @sittingId AND a.room_id = @roomId AND (@only IS NULL OR a.candidate_id IN (SELECT value FROM json_each(@only)))
          ORDER BY a.seat_no`,
      )
      .all({ sittingId, roomId, only: only ? JSON.stringify(only) : null }) as SeatRow[];
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const attempts = this.stmts
      .get(
        `SELECT id, candidate_id AS candidateId, part_id AS partId, status FROM attempts
          WHERE sitting_id = ? AND candidate_id IN (SELECT value FROM json_each(?))`,
      )
      .all(sittingId, ids) as AttemptRow[];
    const byCandidate = new Map<number, AttemptRow[]>();
    for (const a of attempts) {
      const list = byCandidate.get(a.candidateId) ?? [];
      list.push(a);
      byCandidate.set(a.candidateId, list);
    }
    const sanctions = new Map<number, ProctorSanction[]>();
    for (const r of this.stmts
      .get('SELECT candidate_id AS id, code FROM sanctions WHERE candidate_id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(ids) as { id: number; code: string }[]) {
      if (!(PROCTOR_SANCTIONS as readonly string[]).includes(r.code)) continue;
      const list = sanctions.get(r.id) ?? [];
      list.push(r.code as ProctorSanction);
      sanctions.set(r.id, list);
    }

    // the part each candidate is on
    const current = new Map<number, { part: SittingInfo['parts'][number]; index: number; attempt: AttemptRow | null }>();
    const allDone = new Map<number, boolean>();
    for (const r of rows) {
      const exemptions = JSON.parse(r.exemptions) as string[];
      const mine = byCandidate.get(r.id) ?? [];
      type Pick = { part: SittingInfo['parts'][number]; index: number; attempt: AttemptRow | null };
      let pick: Pick | null = null;
      let last: Pick | null = null;
      let lastSubmitted: Pick | null = null;
      let done = true;
      for (let index = 0; index < s.parts.length; index++) {
        const part = s.parts[index] as SittingInfo['parts'][number];
        if (part.exemptibleBy.some((x) => exemptions.includes(x))) continue;
        const attempt = mine.find((a) => a.partId === part.id) ?? null;
        last = { part, index, attempt };
        if (attempt?.status === 'submitted') {
          if (!pick) lastSubmitted = last;
          continue;
        }
        done = false;
        pick ??= { part, index, attempt };
      }
      // between parts (the previous one submitted, the next not started) the seat shows the submitted part
      const chosen = pick && !pick.attempt && lastSubmitted ? lastSubmitted : (pick ?? last);
      if (chosen) current.set(r.id, chosen);
      allDone.set(r.id, done && last !== null);
    }

    const counts = new Map<number, { n: number; last: number | null }>();
    const flags = new Map<number, number>();
    if (!light) {
      const attemptIds = JSON.stringify([...current.values()].flatMap((c) => (c.attempt ? [c.attempt.id] : [])));
      for (const r of this.stmts
        .get(
          `SELECT attempt_id AS id, COUNT(*) AS n, MAX(saved_at) AS last FROM answers
            WHERE attempt_id IN (SELECT value FROM json_each(?)) GROUP BY attempt_id`,
        )
        .all(attemptIds) as { id: number; n: number; last: number }[])
        counts.set(r.id, { n: r.n, last: r.last });
      for (const r of this.stmts
        .get(
          `SELECT attempt_id AS id, COUNT(*) AS n FROM attempt_flags
            WHERE attempt_id IN (SELECT value FROM json_each(?)) GROUP BY attempt_id`,
        )
        .all(attemptIds) as { id: number; n: number }[])
        flags.set(r.id, r.n);
    }

    return rows.map((r) => {
      const cur = current.get(r.id) ?? null;
      const attempt = cur?.attempt ?? null;
      const timing = attempt ? this.delivery.timing(attempt.id, now) : null;
      const p = this.presence.get(r.id);
      const signedIn = r.deviceId !== null;
      const connected = (p?.sockets ?? 0) > 0;
      // after a restart nobody is connected until they come back: count from the server's start
      const disconnectedSince = connected || !signedIn ? null : (p?.since ?? this.startedAt);
      const mySanctions = sanctions.get(r.id) ?? [];
      let state: SeatState;
      if (mySanctions.includes('dinh_chi')) state = 'suspended';
      else if (!signedIn) state = 'not_signed_in';
      else if (allDone.get(r.id) || attempt?.status === 'submitted') state = 'submitted';
      else if (attempt?.status === 'running' && timing) {
        if (timing.state === 'paused') state = 'paused';
        else if (timing.state === 'expired' || timing.state === 'submitted') state = 'submitted';
        else state = connected ? 'working' : 'disconnected';
      } else state = !connected && p ? 'disconnected' : 'signed_in';
      const c = attempt ? counts.get(attempt.id) : undefined;
      return {
        candidateId: r.id,
        number: r.number,
        fullName: r.fullName,
        seatNo: r.seatNo,
        state,
        part: cur
          ? {
              partId: cur.part.id,
              name: cur.part.name,
              attemptId: attempt?.id ?? null,
              index: cur.index + 1,
              count: s.parts.length,
            }
          : null,
        answered: c?.n ?? 0,
        total: attempt ? this.delivery.questionCount(attempt.id) : 0,
        flagged: attempt ? (flags.get(attempt.id) ?? 0) : 0,
        startedAt: timing?.startedAt ?? null,
        deadline: timing?.deadline ?? null,
        remainingMs: timing?.remainingMs ?? null,
        extendedMs: timing?.extendedMs ?? 0,
        lastSaveAt: c?.last ?? null,
        connected,
        disconnectedSince: state === 'submitted' || state === 'suspended' ? null : disconnectedSince,
        device: signedIn ? { ip: r.ip, userAgent: r.userAgent, boundAt: r.boundAt ?? 0 } : null,
        otherDeviceTriedAt: this.refusedAt.get(r.id) ?? null,
        moveAllowed: !!r.moveAllowed,
        sanctions: mySanctions,
        signInLockedUntil: this.delivery.signInLock.lockedUntil(r.id, now),
        lockdown: this.lockdown?.state(r.id) ?? null,
      };
    });
  }

  /** The incident log of a room (or of the whole sitting), oldest first; `latest`: only the last N; `id`: one incident. */
  incidents(sittingId: number, roomId: number | null, opts: { latest?: number; id?: number } = {}): IncidentDto[] {
    const rows = this.stmts
      .get(
        `SELECT i.id, i.at, i.sitting_id AS sittingId, i.room_id AS roomId, i.candidate_id AS candidateId, i.action, i.reason,
                i.details, i.user_name AS invigilator, a.seat_no AS seatNo, c.number AS candidateNumber, c.full_name AS candidateName
           FROM incidents i
           LEFT JOIN candidates c ON c.id = i.candidate_id
           LEFT JOIN seat_assignments a ON a.sitting_id = i.sitting_id AND a.candidate_id = i.candidate_id
          WHERE i.sitting_id = @sittingId AND (@roomId IS NULL OR i.room_id = @roomId) AND (@id IS NULL OR i.id = @id)
          ORDER BY i.at DESC, i.id DESC LIMIT @limit`,
      )
      .all({ sittingId, roomId, id: opts.id ?? null, limit: opts.latest ?? -1 }) as (Omit<IncidentDto, 'details'> & {
      details: string;
    })[];
    return rows.reverse().map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  dashboard(sittingId: number, roomId: number): RoomDashboardDto {
    return {
      room: this.roomRef(sittingId, roomId),
      seats: this.seats(sittingId, roomId),
      incidents: this.incidents(sittingId, roomId),
      serverNow: Date.now(),
      warnAfter: DEFAULT_WARN_THRESHOLDS,
    };
  }

  overview(sittingId: number): SittingOverviewDto {
    const s = this.sitting(sittingId);
    const now = Date.now();
    const roomIds = this.stmts
      .get('SELECT DISTINCT room_id FROM seat_assignments WHERE sitting_id = ? ORDER BY room_id')
      .pluck()
      .all(sittingId) as number[];
    const incidentCounts = new Map(
      (
        this.stmts
          .get('SELECT room_id AS id, COUNT(*) AS n FROM incidents WHERE sitting_id = ? GROUP BY room_id')
          .all(sittingId) as {
          id: number;
          n: number;
        }[]
      ).map((r) => [r.id, r.n]),
    );
    const totals = emptyCounts();
    const noIdle = { ...DEFAULT_WARN_THRESHOLDS, idleMs: Number.POSITIVE_INFINITY };
    const rooms: SittingOverviewRoom[] = roomIds.map((roomId) => {
      const ref = this.roomRef(sittingId, roomId);
      const counts = emptyCounts();
      let warnings = 0;
      for (const seat of this.seats(sittingId, roomId, null, true)) {
        counts[seat.state]++;
        totals[seat.state]++;
        if (seatWarnings(seat, now, noIdle).length > 0) warnings++;
      }
      const invigilators = this.stmts
        .get(
          'SELECT u.full_name FROM room_invigilators i JOIN users u ON u.id = i.user_id WHERE i.sitting_id = ? AND i.room_id = ? ORDER BY u.full_name',
        )
        .pluck()
        .all(sittingId, roomId) as string[];
      return {
        roomId,
        roomCode: ref.roomCode,
        roomName: ref.roomName,
        candidates: ref.candidates,
        counts,
        incidents: incidentCounts.get(roomId) ?? 0,
        warnings,
        open: ref.open,
        state: ref.state,
        invigilators,
      };
    });
    const recent = this.incidents(sittingId, null, { latest: 50 });
    return {
      sittingId,
      sittingName: s.name,
      examName: s.examName,
      startsAt: s.startsAt,
      rooms,
      totals,
      incidents: recent,
      sealed: this.sealed(sittingId),
      serverNow: now,
      state: sittingStateOf(this.db, sittingId, now),
      timeZone: s.timeZone,
      sealStep: this.sealStep(sittingId),
    };
  }

  // ---------- actions ----------

  private roomCandidates(sittingId: number, roomId: number): number[] {
    return this.stmts
      .get('SELECT candidate_id FROM seat_assignments WHERE sitting_id = ? AND room_id = ? ORDER BY seat_no')
      .pluck()
      .all(sittingId, roomId) as number[];
  }

  private runningAttempt(sittingId: number, candidateId: number): number | null {
    return (
      (this.stmts
        .get("SELECT id FROM attempts WHERE sitting_id = ? AND candidate_id = ? AND status = 'running'")
        .pluck()
        .get(sittingId, candidateId) as number | undefined) ?? null
    );
  }

  private record(
    actor: Actor,
    sittingId: number,
    roomId: number,
    action: IncidentDto['action'],
    reason: string,
    candidateId: number | null,
    attemptId: number | null,
    details: Record<string, unknown>,
  ): number {
    const at = Date.now();
    const id = Number(
      this.stmts
        .get(
          `INSERT INTO incidents (sitting_id, room_id, candidate_id, attempt_id, action, reason, details, user_id, user_name, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(sittingId, roomId, candidateId, attemptId, action, reason, JSON.stringify(details), actor.id, actor.name, at)
        .lastInsertRowid,
    );
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

  private incidentById(id: number): IncidentDto {
    const r = this.stmts.get('SELECT sitting_id AS s, room_id AS r FROM incidents WHERE id = ?').get(id) as {
      s: number;
      r: number;
    };
    const found = this.incidents(r.s, r.r, { id })[0];
    if (!found) throw new Error(`incident ${id} vanished`);
    return found;
  }

  /** Carries out one action on a room; every change is in the incident log and the audit log. */
  async act(user: AuthUser, sittingId: number, roomId: number, body: ProctorActionBody): Promise<ProctorActionResult> {
    this.assertRoom(user, sittingId, roomId);
    const actor: Actor = { id: user.id, name: user.fullName || user.username };
    const def = PROCTOR_ACTION_TABLE[body.action];
    const reason = body.reason.trim();
    if (def.needsReason && !reason)
      throw new AppError(400, 'REASON_REQUIRED', 'Phải ghi lý do cho mọi thao tác của giám thị', 'A reason is required');
    const inRoom = this.roomCandidates(sittingId, roomId);
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
    const incidents = ids.map((id) => this.incidentById(id));
    for (const incident of incidents) this.bus.emit('incidentRecorded', { sittingId, roomId, incident });
    return { affected, incidents };
  }

  // ---------- end of the sitting ----------

  /** Builds the sitting's data export: every attempt with its events, answers and flags, and the incident log. */
  private buildExport(sittingId: number, sealedAt: number, sealedBy: string) {
    const s = this.sitting(sittingId);
    const candidates = this.stmts
      .get(
        `SELECT c.id, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth, r.code AS roomCode, a.seat_no AS seatNo
           FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id JOIN rooms r ON r.id = a.room_id
          WHERE a.sitting_id = ? ORDER BY r.code, a.seat_no`,
      )
      .all(sittingId) as {
      id: number;
      number: string;
      fullName: string;
      dateOfBirth: string;
      roomCode: string;
      seatNo: number;
    }[];
    const attemptStmt = this.stmts.get(
      `SELECT a.id, a.part_id AS partId, p.code AS partCode, a.status, a.started_at AS startedAt, a.submitted_at AS submittedAt,
              a.submit_reason AS submitReason, a.correct, a.total, a.score, a.passed, pa.digest AS paperDigest,
              pa.bank_version AS bankVersion, pa.items AS paper
         FROM attempts a JOIN exam_parts p ON p.id = a.part_id JOIN papers pa ON pa.id = a.paper_id
        WHERE a.sitting_id = ? AND a.candidate_id = ? ORDER BY p.sort_order, a.id`,
    );
    const eventStmt = this.stmts.get('SELECT kind, at, data FROM attempt_events WHERE attempt_id = ? ORDER BY id');
    const answerStmt = this.stmts.get(
      'SELECT question_no AS no, choice, seq, saved_at AS savedAt FROM answers WHERE attempt_id = ? ORDER BY question_no',
    );
    const flagStmt = this.stmts.get('SELECT question_no FROM attempt_flags WHERE attempt_id = ? ORDER BY question_no').pluck();
    let attemptCount = 0;
    let answerCount = 0;
    const absentStmt = this.stmts
      .get('SELECT part_id FROM absences WHERE sitting_id = ? AND candidate_id = ? ORDER BY part_id')
      .pluck();
    const out = candidates.map((c) => ({
      ...c,
      absentParts: absentStmt.all(sittingId, c.id) as number[],
      attempts: (attemptStmt.all(sittingId, c.id) as Record<string, unknown>[]).map((a) => {
        attemptCount++;
        const answers = (answerStmt.all(a.id) as { no: number; choice: string; seq: number; savedAt: number }[]).map((x) => ({
          ...x,
          choice: JSON.parse(x.choice) as string[],
        }));
        answerCount += answers.length;
        return {
          ...a,
          passed: a.passed === null ? null : !!a.passed,
          events: (eventStmt.all(a.id) as { kind: string; at: number; data: string }[]).map((e) => ({
            ...e,
            data: JSON.parse(e.data) as unknown,
          })),
          answers,
          flags: flagStmt.all(a.id) as number[],
        };
      }),
    }));
    const doc = {
      format: 'vn-exam-sitting-export',
      version: 2,
      exam: { id: s.examId, code: s.examCode, name: s.examName, organisingBody: s.organisingBody },
      sitting: { id: sittingId, name: s.name, startsAt: s.startsAt, timeZone: s.timeZone },
      rooms: this.stmts
        .get(
          `SELECT r.code, c.closed_at AS closedAt, u.full_name AS closedBy FROM room_closures c JOIN rooms r ON r.id = c.room_id
             LEFT JOIN users u ON u.id = c.closed_by WHERE c.sitting_id = ? ORDER BY r.code`,
        )
        .all(sittingId),
      sealedAt: new Date(sealedAt).toISOString(),
      sealedBy,
      // the audit chain's anchor at sealing (issue 14): check it later at GET /api/audit/verify?anchor=
      auditAnchor: auditAnchor(this.db).text,
      candidates: out,
      sanctions: this.stmts
        .get(
          `SELECT x.candidate_id AS candidateId, x.code, x.reason, x.part_id AS partId, x.at FROM sanctions x
             JOIN seat_assignments a ON a.candidate_id = x.candidate_id AND a.sitting_id = ? ORDER BY x.id`,
        )
        .all(sittingId),
      incidents: this.incidents(sittingId, null),
    };
    return { data: Buffer.from(canonicalJson(doc), 'utf8'), attempts: attemptCount, answers: answerCount };
  }

  /**
   * Seals the sitting once no attempt is running: one JSON file with every attempt and answer, kept
   * unchangeable in the database; its SHA-256 goes on each room's result sheet. Sealing twice
   * returns the first seal.
   */
  async seal(user: AuthUser, sittingId: number, reason: string): Promise<SealResultDto> {
    this.assertSitting(user, sittingId);
    const existing = this.stmts
      .get(
        'SELECT sha256, length(data) AS bytes, sealed_at AS sealedAt, attempts, answers FROM sitting_exports WHERE sitting_id = ?',
      )
      .get(sittingId) as Omit<SealResultDto, 'sittingId'> | undefined;
    if (existing) return { sittingId, ...existing };
    const step = this.sealStep(sittingId);
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
    const built = this.buildExport(sittingId, sealedAt, actor.name);
    const sha256 = createHash('sha256').update(built.data).digest('hex');
    const roomIds = this.stmts
      .get('SELECT DISTINCT room_id FROM seat_assignments WHERE sitting_id = ? ORDER BY room_id')
      .pluck()
      .all(sittingId) as number[];
    const ids: number[] = [];
    this.sqlite.transaction(() => {
      this.stmts
        .get(
          'INSERT INTO sitting_exports (sitting_id, sha256, data, attempts, answers, sealed_at, sealed_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(sittingId, sha256, built.data, built.attempts, built.answers, sealedAt, user.id);
      for (const roomId of roomIds)
        ids.push(this.record(actor, sittingId, roomId, 'seal', reason.trim() || 'Kết thúc ca thi', null, null, { sha256 }));
      const examId = this.sitting(sittingId).examId;
      // the last sitting sealed: the exam moves on to marking
      if (allSittingsSealed(this.db, examId)) {
        moveExam(this.db, examId, 'running', actor, { sittingId });
        moveExam(this.db, examId, 'finished', actor, { sittingId });
      }
    })();
    for (const id of ids) {
      const i = this.incidentById(id);
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

  sealedExport(sittingId: number): { data: Buffer; sha256: string } {
    const row = this.stmts.get('SELECT data, sha256 FROM sitting_exports WHERE sitting_id = ?').get(sittingId) as
      | { data: Buffer; sha256: string }
      | undefined;
    if (!row) throw new AppError(409, 'NOT_SEALED', 'Dữ liệu ca thi chưa được niêm phong', 'The sitting has not been sealed yet');
    return row;
  }

  /** What the minutes print (live: the incident log grows until the room closes). */
  documentData(sittingId: number, roomId: number) {
    const s = this.sitting(sittingId);
    const ref = this.roomRef(sittingId, roomId);
    const location = this.stmts.get('SELECT location FROM rooms WHERE id = ?').pluck().get(roomId) as string;
    const invigilators = this.stmts
      .get(
        'SELECT u.full_name FROM room_invigilators i JOIN users u ON u.id = i.user_id WHERE i.sitting_id = ? AND i.room_id = ? ORDER BY u.full_name',
      )
      .pluck()
      .all(sittingId, roomId) as string[];
    const results = this.stmts
      .get(
        `SELECT a.seat_no AS seatNo, c.id, c.number, c.full_name AS fullName, c.date_of_birth AS dateOfBirth
           FROM seat_assignments a JOIN candidates c ON c.id = a.candidate_id
          WHERE a.sitting_id = ? AND a.room_id = ? ORDER BY a.seat_no`,
      )
      .all(sittingId, roomId) as { seatNo: number; id: number; number: string; fullName: string; dateOfBirth: string }[];
    const scoreStmt = this.stmts.get(
      'SELECT part_id AS partId, status, correct, total, score, passed FROM attempts WHERE sitting_id = ? AND candidate_id = ?',
    );
    const absentStmt = this.stmts.get('SELECT part_id FROM absences WHERE sitting_id = ? AND candidate_id = ?').pluck();
    const suspended = new Set(
      this.stmts
        .get(
          "SELECT candidate_id FROM sanctions WHERE code = 'dinh_chi' AND candidate_id IN (SELECT candidate_id FROM seat_assignments WHERE sitting_id = ? AND room_id = ?)",
        )
        .pluck()
        .all(sittingId, roomId) as number[],
    );
    return {
      exam: { name: s.examName, code: s.examCode, organisingBody: s.organisingBody },
      timeZone: s.timeZone,
      sitting: { name: s.name, startsAt: s.startsAt },
      room: { code: ref.roomCode, name: ref.roomName, location },
      parts: s.parts.map((p) => ({ id: p.id, name: p.name })),
      invigilators,
      sealed: ref.sealed,
      incidents: this.incidents(sittingId, roomId),
      rows: results.map((r) => ({
        ...r,
        suspended: suspended.has(r.id),
        absentParts: absentStmt.all(sittingId, r.id) as number[],
        attempts: scoreStmt.all(sittingId, r.id) as SheetAttempt[],
      })),
    };
  }

  /**
   * What the room's result sheet prints, read from the sealed file itself (not from the live
   * tables), so the sheet and the file under its SHA-256 cannot disagree.
   */
  resultSheetData(sittingId: number, roomId: number): ProctorDocumentData {
    const live = this.documentData(sittingId, roomId);
    const file = this.sealedExport(sittingId);
    const doc = parseSealedExport(file.data);
    const rows = doc.candidates
      .filter((c) => c.roomCode === live.room.code)
      .map((c) => ({
        seatNo: c.seatNo,
        id: c.id,
        number: c.number,
        fullName: c.fullName,
        dateOfBirth: c.dateOfBirth,
        suspended: doc.sanctions.some((x) => x.candidateId === c.id && x.code === 'dinh_chi'),
        absentParts: c.absentParts,
        attempts: c.attempts.map((a) => ({
          partId: a.partId,
          status: a.status,
          correct: a.correct,
          total: a.total,
          score: a.score,
          passed: a.passed === null ? null : a.passed ? 1 : 0,
        })),
      }));
    return {
      ...live,
      sitting: { name: doc.sitting.name, startsAt: doc.sitting.startsAt },
      sealed: { sha256: file.sha256, sealedAt: Date.parse(doc.sealedAt) },
      rows,
    };
  }
}

interface SheetAttempt {
  partId: number;
  status: string;
  correct: number | null;
  total: number | null;
  score: number | null;
  passed: number | null;
}

const Num = Type.Union([Type.Number(), Type.Null()]);
/** The parts of a sealed export (format vn-exam-sitting-export) the result sheet reads; checked when read back. */
const SealedExportRows = Type.Object({
  sealedAt: Type.String(),
  sitting: Type.Object({ name: Type.String(), startsAt: Type.String() }),
  candidates: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      fullName: Type.String(),
      dateOfBirth: Type.String(),
      roomCode: Type.String(),
      seatNo: Type.Integer(),
      absentParts: Type.Array(Type.Integer()),
      attempts: Type.Array(
        Type.Object({
          partId: Type.Integer(),
          status: Type.String(),
          correct: Num,
          total: Num,
          score: Num,
          passed: Type.Union([Type.Boolean(), Type.Null()]),
        }),
      ),
    }),
  ),
  sanctions: Type.Array(Type.Object({ candidateId: Type.Integer(), code: Type.String() })),
});

export function parseSealedExport(data: Buffer): Static<typeof SealedExportRows> {
  const doc: unknown = JSON.parse(data.toString('utf8'));
  if (!Value.Check(SealedExportRows, doc))
    throw new AppError(
      500,
      'SEALED_EXPORT_INVALID',
      'Tệp dữ liệu ca thi đã niêm phong không đọc được',
      'The sealed export cannot be read',
    );
  return doc;
}

export type ProctorDocumentData = ReturnType<ProctorService['documentData']>;
