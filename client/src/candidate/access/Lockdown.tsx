import type { SeatLockdown } from '@exam/shared';
import { useEffect, useRef, useState } from 'react';
import { http } from '../../api/http';
import { useT } from '../ui';

type Kind = 'blur' | 'fullscreen_exit';

/**
 * The exam page's own lockdown (issue 19): it reports leaving the window (focus lost, another tab
 * or program) and leaving full screen to the invigilators' seat map, blocks copying and the context
 * menu on the question text, and shows a watermark with the candidate's number. None of it stops
 * the candidate from answering; only the exam's `unlock` policy, after its number of focus losses,
 * locks the paper until an invigilator unlocks it (the server refuses answers meanwhile).
 */
export function Lockdown({ number }: { number: string }) {
  const { t } = useT();
  const [state, setState] = useState<SeatLockdown | null>(null);
  const [notice, setNotice] = useState(false);
  const lastSent = useRef(0);
  const wasFull = useRef(false);

  useEffect(() => {
    let stopped = false;
    const send = (kind: Kind) => {
      const now = Date.now();
      // one report per departure: blur and visibilitychange come together
      if (kind === 'blur' && now - lastSent.current < 1500) return;
      if (kind === 'blur') lastSent.current = now;
      http
        .post<SeatLockdown>('/api/candidate/lockdown', { kind })
        .then((s) => {
          if (stopped) return;
          setState(s);
          setNotice(true);
        })
        .catch(() => {
          // offline: the seat map shows the disconnection instead
        });
    };
    const onBlur = () => {
      // a focus move inside the page (an iframe-less page: none) is not a departure
      if (!document.hasFocus()) send('blur');
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') send('blur');
    };
    const onFullscreen = () => {
      if (document.fullscreenElement) wasFull.current = true;
      else if (wasFull.current) {
        wasFull.current = false;
        send('fullscreen_exit');
      }
    };
    const guarded = (e: Event) => {
      if (e.target instanceof Element && e.target.closest('.q-stem, .q-opt-text, .q-head')) e.preventDefault();
    };
    wasFull.current = !!document.fullscreenElement;
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    document.addEventListener('fullscreenchange', onFullscreen);
    document.addEventListener('copy', guarded);
    document.addEventListener('cut', guarded);
    document.addEventListener('contextmenu', guarded);
    http
      .get<SeatLockdown>('/api/candidate/lockdown')
      .then((s) => !stopped && setState(s))
      .catch(() => {});
    return () => {
      stopped = true;
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('fullscreenchange', onFullscreen);
      document.removeEventListener('copy', guarded);
      document.removeEventListener('cut', guarded);
      document.removeEventListener('contextmenu', guarded);
    };
  }, []);

  const locked = !!state?.locked;
  // while locked, ask the server every few seconds whether the invigilator has unlocked the paper
  useEffect(() => {
    if (!locked) return;
    const id = window.setInterval(() => {
      http
        .get<SeatLockdown>('/api/candidate/lockdown')
        .then(setState)
        .catch(() => {});
    }, 3000);
    return () => window.clearInterval(id);
  }, [locked]);

  const count = (state?.focusLosses ?? 0) + (state?.fullscreenExits ?? 0);
  return (
    <>
      <div className="watermark" aria-hidden="true" data-testid="watermark">
        {Array.from({ length: 24 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed decorative pattern
          <span key={i} data-n={number} />
        ))}
      </div>
      {notice && count > 0 && !locked ? (
        <div className="lockdown-notice" role="status" data-testid="lockdown-notice">
          <span>{t('lockdown.left', { count })}</span>
          <button type="button" className="btn btn-small" onClick={() => setNotice(false)}>
            {t('lockdown.ok')}
          </button>
        </div>
      ) : null}
      {locked ? (
        <div
          className="exam-overlay"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="focus-locked-title"
          data-testid="focus-locked"
        >
          <div className="exam-overlay-box">
            <h2 id="focus-locked-title">{t('lockdown.lockedTitle')}</h2>
            <p>{t('lockdown.lockedHelp', { count })}</p>
          </div>
        </div>
      ) : null}
    </>
  );
}

/** Full screen on request (a kiosk browser is already in full screen). */
export function FullscreenButton() {
  const { t } = useT();
  const [full, setFull] = useState(!!document.fullscreenElement);
  useEffect(() => {
    const on = () => setFull(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  if (full || !document.fullscreenEnabled) return null;
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => void document.documentElement.requestFullscreen().catch(() => {})}
      data-testid="fullscreen"
    >
      {t('lockdown.fullscreen')}
    </button>
  );
}
