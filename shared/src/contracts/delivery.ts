import { type Static, Type } from '@sinclair/typebox';
import type { Timing } from '../timing/deadline.js';
import { lit, orNull } from './common.js';
import type { ErrorCode } from './errors.js';

/**
 * The candidate's side of an exam: REST for sign-in and set-up, Socket.IO namespace `/candidate`
 * for answers and time. Nothing here ever carries an answer key.
 */

export const CandidateLoginBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 32, description: 'số báo danh' }),
  pin: Type.String({ minLength: 4, maxLength: 12 }),
  /** a random id the lab PC keeps in localStorage; one active device per candidate */
  deviceId: Type.String({ minLength: 8, maxLength: 64 }),
});
export type CandidateLoginBody = Static<typeof CandidateLoginBody>;

/** `barred`: a suspension (đình chỉ thi) bars the later parts where the profile says so. */
export type CandidatePartStatus = 'exempt' | 'not_started' | 'running' | 'paused' | 'submitted' | 'expired' | 'barred';

export interface CandidatePartDto {
  partId: number;
  name: string;
  round: number;
  questionCount: number;
  durationMin: number;
  status: CandidatePartStatus;
  attemptId: number | null;
  /** shown when the profile gives results at once (e.g. computer round 1) */
  result: PartResultDto | null;
}

export interface PartResultDto {
  correct: number;
  total: number;
  score: number;
  scale: number;
  passed: boolean;
}

export interface CandidateMeDto {
  candidate: { number: string; fullName: string; dateOfBirth: string; roomName: string | null; seatNo: number | null };
  /** timeZone: every time on the candidate's screen is shown in it (Asia/Ho_Chi_Minh by default) */
  exam: { name: string; organisingBody: string; timeZone: string };
  sitting: {
    name: string;
    startsAt: string;
    opened: boolean;
    timingMode: 'fixed_window' | 'individual';
    /** the room's lifecycle state: scheduled, open, closed or sealed */
    state: 'scheduled' | 'open' | 'closed' | 'sealed';
  } | null;
  rulesAcknowledged: boolean;
  /** suspended from the exam (đình chỉ thi) by an invigilator */
  suspended: boolean;
  /** the reason the invigilator recorded for the suspension */
  suspensionReason: string | null;
  parts: CandidatePartDto[];
  serverNow: number;
}

export interface CandidateQuestionDto {
  no: number;
  type: 'single' | 'multiple' | 'true_false';
  stem: string;
  /** in display order; ids are stable, letters are positional */
  options: { id: string; text: string }[];
}

export interface AttemptTimingDto extends Timing {
  serverNow: number;
}

export interface AttemptDto {
  attemptId: number;
  partId: number;
  partName: string;
  questions: CandidateQuestionDto[];
  answers: Record<number, string[]>;
  flags: number[];
  /** highest seq the server has committed for this attempt */
  lastSeq: number;
  timing: AttemptTimingDto;
  /**
   * Only when the start or reload asked for the key instead of the questions (`?paper=key`: the
   * client holds the sealed paper already); `questions` is then empty.
   */
  paperKey?: PaperKeyDto;
}

/**
 * The key that opens one candidate's sealed paper for one part (issue 15): AES-256-GCM, derived
 * with HKDF from the exam secret for this paper and rendering `version`; base64. Sent at the
 * opening over the candidate's socket.
 */
export interface PaperKeyDto {
  partId: number;
  version: number;
  key: string;
  /**
   * At the opening the server starts the part for the candidates it sends keys to (the clock starts
   * at the opening): the paper shows at once, with no request.
   */
  attempt?: { attemptId: number; timing: AttemptTimingDto };
}

/**
 * When to download which sealed paper while waiting: the server spreads the downloads over the
 * waiting period; `fetchAt` is in the server's clock. `bytes`: the sealed size.
 */
export interface PrefetchPlanDto {
  serverNow: number;
  items: { partId: number; version: number; bytes: number; fetchAt: number }[];
}

/**
 * The highest `seq` an answer may carry. The client counts up by one per change, so a real attempt
 * never comes near it; a larger value (2^63 once) would make every later answer "older" (issue 14).
 */
