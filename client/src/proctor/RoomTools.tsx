import { type ProctorAction, type SeatDto, seatWarnings } from '@exam/shared';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { warningCount } from './CompactMap';
import { formatClock, seatRemainingMs } from './labels';
import { useNow, useRoom } from './store';

/** The room's remaining time: the latest deadline among the papers still running. */
export function RoomTimeLeft() {
  const { t } = useTranslation();
  const seats = useRoom((s) => s.seats);
  const now = useNow((s) => s.now);
  let max: number | null = null;
  for (const seat of Object.values(seats)) {
    const left = seatRemainingMs(seat, now);
    if (left !== null && (max === null || left > max)) max = left;
  }
  return (
    <span className="room-time" data-testid="room-time-left">
      {t('a11yProctor.roomTimeLeft')}: <strong>{max === null ? '–' : formatClock(max)}</strong>
    </span>
  );
}

interface Alert {
  candidateId: number;
  seatNo: number;
  number: string;
  count: number;
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.2);
    osc.onended = () => void ctx.close();
  } catch {
    // no sound on this PC: the visual alert stays
  }
}

/**
 * A new warning on any seat shows an alert (role="alert", read out once) with the seat, a button
 * to go to it and one to dismiss; a sound can be switched on. Keys: W goes to the newest warning.
 */
export function WarningAlert() {
  const { t } = useTranslation();
  const seats = useRoom((s) => s.seats);
  const now = useNow((s) => s.now);
  const warnAfter = useRoom((s) => s.warnAfter);
  const select = useRoom((s) => s.select);
  const seen = useRef<Map<number, number> | null>(null);
  const [alert, setAlert] = useState<Alert | null>(null);
  const [sound, setSound] = useState(false);

  useEffect(() => {
    const first = seen.current === null;
    const map = seen.current ?? new Map<number, number>();
    let fresh: Alert | null = null;
    for (const seat of Object.values(seats)) {
      const n = warningCount(seat, seatWarnings(seat, now, warnAfter));
      const before = map.get(seat.candidateId) ?? 0;
      if (n > before && !first) fresh = { candidateId: seat.candidateId, seatNo: seat.seatNo, number: seat.number, count: n };
      map.set(seat.candidateId, n);
    }
    seen.current = map;
    if (fresh) {
      setAlert(fresh);
      if (sound) beep();
    }
  }, [seats, now, warnAfter, sound]);

  const goTo = (a: Alert) => {
    select(a.candidateId);
    document.querySelector<HTMLElement>(`[data-testid="seat-${a.number}"]`)?.focus();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'w' || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      if (alert) {
        e.preventDefault();
        goTo(alert);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className="warning-alert-bar">
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={sound}
        onClick={() => setSound(!sound)}
        data-testid="alert-sound"
      >
        {t('a11yProctor.sound')}
      </button>
      <div role="alert" className="warning-alert-slot">
        {alert ? (
          <span className="warning-alert" data-testid="warning-alert">
            <span>
              ⚠ {t('a11yProctor.newWarning', { seat: String(alert.seatNo), number: alert.number, n: String(alert.count) })}
            </span>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => goTo(alert)}
              aria-keyshortcuts="W"
              data-testid="alert-go"
            >
              {t('a11yProctor.goToSeat')} (W)
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setAlert(null)} data-testid="alert-dismiss">
              {t('a11yProctor.dismiss')}
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)
  );
}

/** One key for the common actions on the selected seat: P pause, R resume, E extend time, M message, U unlock. */
export const ACTION_KEYS: Record<string, ProctorAction> = {
  p: 'pause',
  r: 'resume',
  e: 'extend',
  m: 'message',
  u: 'unlock_focus',
};

export function useActionKeys(onAction: (action: ProctorAction, seat: SeatDto | null) => void, blocked: boolean): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (blocked || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || document.querySelector('dialog[open]')) return;
      const action = ACTION_KEYS[e.key.toLowerCase()];
      if (!action) return;
      const s = useRoom.getState();
      const seat = s.selected === null ? undefined : s.seats[s.selected];
      if (!seat) return;
      const button = document.querySelector<HTMLButtonElement>(`[data-testid="act-${action}"]`);
      if (!button || button.disabled) return;
      e.preventDefault();
      onAction(action, seat);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAction, blocked]);
}
