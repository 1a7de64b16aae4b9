import { type Static, Type } from '@sinclair/typebox';
import { ROOM_STATES, type StepDto } from '../lifecycle/index.js';
import type { LocalizedText } from '../rules/types.js';
import { lit, orNull } from './common.js';
import type { ErrorCode } from './errors.js';
import { SeatLockdown } from './lockdown.js';

/**
 * Live invigilation (issue 5): REST under /api/proctor for reads and actions, Socket.IO namespace
 * `/proctor` for live seat updates. Invigilators see only the rooms they are assigned to; the board
 * (and admin) see every room.
 */

export const SEAT_STATES = ['not_signed_in', 'signed_in', 'working', 'disconnected', 'paused', 'submitted', 'suspended'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

export const SEAT_STATE_LABELS: Record<SeatState, LocalizedText> = {
  not_signed_in: { vi: 'Chưa đăng nhập', en: 'Not signed in' },
  signed_in: { vi: 'Đã đăng nhập', en: 'Signed in' },
  working: { vi: 'Đang làm bài', en: 'Working' },
  disconnected: { vi: 'Mất kết nối', en: 'Disconnected' },
  paused: { vi: 'Tạm dừng', en: 'Paused' },
  submitted: { vi: 'Đã nộp', en: 'Submitted' },
  suspended: { vi: 'Đình chỉ', en: 'Suspended' },
};

/** Sanctions an invigilator may record; hủy kết quả belongs to the board (results). */
export const PROCTOR_SANCTIONS = ['khien_trach', 'canh_cao', 'dinh_chi'] as const;
export type ProctorSanction = (typeof PROCTOR_SANCTIONS)[number];

const Localized = Type.Object({ vi: Type.String(), en: Type.String() });
/** An action and whether it is allowed now, with the reason when it is not (lifecycle's StepDto). */
export const StepSchema = Type.Object({
  action: Type.String(),
  allowed: Type.Boolean(),
  /** why not (Vietnamese / English), when not allowed */
  reason: Type.Union([Localized, Type.Null()]),
});
// the schema is lifecycle's StepDto, no more and no less
const _stepMatches: [StepDto] extends [Static<typeof StepSchema>]
  ? [Static<typeof StepSchema>] extends [StepDto]
    ? true
    : never
  : never = true;
const RoomStateSchema = lit(ROOM_STATES);
const SealedRef = Type.Union([Type.Object({ sha256: Type.String(), sealedAt: Type.Number() }), Type.Null()]);

export const SeatDto = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  seatNo: Type.Integer(),
  state: lit(SEAT_STATES),
  /** the part the candidate is on (the running one, else the last one touched, else the first) */
  part: Type.Union([
    Type.Object({
      partId: Type.Integer(),
      name: Type.String(),
      attemptId: orNull('integer'),
      index: Type.Integer(),
      count: Type.Integer(),
    }),
    Type.Null(),
  ]),
  answered: Type.Integer(),
  total: Type.Integer(),
  flagged: Type.Integer(),
  /** when the part's clock started (server clock) */
  startedAt: orNull('number'),
  /** server-clock epoch ms; null until the clock runs */
  deadline: orNull('number'),
  /** at `serverNow` of the message that carried this seat */
  remainingMs: orNull('number'),
  extendedMs: Type.Number(),
  /** when the last answer was saved (server clock) */
  lastSaveAt: orNull('number'),
  connected: Type.Boolean(),
  /** set while the candidate has no live connection after having had one */
  disconnectedSince: orNull('number'),
  device: Type.Union([Type.Object({ ip: orNull('string'), userAgent: orNull('string'), boundAt: Type.Number() }), Type.Null()]),
  /** last refused sign-in from another PC */
  otherDeviceTriedAt: orNull('number'),
  moveAllowed: Type.Boolean(),
  sanctions: Type.Array(lit(PROCTOR_SANCTIONS)),
  /** sign-in locked after repeated wrong PINs until this time (server clock); the invigilator can lift it */
  signInLockedUntil: orNull('number'),
  /** focus losses, full-screen exits, the focus lock and extra time (issue 19); null where not tracked */
  lockdown: Type.Optional(Type.Union([SeatLockdown, Type.Null()])),
});
export type SeatDto = Static<typeof SeatDto>;

