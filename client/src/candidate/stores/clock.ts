import type { AttemptTimingDto } from '@exam/shared';
import { create } from 'zustand';

/**
 * Server time and the connection, kept apart from the attempt so that a clock tick or a
 * reconnect never re-renders the questions. The server owns time: the client only shows it,
 * as `Date.now() + offset`, where the offset is measured against the server's clock.
 */
export type LinkState = 'connecting' | 'connected' | 'disconnected';

interface ClockState {
  /** serverNow − clientNow, corrected by half the round trip */
  offset: number;
  /** round trip of the sample the offset came from (ms); Infinity before any sample */
  rtt: number;
  /** when that sample was taken (client clock) */
  sampledAt: number;
  /** the current attempt's timing as last told by the server */
  timing: AttemptTimingDto | null;
  timingAttemptId: number | null;
  link: LinkState;
  /**
   * One clock sample: the request left at t0 and its answer came back at t1 (client clock), carrying
   * the server's time. A sample with a much longer round trip than the current one is ignored unless
   * the current one is old: its midpoint says less about when the server read its clock.
   */
  sample: (t0: number, t1: number, serverNow: number) => void;
  setTiming: (attemptId: number, timing: AttemptTimingDto) => void;
  clearTiming: () => void;
  setLink: (link: LinkState) => void;
}

export const useClock = create<ClockState>()((set, get) => ({
  offset: 0,
  rtt: Number.POSITIVE_INFINITY,
  sampledAt: 0,
  timing: null,
  timingAttemptId: null,
  link: 'connecting',
  sample: (t0, t1, serverNow) => {
    const rtt = Math.max(0, t1 - t0);
    const cur = get();
    const stale = t1 - cur.sampledAt > 60_000;
    if (!stale && rtt > cur.rtt * 2 + 50) return;
    set({ offset: Math.round(serverNow - (t0 + t1) / 2), rtt, sampledAt: t1 });
  },
  setTiming: (attemptId, timing) => set({ timing, timingAttemptId: attemptId }),
  clearTiming: () => set({ timing: null, timingAttemptId: null }),
  setLink: (link) => {
    if (get().link !== link) set({ link });
  },
}));

/** The server's time now, as best known. */
export function serverNow(): number {
  return Date.now() + useClock.getState().offset;
}

/**
 * Milliseconds left on the attempt at server time `now`: counts down while running, frozen while
 * paused (the deadline moves), null when the clock has not started.
 */
export function remainingMs(timing: AttemptTimingDto | null, now: number): number | null {
  if (!timing) return null;
  if (timing.state === 'running' && timing.deadline !== null) return Math.max(0, timing.deadline - now);
  if (timing.state === 'paused') return timing.remainingMs;
  if (timing.state === 'expired' || timing.state === 'submitted') return 0;
  return timing.remainingMs;
}

/** mm:ss, or h:mm:ss from an hour up. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