export const SEQ_MAX = 1_000_000_000;

export const AnswerBody = Type.Object({
  questionNo: Type.Integer({ minimum: 1, maximum: 1000 }),
  choice: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 6 }),
  seq: Type.Integer({ minimum: 1, maximum: SEQ_MAX }),
});
export type AnswerBody = Static<typeof AnswerBody>;

export const FlagBody = Type.Object({
  questionNo: Type.Integer({ minimum: 1, maximum: 1000 }),
  flagged: Type.Boolean(),
});
export type FlagBody = Static<typeof FlagBody>;

export type SubmitReason = 'candidate' | 'deadline' | 'invigilator' | 'suspended';

/** The ack of a saved answer: sent only after the transaction holding it has committed. */
export type AnswerAck =
  | {
      ok: true;
      seq: number;
      savedAt: number;
      /**
       * false: the server already held a newer answer to this question (higher seq), so this replay was
       * ignored; either way the question's stored answer is durable.
       */
      applied: boolean;
      /** when not applied: the answer the server holds (from another tab or PC), which the screen shows instead */
      stored?: { choice: string[]; seq: number };
    }
  | { ok: false; code: ErrorCode; message: string; seq?: number };

export interface SubmitResultDto {
  attemptId: number;
  submittedAt: number;
  /** candidate | deadline | invigilator | suspended */
  reason: SubmitReason;
  result: PartResultDto | null;
}

/** Socket.IO events of the `/candidate` namespace. */
export interface CandidateServerToClient {
  timing: (p: { attemptId: number; timing: AttemptTimingDto }) => void;
  submitted: (p: SubmitResultDto) => void;
  /** this device was replaced by another one (an invigilator allowed a move) */
  replaced: (p: { message: string }) => void;
  /** the exam was opened in another tab or window of this PC: this connection is closed (one live socket per candidate) */
  elsewhere: (p: { message: string }) => void;
  /** a banner: an invigilator's message, or a recorded sanction (khiển trách, cảnh cáo) */
  message: (p: { text: string; at: number; kind: 'info' | 'warning' }) => void;
  /** the invigilator opened the sitting for the candidate's room: reload /me and start */
  opened: (p: { at: number }) => void;
  /** suspended from the exam (đình chỉ thi): the attempt is over and later parts may be barred */
  suspended: (p: { message: string; reason: string }) => void;
  /** the sitting opened: the key of the candidate's sealed paper (issue 15) */
  paperKey: (p: PaperKeyDto) => void;
}

export interface CandidateClientToServer {
  answer: (p: { attemptId: number } & AnswerBody, ack: (r: AnswerAck) => void) => void;
  flag: (p: { attemptId: number } & FlagBody, ack: (r: { ok: boolean; code?: string; message?: string }) => void) => void;
  /** clock sync: the client measures its offset from serverNow and the round trip */
  sync: (
    p: { attemptId?: number; clientNow: number },
    ack: (r: { serverNow: number; timing: AttemptTimingDto | null }) => void,
  ) => void;
}

// ---------------------------------------------------------------------------------------------
// Response schemas of the candidate routes (issue 16): Fastify serializes each response through
// its schema and drops any field the schema does not name, so nothing but what is listed here
// reaches a candidate. The interfaces above stay the types the code uses; the checks at the end
// fail the type check if a DTO gains a field its schema does not carry.

export const PartResultSchema = Type.Object({
  correct: Type.Number(),
  total: Type.Number(),
  score: Type.Number(),
  scale: Type.Number(),
  passed: Type.Boolean(),
});

export const CandidatePartSchema = Type.Object({
  partId: Type.Integer(),
  name: Type.String(),
  round: Type.Integer(),
  questionCount: Type.Integer(),
  durationMin: Type.Number(),
  /** a part whose fixed window has not opened yet shows its clock's state, 'waiting' */
  status: lit(['exempt', 'not_started', 'running', 'paused', 'submitted', 'expired', 'barred', 'waiting']),
  attemptId: orNull('integer'),
  result: Type.Union([PartResultSchema, Type.Null()]),
});

