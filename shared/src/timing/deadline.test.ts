import { describe, expect, it } from 'vitest';
import { type AttemptEvent, computeTiming, type TimingConfig } from './index.js';

const MIN = 60_000;
/** 08:00 on an exam day (server clock, ms since epoch). */
const T0 = Date.UTC(2026, 2, 14, 1, 0, 0);
const at = (minutes: number): number => T0 + minutes * MIN;

const fixed: TimingConfig = { mode: 'fixed_window', durationMs: 60 * MIN, scheduledStart: T0 };
const individual: TimingConfig = { mode: 'individual', durationMs: 60 * MIN };

describe('computeTiming — fixed window (TT 22/2025)', () => {
  it('waits before the scheduled start', () => {
    expect(computeTiming(fixed, [], at(-5))).toEqual({
      state: 'waiting',
      startedAt: null,
      deadline: null,
      remainingMs: null,
      pausedMs: 0,
      extendedMs: 0,
    });
  });

  it('runs from the scheduled start for a candidate who never signed in, and expires at start + duration', () => {
    expect(computeTiming(fixed, [], at(0))).toMatchObject({
      state: 'running',
      startedAt: T0,
      deadline: at(60),
      remainingMs: 60 * MIN,
    });
    expect(computeTiming(fixed, [], at(59))).toMatchObject({ state: 'running', remainingMs: 1 * MIN });
    expect(computeTiming(fixed, [], at(60))).toMatchObject({ state: 'expired', deadline: at(60), remainingMs: 0 });
    expect(computeTiming(fixed, [], at(90))).toMatchObject({ state: 'expired', deadline: at(60), remainingMs: 0 });
  });

  it('gives a late sign-in less time: the deadline stays at start + duration', () => {
    const events: AttemptEvent[] = [{ kind: 'start', at: at(20) }];
    // Signed in 20 minutes late: 40 minutes left, deadline unchanged at 09:00.
    expect(computeTiming(fixed, events, at(20))).toMatchObject({
      state: 'running',
      startedAt: T0,
      deadline: at(60),
      remainingMs: 40 * MIN,
    });
    expect(computeTiming(fixed, events, at(60))).toMatchObject({ state: 'expired' });
  });

  it('starts at the first open event when an invigilator opens the sitting', () => {
    const byInvigilator: TimingConfig = { mode: 'fixed_window', durationMs: 60 * MIN };
    expect(computeTiming(byInvigilator, [], at(30))).toMatchObject({ state: 'waiting', deadline: null });
    const events: AttemptEvent[] = [
      { kind: 'open', at: at(15) },
      { kind: 'open', at: at(20) }, // a repeated open does not restart the clock
    ];
    expect(computeTiming(byInvigilator, events, at(10))).toMatchObject({ state: 'waiting' });
    expect(computeTiming(byInvigilator, events, at(30))).toMatchObject({
      state: 'running',
      startedAt: at(15),
      deadline: at(75),
      remainingMs: 45 * MIN,
    });
  });

  it('a scheduled start is not moved by an open event', () => {
    const events: AttemptEvent[] = [{ kind: 'open', at: at(5) }];
    expect(computeTiming(fixed, events, at(30))).toMatchObject({ startedAt: T0, deadline: at(60) });
  });

  it('a room pause that began before the start counts only from the start', () => {
    const events: AttemptEvent[] = [
      { kind: 'pause', at: at(-10) },
      { kind: 'resume', at: at(5) },
    ];
    expect(computeTiming(fixed, events, at(-1))).toMatchObject({ state: 'waiting' });
    expect(computeTiming(fixed, events, at(2))).toMatchObject({ state: 'paused', deadline: at(62), remainingMs: 60 * MIN });
    expect(computeTiming(fixed, events, at(30))).toMatchObject({ state: 'running', pausedMs: 5 * MIN, deadline: at(65) });
  });
});

describe('computeTiming — individual start', () => {
  it('waits until the candidate starts, then counts the duration from that moment', () => {
    expect(computeTiming(individual, [{ kind: 'open', at: T0 }], at(10))).toMatchObject({ state: 'waiting', startedAt: null });
    const events: AttemptEvent[] = [
      { kind: 'open', at: T0 },
      { kind: 'start', at: at(12) },
    ];
    expect(computeTiming(individual, events, at(12))).toMatchObject({
      state: 'running',
      startedAt: at(12),
      deadline: at(72),
      remainingMs: 60 * MIN,
    });
    expect(computeTiming(individual, events, at(42))).toMatchObject({ remainingMs: 30 * MIN });
    expect(computeTiming(individual, events, at(72))).toMatchObject({ state: 'expired', remainingMs: 0 });
  });

  it('a second start (a resumed session) does not restart the clock', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'device_switch', at: at(20) },
      { kind: 'start', at: at(25) },
    ];
    expect(computeTiming(individual, events, at(30))).toMatchObject({
      startedAt: at(0),
      deadline: at(60),
      remainingMs: 30 * MIN,
    });
  });
});

