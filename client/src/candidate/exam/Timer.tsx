import { useEffect, useReducer, useRef } from 'react';
import { finishAttempt } from '../live';
import { formatDuration, remainingMs, serverNow, useClock } from '../stores/clock';
import { useT } from '../ui';

function secondsLeft(): number | null {
  const ms = remainingMs(useClock.getState().timing, serverNow());
  return ms === null ? null : Math.ceil(ms / 1000);
}

/**
 * The countdown, from the server's deadline and the measured clock offset. It is the only part of
 * the exam screen that renders every second; at zero it submits the paper (the server submits it
 * too, whatever the client does).
 */
export function Timer() {
  const { t } = useT();
  const timing = useClock((s) => s.timing);
  useClock((s) => s.offset); // a new offset re-renders the countdown
  const [, tick] = useReducer((x: number) => x + 1, 0);
  const shown = useRef<number | null>(null);

  useEffect(() => {
    const id = window.setInterval(() => {
      const s = secondsLeft();
      if (s !== shown.current) tick();
    }, 200);
    return () => window.clearInterval(id);
  }, []);

  const secs = secondsLeft();
  shown.current = secs;
  const running = timing?.state === 'running';
  const paused = timing?.state === 'paused';
  const over = running && secs !== null && secs <= 0;

  useEffect(() => {
    if (over) void finishAttempt('timeout');
  }, [over]);

  // announced to screen readers once at 15, 5 and 1 minute left, never every second: the live
  // region's text changes only when a mark is crossed (the countdown itself is not live)
  const minuteMark = secs !== null && running ? (secs <= 60 ? 1 : secs <= 300 ? 5 : secs <= 900 ? 15 : 0) : 0;
  let level = '';
  if (secs !== null && secs <= 60) level = ' exam-timer-critical';
  else if (secs !== null && secs <= 300) level = ' exam-timer-warn';

  return (
    <div className={`exam-timer${level}${paused ? ' exam-timer-paused' : ''}`} data-testid="timer">
      <span className="exam-timer-label">{paused ? t('exam.paused') : t('exam.timeLeft')}</span>
      <span className="exam-timer-value" role="timer" aria-label={t('exam.timeLeft')} data-testid="timer-value">
        {secs === null ? '--:--' : formatDuration(secs * 1000)}
      </span>
      <span className="visually-hidden" aria-live="assertive" data-testid="time-warning">
        {minuteMark ? t('access.timeWarning', { minutes: minuteMark }) : ''}
      </span>
    </div>
  );
}
