import { type Static, Type } from '@sinclair/typebox';
import { lit } from './common.js';

/** Lockdown and accommodations (issue 19). */

export const FOCUS_POLICIES = ['warn', 'unlock'] as const;
/** `warn`: focus losses only show on the seat map; `unlock`: after `focusLimit` of them the paper waits for an invigilator. */
export type FocusPolicy = (typeof FOCUS_POLICIES)[number];

export interface LockdownSettingsDto {
  examId: number;
  sebRequired: boolean;
  /** the page SEB opens (part of the .seb file, so of the Config Key) */
  sebStartUrl: string | null;
  /** SHA-256 of the generated configuration as SEB-JSON; null until SEB is set up */
  sebConfigKey: string | null;
  focusPolicy: FocusPolicy;
  focusLimit: number;
}

export const LockdownBody = Type.Object({
  sebRequired: Type.Optional(Type.Boolean()),
  sebStartUrl: Type.Optional(Type.Union([Type.String({ minLength: 8, maxLength: 500 }), Type.Null()])),
  focusPolicy: Type.Optional(lit(FOCUS_POLICIES)),
  focusLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
export type LockdownBody = Static<typeof LockdownBody>;

export const LOCKDOWN_KINDS = ['blur', 'fullscreen_exit'] as const;
export const LockdownReport = Type.Object({ kind: lit(LOCKDOWN_KINDS) });
export type LockdownReport = Static<typeof LockdownReport>;

/** A candidate's lockdown figures, on the seat map and in the answer to a report. */
export interface SeatLockdown {
  focusLosses: number;
  fullscreenExits: number;
  /** the `unlock` policy's limit was reached: answers are refused until an invigilator unlocks */
  locked: boolean;
  /** extra time granted by the board before the sitting */
  extraMinutes: number;
}

export const AccommodationBody = Type.Object({
  extraMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
  reason: Type.String({ maxLength: 500 }),
});
export type AccommodationBody = Static<typeof AccommodationBody>;

export interface AccommodationDto {
  candidateId: number;
  number: string;
  fullName: string;
  extraMinutes: number;
  reason: string;
}
