/**
 * An attempt's time as a pure function of its recorded events (ARCHITECTURE.md, "Time").
 *
 * The server owns time: it records events (sitting opened, candidate started, pause, resume,
 * extension, device switch, submit) with server-clock timestamps, and everything else — the
 * countdown, auto-submission, the replay grace — is derived from them here. No I/O, no clock:
 * the caller passes `now`.
 *
 * Rules:
 * - `fixed_window`: the clock starts for everyone at the sitting's opening — `config.scheduledStart`
 *   when the profile opens at the scheduled time, otherwise the first `open` event (opened by an
 *   invigilator) — whether or not the candidate has signed in (TT 22/2025). A candidate who signs in
 *   late simply has less time.
 * - `individual`: the clock starts at the candidate's first `start` event.
 * - deadline = start + duration + Σ extensions + total paused time. An open pause counts up to the
 *   evaluation time, so while paused the deadline keeps moving and the remaining time is frozen.
 *   Pause time before the clock starts does not count.
 * - Events are taken in (at, insertion) order; events later than `now` are not yet known and are
 *   ignored. A pause while paused and a resume while running are ignored (idempotent replays).
 * - Once the deadline has passed the attempt is over: later pause/resume/extend events are ignored
 *   (an extension cannot revive an expired paper). A later `submit` is still recorded, turning the
 *   state from `expired` (needs collecting) into `submitted` (collected).
 * - Everything after the first `submit` is ignored; a submitted attempt's figures are frozen at the
 *   moment of submission.
 */
import type { TimingMode } from '../rules/types.js';

export type AttemptEvent =
  /** The sitting opened (invigilator or scheduled start). Starts the clock in fixed-window mode. */
  | { kind: 'open'; at: number }
  /** The candidate started the paper. Starts the clock in individual mode. */
  | { kind: 'start'; at: number }
  | { kind: 'pause'; at: number }
  | { kind: 'resume'; at: number }
  /** Extra time granted by an invigilator; `ms` must be positive, other values are ignored. */
  | { kind: 'extend'; at: number; ms: number }
  /** The candidate moved to another PC; recorded for the audit trail, no effect on time. */
  | { kind: 'device_switch'; at: number }
  | { kind: 'submit'; at: number };

export type AttemptEventKind = AttemptEvent['kind'];

export interface TimingConfig {
  mode: TimingMode;
  /** The part's duration. */
  durationMs: number;
  /**
   * Fixed-window mode, profile opening at the scheduled time: when the clock starts. Leave it out
   * when an invigilator opens the sitting; the first `open` event then starts the clock.
   */
  scheduledStart?: number;
}

export type TimingState = 'waiting' | 'running' | 'paused' | 'submitted' | 'expired';

export interface Timing {
  state: TimingState;
  /** When the clock started (fixed window: the sitting's start, not the candidate's sign-in). */
  startedAt: number | null;
  /** When the paper is due. Moves while paused; frozen once submitted or expired. */
  deadline: number | null;
  /** Time left: deadline − now while running or paused, frozen at submission, 0 when expired. */
  remainingMs: number | null;
  /** Total paused time counted into the deadline (an open pause up to now). */
  pausedMs: number;
  /** Total extensions granted and applied. */
  extendedMs: number;
}

function clockStart(config: TimingConfig, events: readonly AttemptEvent[]): number | null {
  if (config.mode === 'fixed_window' && config.scheduledStart !== undefined) return config.scheduledStart;
  const kind: AttemptEventKind = config.mode === 'fixed_window' ? 'open' : 'start';
  for (const ev of events) {
    if (ev.kind === 'submit') break;
    if (ev.kind === kind) return ev.at;
  }
  return null;
}

/** Computes an attempt's timing at server time `now` from its events. */
export function computeTiming(config: TimingConfig, events: readonly AttemptEvent[], now: number): Timing {
  // Known events in (at, insertion) order; Array.prototype.sort is stable.
  const known = events.filter((ev) => Number.isFinite(ev.at) && ev.at <= now).sort((a, b) => a.at - b.at);
  const start = clockStart(config, known);

  let extendedMs = 0;
  let closedPausedMs = 0;
  let pauseBegin: number | null = null;
  let expiredAt: number | null = null;
  let submittedAt: number | null = null;

  /** Paused time counted into the deadline at time t; a pause before the clock starts counts from the start. */
  const pausedAt = (t: number): number => {
    if (pauseBegin === null || start === null) return closedPausedMs;
    return closedPausedMs + Math.max(0, t - Math.max(pauseBegin, start));
  };
  const deadlineAt = (t: number): number | null => (start === null ? null : start + config.durationMs + extendedMs + pausedAt(t));
  /** True if the paper is over at time t (a paused clock never runs out). */
  const expiresBy = (t: number): boolean => {
    const d = deadlineAt(t);
    return d !== null && pauseBegin === null && t >= d;
  };

  for (const ev of known) {
    if (expiredAt === null && expiresBy(ev.at)) expiredAt = deadlineAt(ev.at);
    if (ev.kind === 'submit') {
      submittedAt = ev.at;
      break;
    }
    if (expiredAt !== null) continue;
    switch (ev.kind) {
      case 'pause':
        if (pauseBegin === null) pauseBegin = ev.at;
        break;
      case 'resume':
        if (pauseBegin !== null) {
          closedPausedMs = pausedAt(ev.at);
          pauseBegin = null;
        }
        break;
      case 'extend':
        if (Number.isFinite(ev.ms) && ev.ms > 0) extendedMs += ev.ms;
        break;
      default:
        // open, start, device_switch: no effect on the deadline beyond clockStart().
        break;
    }
  }

  const at = submittedAt ?? now;
  if (expiredAt === null && expiresBy(at)) expiredAt = deadlineAt(at);

  if (expiredAt !== null) {
    return {
      state: submittedAt === null ? 'expired' : 'submitted',
      startedAt: start,
      deadline: expiredAt,
      remainingMs: 0,
      pausedMs: closedPausedMs,
      extendedMs,
    };
  }
  const pausedMs = pausedAt(at);
  if (start === null || at < start) {
    return {
      state: submittedAt === null ? 'waiting' : 'submitted',
      startedAt: null,
      deadline: null,
      remainingMs: null,
      pausedMs,
      extendedMs,
    };
  }
  const deadline = start + config.durationMs + extendedMs + pausedMs;
  let state: TimingState = 'running';
  if (submittedAt !== null) state = 'submitted';
  else if (pauseBegin !== null) state = 'paused';
  return { state, startedAt: start, deadline, remainingMs: deadline - at, pausedMs, extendedMs };
}
