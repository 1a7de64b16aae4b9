/**
 * The lifecycle of an exam and of each sitting, as the server enforces it (issue 11).
 *
 * A room of a sitting: scheduled → open → closed → sealed.
 *   - open: an invigilator opened it (or the whole sitting), or the scheduled time came;
 *   - closed: an invigilator closed it once every attempt in it had ended, confirming in the
 *     minutes every seated candidate who never started a part as absent (vắng);
 *   - sealed: the sitting's data was sealed, which needs every room of the sitting closed.
 * The sitting as a whole: sealed once sealed; closed when every room is closed; open when any room
 * is open or closed; otherwise scheduled.
 *
 * An exam: set-up → ready → running → marking → published (stored as draft, ready, running,
 * finished, published). A key correction or a review (phúc khảo) takes a published exam back to
 * marking, through a recorded path.
 */
import type { ExamStatus } from '../contracts/exams.js';
import type { LocalizedText as Text } from '../rules/types.js';

export const ROOM_STATES = ['scheduled', 'open', 'closed', 'sealed'] as const;
export type RoomState = (typeof ROOM_STATES)[number];

export const ROOM_STATE_LABELS: Record<RoomState, Text> = {
  scheduled: { vi: 'Chưa mở', en: 'Scheduled' },
  open: { vi: 'Đang thi', en: 'Open' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
  sealed: { vi: 'Đã niêm phong', en: 'Sealed' },
};

export interface RoomStateInput {
  /** ISO instant of the scheduled start */
  startsAt: string;
  /** the whole sitting opened by hand (ISO) */
  sittingOpenedAt: string | null;
  /** this room opened by an invigilator (epoch ms) */
  roomOpenedAt: number | null;
  /** this room closed (epoch ms) */
  closedAt: number | null;
  /** the sitting sealed */
  sealed: boolean;
}

export function roomState(r: RoomStateInput, now: number): RoomState {
  if (r.sealed) return 'sealed';
  if (r.closedAt !== null) return 'closed';
  if (r.roomOpenedAt !== null || r.sittingOpenedAt !== null || now >= Date.parse(r.startsAt)) return 'open';
  return 'scheduled';
}

/** The sitting's state from its rooms' states. */
export function sittingState(rooms: readonly RoomState[], sealed: boolean): RoomState {
  if (sealed) return 'sealed';
  if (rooms.length > 0 && rooms.every((s) => s === 'closed' || s === 'sealed')) return 'closed';
  if (rooms.some((s) => s !== 'scheduled')) return 'open';
  return 'scheduled';
}

/** An action and whether it is allowed now, with the reason when it is not. */
export interface StepDto {
  action: string;
  allowed: boolean;
  /** why not (Vietnamese / English), when not allowed */
  reason: Text | null;
}

export const EXAM_PHASES = ['setup', 'ready', 'running', 'marking', 'published'] as const;
export type ExamPhase = (typeof EXAM_PHASES)[number];

export const EXAM_PHASE_OF: Record<ExamStatus, ExamPhase> = {
  draft: 'setup',
  ready: 'ready',
  running: 'running',
  finished: 'marking',
  published: 'published',
};

export const EXAM_PHASE_LABELS: Record<ExamPhase, Text> = {
  setup: { vi: 'Thiết lập', en: 'Set-up' },
  ready: { vi: 'Sẵn sàng', en: 'Ready' },
  running: { vi: 'Đang thi', en: 'Running' },
  marking: { vi: 'Chấm thi', en: 'Marking' },
  published: { vi: 'Đã công bố', en: 'Published' },
};

/** The exam transitions the server allows; anything else is refused. */
export const EXAM_TRANSITIONS: Readonly<Record<ExamStatus, readonly ExamStatus[]>> = {
  draft: ['ready'],
  ready: ['running'],
  running: ['finished'],
  finished: ['published'],
  // a key correction or a review reopens the results
  published: ['finished'],
};

export function examTransitionAllowed(from: ExamStatus, to: ExamStatus): boolean {
  return EXAM_TRANSITIONS[from].includes(to);
}

/** The exam's lifecycle as the screens show it: where it is, and what may happen next and why not. */
export interface ExamLifecycleDto {
  status: ExamStatus;
  phase: ExamPhase;
  /** IANA zone of every time typed or read for this exam */
  timeZone: string;
  sittings: {
    sittingId: number;
    name: string;
    startsAt: string;
    state: RoomState;
    rooms: { roomId: number; roomCode: string; state: RoomState }[];
  }[];
  next: StepDto[];
}
