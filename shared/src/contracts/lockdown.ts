import { type Static, Type } from '@sinclair/typebox';
import { lit, orNull } from './common.js';

/** Lockdown and accommodations (issue 19). */

export const FOCUS_POLICIES = ['warn', 'unlock'] as const;
/** `warn`: focus losses only show on the seat map; `unlock`: after `focusLimit` of them the paper waits for an invigilator. */
export type FocusPolicy = (typeof FOCUS_POLICIES)[number];

export const LockdownSettingsDto = Type.Object({
  examId: Type.Integer(),
  sebRequired: Type.Boolean(),
  /** the page SEB opens (part of the .seb file, so of the Config Key) */
  sebStartUrl: orNull('string'),
  /** SHA-256 of the generated configuration as SEB-JSON; null until SEB is set up */
  sebConfigKey: orNull('string'),
  focusPolicy: lit(FOCUS_POLICIES),
  focusLimit: Type.Integer(),
});
export type LockdownSettingsDto = Static<typeof LockdownSettingsDto>;

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
export const SeatLockdown = Type.Object({
  focusLosses: Type.Integer(),
  fullscreenExits: Type.Integer(),
  /** the `unlock` policy's limit was reached: answers are refused until an invigilator unlocks */
  locked: Type.Boolean(),
  /** extra time granted by the board before the sitting */
  extraMinutes: Type.Integer(),
});
export type SeatLockdown = Static<typeof SeatLockdown>;

export const AccommodationBody = Type.Object({
  extraMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
  reason: Type.String({ maxLength: 500 }),
});
export type AccommodationBody = Static<typeof AccommodationBody>;

export const AccommodationDto = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  extraMinutes: Type.Integer(),
  reason: Type.String(),
});
export type AccommodationDto = Static<typeof AccommodationDto>;

/** The answer to setting a candidate's extra time (0 minutes: removed). */
export const AccommodationSet = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  extraMinutes: Type.Integer(),
  reason: Type.String(),
});
export type AccommodationSet = Static<typeof AccommodationSet>;
