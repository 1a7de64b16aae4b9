import { type Static, Type } from '@sinclair/typebox';
import type { Timing } from '../timing/deadline.js';
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