describe('computeTiming — pause, resume, extend', () => {
  const started: AttemptEvent[] = [{ kind: 'start', at: at(0) }];

  it('a 5-minute pause moves the deadline by 5 minutes and freezes the remaining time meanwhile', () => {
    const paused: AttemptEvent[] = [...started, { kind: 'pause', at: at(20) }];
    // 20 minutes in, 40 left; while paused the deadline moves with the clock and 40 stays 40.
    expect(computeTiming(individual, paused, at(20))).toMatchObject({
      state: 'paused',
      deadline: at(60),
      remainingMs: 40 * MIN,
      pausedMs: 0,
    });
    expect(computeTiming(individual, paused, at(22))).toMatchObject({
      state: 'paused',
      deadline: at(62),
      remainingMs: 40 * MIN,
      pausedMs: 2 * MIN,
    });
    expect(computeTiming(individual, paused, at(200))).toMatchObject({ state: 'paused', remainingMs: 40 * MIN });

    const resumed: AttemptEvent[] = [...paused, { kind: 'resume', at: at(25) }];
    expect(computeTiming(individual, resumed, at(25))).toMatchObject({
      state: 'running',
      deadline: at(65),
      remainingMs: 40 * MIN,
      pausedMs: 5 * MIN,
    });
    expect(computeTiming(individual, resumed, at(45))).toMatchObject({
      state: 'running',
      deadline: at(65),
      remainingMs: 20 * MIN,
    });
    expect(computeTiming(individual, resumed, at(64))).toMatchObject({ state: 'running' });
    expect(computeTiming(individual, resumed, at(65))).toMatchObject({ state: 'expired', deadline: at(65) });
  });

  it('a 10-minute extension moves the deadline by 10 minutes', () => {
    const events: AttemptEvent[] = [...started, { kind: 'extend', at: at(50), ms: 10 * MIN }];
    expect(computeTiming(individual, events, at(49))).toMatchObject({ deadline: at(60), extendedMs: 0 });
    expect(computeTiming(individual, events, at(50))).toMatchObject({
      deadline: at(70),
      remainingMs: 20 * MIN,
      extendedMs: 10 * MIN,
    });
    expect(computeTiming(individual, events, at(65))).toMatchObject({ state: 'running', remainingMs: 5 * MIN });
    expect(computeTiming(individual, events, at(70))).toMatchObject({ state: 'expired' });
  });

  it('pause and extension combine', () => {
    const events: AttemptEvent[] = [
      ...started,
      { kind: 'pause', at: at(10) },
      { kind: 'extend', at: at(12), ms: 10 * MIN }, // granted while paused
      { kind: 'resume', at: at(17) },
      { kind: 'pause', at: at(30) },
      { kind: 'resume', at: at(33) },
    ];
    // 60 + 7 paused + 3 paused + 10 extension = 80.
    expect(computeTiming(individual, events, at(15))).toMatchObject({ state: 'paused', deadline: at(75), remainingMs: 60 * MIN });
    expect(computeTiming(individual, events, at(40))).toMatchObject({
      state: 'running',
      deadline: at(80),
      remainingMs: 40 * MIN,
      pausedMs: 10 * MIN,
      extendedMs: 10 * MIN,
    });
    expect(computeTiming(individual, events, at(80))).toMatchObject({ state: 'expired', remainingMs: 0 });
  });

  it('ignores non-positive extensions', () => {
    const events: AttemptEvent[] = [
      ...started,
      { kind: 'extend', at: at(5), ms: -10 * MIN },
      { kind: 'extend', at: at(6), ms: 0 },
    ];
    expect(computeTiming(individual, events, at(10))).toMatchObject({ deadline: at(60), extendedMs: 0 });
  });

  it('events after the deadline cannot revive an expired paper', () => {
    const events: AttemptEvent[] = [...started, { kind: 'pause', at: at(61) }, { kind: 'extend', at: at(62), ms: 10 * MIN }];
    expect(computeTiming(individual, events, at(63))).toMatchObject({
      state: 'expired',
      deadline: at(60),
      pausedMs: 0,
      extendedMs: 0,
    });
    // The auto-submit loop then collects it.
    const collected: AttemptEvent[] = [...events, { kind: 'submit', at: at(63) }];
    expect(computeTiming(individual, collected, at(100))).toMatchObject({ state: 'submitted', deadline: at(60), remainingMs: 0 });
  });
});