export const RoomRefDto = Type.Object({
  examId: Type.Integer(),
  examName: Type.String(),
  sittingId: Type.Integer(),
  sittingName: Type.String(),
  /** ISO date-time of the scheduled start */
  startsAt: Type.String(),
  roomId: Type.Integer(),
  roomCode: Type.String(),
  roomName: Type.String(),
  seats: Type.Integer(),
  seatsPerRow: Type.Integer(),
  candidates: Type.Integer(),
  /** candidates can start: opened by an invigilator (room or sitting) or the scheduled time has come */
  open: Type.Boolean(),
  /** when an invigilator opened this room (epoch ms), if one did */
  openedAt: orNull('number'),
  /** sealed export of the sitting, once made */
  sealed: SealedRef,
  /** the room's lifecycle state (scheduled → open → closed → sealed) */
  state: RoomStateSchema,
  /** when the room was closed (epoch ms) */
  closedAt: orNull('number'),
  /** the exam's time zone: every time on the screen is shown in it */
  timeZone: Type.String(),
  /** what may be done to the room now (open, close, seal), and why not */
  steps: Type.Array(StepSchema),
});
export type RoomRefDto = Static<typeof RoomRefDto>;

/** What closing a room would record, shown to the invigilator before they confirm. */
export const RoomClosingDto = Type.Object({
  state: RoomStateSchema,
  /** attempts still running: the room cannot close until they end */
  running: Type.Array(
    Type.Object({
      candidateId: Type.Integer(),
      number: Type.String(),
      fullName: Type.String(),
      seatNo: Type.Integer(),
      part: Type.String(),
    }),
  ),
  /** seated candidates who never started a part: confirmed absent (vắng) when the room closes */
  absentees: Type.Array(
    Type.Object({
      candidateId: Type.Integer(),
      number: Type.String(),
      fullName: Type.String(),
      seatNo: Type.Integer(),
      parts: Type.Array(Type.Object({ partId: Type.Integer(), name: Type.String() })),
    }),
  ),
});
export type RoomClosingDto = Static<typeof RoomClosingDto>;

export const PROCTOR_ACTIONS = [
  'open_sitting',
  'pause',
  'resume',
  'extend',
  'allow_move',
  'sanction',
  'force_submit',
  'message',
  'close_room',
  'admit_late',
  'unlock_signin',
  'unlock_focus',
] as const;
export type ProctorAction = (typeof PROCTOR_ACTIONS)[number];

export const PROCTOR_ACTION_LABELS: Record<ProctorAction | 'seal', LocalizedText> = {
  open_sitting: { vi: 'Mở ca thi', en: 'Open the sitting' },
  pause: { vi: 'Tạm dừng', en: 'Pause' },
  resume: { vi: 'Tiếp tục', en: 'Resume' },
  extend: { vi: 'Cộng thêm giờ', en: 'Extend time' },
  allow_move: { vi: 'Cho phép chuyển máy', en: 'Allow a move to another PC' },
  sanction: { vi: 'Xử lý vi phạm', en: 'Sanction' },
  force_submit: { vi: 'Thu bài', en: 'Force submission' },
  message: { vi: 'Gửi thông báo', en: 'Message' },
  close_room: { vi: 'Đóng phòng thi (xác nhận thí sinh vắng)', en: 'Close the room (absentees confirmed)' },
  admit_late: { vi: 'Chủ tịch Hội đồng cho dự thi muộn', en: 'Chair admits a late candidate' },
  unlock_signin: { vi: 'Mở khóa đăng nhập', en: 'Lift the sign-in lock' },
  unlock_focus: { vi: 'Mở khóa bài thi (rời màn hình)', en: 'Unlock the paper (focus losses)' },
  seal: { vi: 'Niêm phong dữ liệu ca thi', en: 'Seal the sitting data' },
};