export const CandidateMeSchema = Type.Object({
  candidate: Type.Object({
    number: Type.String(),
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    roomName: orNull('string'),
    seatNo: orNull('integer'),
  }),
  exam: Type.Object({ name: Type.String(), organisingBody: Type.String(), timeZone: Type.String() }),
  sitting: Type.Union([
    Type.Object({
      name: Type.String(),
      startsAt: Type.String(),
      opened: Type.Boolean(),
      timingMode: lit(['fixed_window', 'individual']),
      state: lit(['scheduled', 'open', 'closed', 'sealed']),
    }),
    Type.Null(),
  ]),
  rulesAcknowledged: Type.Boolean(),
  suspended: Type.Boolean(),
  suspensionReason: orNull('string'),
  parts: Type.Array(CandidatePartSchema),
  serverNow: Type.Number(),
});

export const AttemptTimingSchema = Type.Object({
  state: lit(['waiting', 'running', 'paused', 'submitted', 'expired']),
  startedAt: orNull('number'),
  deadline: orNull('number'),
  remainingMs: orNull('number'),
  pausedMs: Type.Number(),
  extendedMs: Type.Number(),
  serverNow: Type.Number(),
});

export const PaperKeySchema = Type.Object({
  partId: Type.Integer(),
  version: Type.Integer(),
  key: Type.String(),
  attempt: Type.Optional(Type.Object({ attemptId: Type.Integer(), timing: AttemptTimingSchema })),
});

export const CandidateQuestionSchema = Type.Object({
  no: Type.Integer(),
  type: lit(['single', 'multiple', 'true_false']),
  stem: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
});

/** The start and the reload send the stored view as bytes (sealed.ts); this schema says what they hold. */
export const AttemptSchema = Type.Object({
  attemptId: Type.Integer(),
  partId: Type.Integer(),
  partName: Type.String(),
  questions: Type.Array(CandidateQuestionSchema),
  answers: Type.Record(Type.Integer(), Type.Array(Type.String())),
  flags: Type.Array(Type.Integer()),
  lastSeq: Type.Integer(),
  timing: AttemptTimingSchema,
  paperKey: Type.Optional(PaperKeySchema),
});

export const PrefetchPlanSchema = Type.Object({
  serverNow: Type.Number(),
  items: Type.Array(
    Type.Object({ partId: Type.Integer(), version: Type.Integer(), bytes: Type.Integer(), fetchAt: Type.Number() }),
  ),
});

/** The ack of an answer that was saved (200); a refused one goes out with 403 or 409 as AnswerRefusalSchema. */
export const AnswerSavedSchema = Type.Object({
  ok: Type.Literal(true),
  seq: Type.Integer(),
  savedAt: Type.Number(),
  applied: Type.Boolean(),
  stored: Type.Optional(Type.Object({ choice: Type.Array(Type.String()), seq: Type.Integer() })),
});

export const AnswerRefusalSchema = Type.Object({
  ok: Type.Literal(false),
  code: Type.String(),
  message: Type.String(),
  seq: Type.Optional(Type.Integer()),
});

export const SubmitResultSchema = Type.Object({
  attemptId: Type.Integer(),
  submittedAt: Type.Number(),
  reason: lit(['candidate', 'deadline', 'invigilator', 'suspended']),
  result: Type.Union([PartResultSchema, Type.Null()]),
});

/** true when every value of A is a value of B (a DTO fits its schema). */
type Fits<A, B> = [A] extends [B] ? true : false;
type MustFit<T extends true> = T;
export type DeliveryContractChecks = [
  MustFit<Fits<CandidateMeDto, Static<typeof CandidateMeSchema>>>,
  MustFit<Fits<AttemptDto, Static<typeof AttemptSchema>>>,
  MustFit<Fits<PrefetchPlanDto, Static<typeof PrefetchPlanSchema>>>,
  MustFit<Fits<Extract<AnswerAck, { ok: true }>, Static<typeof AnswerSavedSchema>>>,
  MustFit<Fits<Extract<AnswerAck, { ok: false }>, Static<typeof AnswerRefusalSchema>>>,
  MustFit<Fits<SubmitResultDto, Static<typeof SubmitResultSchema>>>,
];