describe('computeTiming — submit', () => {
  it('freezes the state at the moment of submission', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'pause', at: at(10) },
      { kind: 'resume', at: at(12) },
      { kind: 'submit', at: at(40) },
    ];
    const frozen = {
      state: 'submitted',
      startedAt: at(0),
      deadline: at(62),
      remainingMs: 22 * MIN,
      pausedMs: 2 * MIN,
      extendedMs: 0,
    };
    expect(computeTiming(individual, events, at(40))).toEqual(frozen);
    expect(computeTiming(individual, events, at(500))).toEqual(frozen);
    // Anything after the submit is ignored.
    const later: AttemptEvent[] = [
      ...events,
      { kind: 'resume', at: at(41) },
      { kind: 'pause', at: at(42) },
      { kind: 'extend', at: at(43), ms: 30 * MIN },
      { kind: 'submit', at: at(44) },
    ];
    expect(computeTiming(individual, later, at(500))).toEqual(frozen);
  });

  it('a submit while paused closes the pause at submission', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'pause', at: at(30) },
      { kind: 'submit', at: at(34) },
    ];
    expect(computeTiming(individual, events, at(90))).toMatchObject({
      state: 'submitted',
      deadline: at(64),
      remainingMs: 30 * MIN,
      pausedMs: 4 * MIN,
    });
  });

  it('a fixed-window candidate who submits early keeps the frozen figures', () => {
    expect(computeTiming(fixed, [{ kind: 'submit', at: at(45) }], at(120))).toMatchObject({
      state: 'submitted',
      deadline: at(60),
      remainingMs: 15 * MIN,
    });
  });
});

describe('computeTiming — duplicate and unordered events', () => {
  it('repeated pauses and resumes are idempotent', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'resume', at: at(5) }, // resume while running: ignored
      { kind: 'pause', at: at(10) },
      { kind: 'pause', at: at(12) }, // pause while paused: ignored
      { kind: 'resume', at: at(15) },
      { kind: 'resume', at: at(16) }, // ignored
    ];
    expect(computeTiming(individual, events, at(20))).toMatchObject({ state: 'running', pausedMs: 5 * MIN, deadline: at(65) });
  });

  it('processes events in time order whatever order they are stored in', () => {
    const ordered: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'pause', at: at(10) },
      { kind: 'resume', at: at(15) },
      { kind: 'extend', at: at(20), ms: 10 * MIN },
      { kind: 'submit', at: at(50) },
    ];
    const shuffled = [ordered[3], ordered[4], ordered[1], ordered[0], ordered[2]].filter((e) => e !== undefined);
    expect(computeTiming(individual, shuffled, at(100))).toEqual(computeTiming(individual, ordered, at(100)));
    expect(computeTiming(individual, shuffled, at(100))).toMatchObject({
      state: 'submitted',
      deadline: at(75),
      remainingMs: 25 * MIN,
    });
  });

  it('breaks ties by insertion order', () => {
    const pauseThenResume: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'pause', at: at(10) },
      { kind: 'resume', at: at(10) },
    ];
    expect(computeTiming(individual, pauseThenResume, at(20))).toMatchObject({ state: 'running', pausedMs: 0 });
    const resumeThenPause: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'resume', at: at(10) },
      { kind: 'pause', at: at(10) },
    ];
    expect(computeTiming(individual, resumeThenPause, at(20))).toMatchObject({ state: 'paused', pausedMs: 10 * MIN });
  });

  it('ignores events later than now, so a past moment can be recomputed', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'pause', at: at(10) },
      { kind: 'resume', at: at(20) },
      { kind: 'submit', at: at(30) },
    ];
    expect(computeTiming(individual, events, at(15))).toMatchObject({ state: 'paused', remainingMs: 50 * MIN, deadline: at(65) });
    expect(computeTiming(individual, events, at(25))).toMatchObject({
      state: 'running',
      remainingMs: 45 * MIN,
      deadline: at(70),
    });
  });

  it('device switches have no effect on time', () => {
    const events: AttemptEvent[] = [
      { kind: 'start', at: at(0) },
      { kind: 'device_switch', at: at(10) },
    ];
    expect(computeTiming(individual, events, at(30))).toMatchObject({
      state: 'running',
      deadline: at(60),
      remainingMs: 30 * MIN,
    });
  });
});