export const IncidentDto = Type.Object({
  id: Type.Integer(),
  at: Type.Number(),
  sittingId: Type.Integer(),
  roomId: Type.Integer(),
  seatNo: orNull('integer'),
  candidateId: orNull('integer'),
  candidateNumber: orNull('string'),
  candidateName: orNull('string'),
  action: lit([...PROCTOR_ACTIONS, 'seal'] as const),
  reason: Type.String(),
  /** minutes, level, text, … as the action has them */
  details: Type.Record(Type.String(), Type.Unknown()),
  invigilator: Type.String(),
});
export type IncidentDto = Static<typeof IncidentDto>;

/**
 * One action on a room. `candidateIds` omitted (or empty) means the whole room for pause, resume and
 * message; extend, allow_move, sanction, force_submit, admit_late and unlock_signin need exactly one candidate. Every action needs
 * a reason, which goes to the incident log (biên bản) and the audit log.
 */
export const ProctorActionBody = Type.Object({
  action: lit(PROCTOR_ACTIONS),
  candidateIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })),
  /** extend: minutes to add */
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  /** sanction: the level */
  level: Type.Optional(lit(PROCTOR_SANCTIONS)),
  /** message: the text shown as a banner on the candidate's screen */
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  /** close_room: the absentees the invigilator confirms (must be exactly the room's absentees) */
  absentees: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
});
export type ProctorActionBody = Static<typeof ProctorActionBody>;

export const ProctorActionResult = Type.Object({
  /** candidates the action changed */
  affected: Type.Integer(),
  incidents: Type.Array(IncidentDto),
});
export type ProctorActionResult = Static<typeof ProctorActionResult>;

export const WarnThresholds = Type.Object({
  /** a seat disconnected longer than this warns (30 s) */
  disconnectedMs: Type.Number(),
  /** a working seat with no saved answer for this long warns */
  idleMs: Type.Number(),
  /** a refused sign-in from another PC warns for this long */
  otherDeviceMs: Type.Number(),
});
export type WarnThresholds = Static<typeof WarnThresholds>;

export const RoomDashboardDto = Type.Object({
  room: RoomRefDto,
  seats: Type.Array(SeatDto),
  incidents: Type.Array(IncidentDto),
  serverNow: Type.Number(),
  /** thresholds for the warnings, see seatWarnings() */
  warnAfter: WarnThresholds,
});
export type RoomDashboardDto = Static<typeof RoomDashboardDto>;

/** Seats by state (every state of SEAT_STATES). */
const SeatCounts = Type.Object({
  not_signed_in: Type.Integer(),
  signed_in: Type.Integer(),
  working: Type.Integer(),
  disconnected: Type.Integer(),
  paused: Type.Integer(),
  submitted: Type.Integer(),
  suspended: Type.Integer(),
});
// the counts name every seat state, no more
const _countsComplete: [keyof Static<typeof SeatCounts>] extends [SeatState]
  ? [SeatState] extends [keyof Static<typeof SeatCounts>]
    ? true
    : never
  : never = true;
export const SittingOverviewRoom = Type.Object({
  roomId: Type.Integer(),
  roomCode: Type.String(),
  roomName: Type.String(),
  candidates: Type.Integer(),
  counts: SeatCounts,
  incidents: Type.Integer(),
  warnings: Type.Integer(),
  open: Type.Boolean(),
  state: RoomStateSchema,
  invigilators: Type.Array(Type.String()),
});
export type SittingOverviewRoom = Static<typeof SittingOverviewRoom>;

export const SittingOverviewDto = Type.Object({
  sittingId: Type.Integer(),
  sittingName: Type.String(),
  examName: Type.String(),
  startsAt: Type.String(),
  rooms: Type.Array(SittingOverviewRoom),
  totals: SeatCounts,
  incidents: Type.Array(IncidentDto),
  sealed: SealedRef,
  serverNow: Type.Number(),
  state: RoomStateSchema,
  timeZone: Type.String(),
  /** whether sealing is allowed now, and why not */
  sealStep: StepSchema,
});
export type SittingOverviewDto = Static<typeof SittingOverviewDto>;

export const SealResultDto = Type.Object({
  sittingId: Type.Integer(),
  sha256: Type.String(),
  bytes: Type.Integer(),
  sealedAt: Type.Number(),
  attempts: Type.Integer(),
  answers: Type.Integer(),
});
export type SealResultDto = Static<typeof SealResultDto>;

/** The PDFs and the sealed export file, declared by content type. */
export const BinaryFile = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });

export const DEFAULT_WARN_THRESHOLDS: WarnThresholds = {
  disconnectedMs: 30_000,
  idleMs: 10 * 60_000,
  otherDeviceMs: 15 * 60_000,
};

export type SeatWarning = 'disconnected' | 'idle' | 'other_device' | 'focus' | 'focus_locked';

export const SEAT_WARNING_LABELS: Record<SeatWarning, LocalizedText> = {
  disconnected: { vi: 'Mất kết nối quá 30 giây', en: 'Disconnected for more than 30 s' },
  idle: { vi: 'Lâu không trả lời', en: 'No answer for a long time' },
  other_device: { vi: 'Có đăng nhập từ máy khác', en: 'Sign-in tried from another PC' },
  focus: { vi: 'Rời màn hình làm bài / thoát toàn màn hình', en: 'Left the exam window / full screen' },
  focus_locked: { vi: 'Bài bị khóa: chờ giám thị mở khóa', en: 'Paper locked: waiting for the invigilator' },
};

/** The warnings a seat shows at server time `now` (pure; the dashboard re-evaluates it every second). */
export function seatWarnings(seat: SeatDto, now: number, t: WarnThresholds = DEFAULT_WARN_THRESHOLDS): SeatWarning[] {
  const out: SeatWarning[] = [];
  const live = seat.state !== 'submitted' && seat.state !== 'suspended' && seat.state !== 'not_signed_in';
  if (live && seat.disconnectedSince !== null && now - seat.disconnectedSince > t.disconnectedMs) out.push('disconnected');
  if (seat.state === 'working') {
    const since = seat.lastSaveAt ?? seat.startedAt;
    if (since !== null && now - since > t.idleMs) out.push('idle');
  }
  if (seat.otherDeviceTriedAt !== null && now - seat.otherDeviceTriedAt <= t.otherDeviceMs) out.push('other_device');
  const l = seat.lockdown;
  if (l && l.focusLosses + l.fullscreenExits > 0) out.push('focus');
  if (l?.locked && live) out.push('focus_locked');
  return out;
}

/** Socket.IO events of the `/proctor` namespace. A room is keyed `${sittingId}:${roomId}`. */
export interface ProctorServerToClient {
  /** changed seats of a watched room, batched (at most ~4 messages per second per room) */
  seats: (p: { key: string; seats: SeatDto[]; serverNow: number }) => void;
  incident: (p: { key: string; incident: IncidentDto }) => void;
  /** the room itself changed (opened, sealed) */
  room: (p: { key: string; room: RoomRefDto }) => void;
  /** a watched sitting's overview, re-sent at most once per second when something changed */
  overview: (p: SittingOverviewDto) => void;
  /** the session ended (sign-out, expiry, deactivation, role change): the socket is closed right after */
  revoked: (p: { code: ErrorCode; message: string }) => void;
}

export type ProctorAck<T> = (r: { ok: true; data: T } | { ok: false; code: ErrorCode; message: string }) => void;

export interface ProctorClientToServer {
  watchRoom: (p: { sittingId: number; roomId: number }, ack: ProctorAck<RoomDashboardDto>) => void;
  unwatchRoom: (p: { sittingId: number; roomId: number }) => void;
  watchSitting: (p: { sittingId: number }, ack: ProctorAck<SittingOverviewDto>) => void;
  unwatchSitting: (p: { sittingId: number }) => void;
}

export const roomKey = (sittingId: number, roomId: number) => `${sittingId}:${roomId}`;
