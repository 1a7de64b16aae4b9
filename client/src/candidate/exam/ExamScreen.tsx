import { type CSSProperties, useCallback, useEffect, useRef, useState } from 'react';
import { AccessMenu } from '../access/AccessMenu';
import { FullscreenButton, Lockdown } from '../access/Lockdown';
import { ReadingGuide } from '../access/ReadingGuide';
import { SaveAnnouncer } from '../access/SaveAnnouncer';
import { useAttempt } from '../stores/attempt';
import { formatDuration, remainingMs, serverNow, useClock } from '../stores/clock';
import { usePrefs } from '../stores/prefs';
import { useSession } from '../stores/session';
import { Banners, LangSwitch, useT } from '../ui';
import { Navigator } from './Navigator';
import { QuestionCard } from './QuestionCard';
import { LinkStatus, PendingCount } from './Status';
import { SubmitDialog } from './SubmitDialog';
import { Timer } from './Timer';

const LETTER_KEYS = 'abcdef';

/** Single view: the current question, with previous/next. */
function OneQuestion() {
  const { t } = useT();
  const current = useAttempt((s) => s.current);
  const total = useAttempt((s) => s.questions.length);
  const navTick = useAttempt((s) => s.navTick);
  const move = useAttempt((s) => s.move);
  const heading = useRef<HTMLElement | null>(null);
  const setHeading = useCallback((el: HTMLElement | null) => {
    heading.current = el;
  }, []);

  // after moving, the focus goes to the new question's heading unless it is somewhere it may stay
  // (the navigator); a focused option of the old question is gone from the page
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('.exam-main')) heading.current?.focus({ preventScroll: true });
    document.querySelector('.exam-main')?.scrollTo({ top: 0 });
  }, [navTick]);

  return (
    <>
      <QuestionCard key={current} no={current} headingRef={setHeading} />
      <div className="q-move">
        <button type="button" className="btn btn-large" onClick={() => move(-1)} disabled={current <= 1} data-testid="prev">
          {t('exam.prev')}
        </button>
        <button type="button" className="btn btn-large" onClick={() => move(1)} disabled={current >= total} data-testid="next">
          {t('exam.next')}
        </button>
      </div>
    </>
  );
}

/** List view: every question; navigation scrolls to the one chosen. */
function AllQuestions() {
  const total = useAttempt((s) => s.questions.length);
  const navTick = useAttempt((s) => s.navTick);
  const numbers = Array.from({ length: total }, (_, i) => i + 1);

  useEffect(() => {
    if (navTick === 0) return;
    const no = useAttempt.getState().current;
    const el = document.getElementById(`q-${no}`);
    el?.scrollIntoView({ block: 'start' });
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('.exam-main')) {
      document.getElementById(`q-${no}-title`)?.focus({ preventScroll: true });
    }
  }, [navTick]);

  return (
    <>
      {numbers.map((no) => (
        <QuestionCard key={no} no={no} />
      ))}
    </>
  );
}

function Tools() {
  const { t } = useT();
  const view = usePrefs((s) => s.view);
  const setView = usePrefs((s) => s.setView);
  const changeFont = usePrefs((s) => s.changeFont);
  return (
    <div className="exam-tools">
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
      <div className="tool-group" role="group" aria-label={t('exam.fontSize')}>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => changeFont(-2)}
          aria-label={t('exam.fontSmaller')}
          data-testid="font-smaller"
        >
          A−
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => changeFont(2)}
          aria-label={t('exam.fontLarger')}
          data-testid="font-larger"
        >
          A+
        </button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
      <div className="tool-group" role="group" aria-label={t('exam.view')}>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={view === 'one'}
          onClick={() => setView('one')}
          data-testid="view-one"
        >
          {t('exam.viewOne')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={view === 'all'}
          onClick={() => setView('all')}
          data-testid="view-all"
        >
          {t('exam.viewAll')}
        </button>
      </div>
      <FullscreenButton />
      <AccessMenu examTools />
      <LangSwitch />
    </div>
  );
}

/** Time is up (or the server collected the paper): the last answers are saved, then the result follows. */
function FinishingOverlay() {
  const { t } = useT();
  const phase = useAttempt((s) => s.phase);
  const reason = useAttempt((s) => s.finishReason);
  if (phase !== 'finishing' || reason === 'candidate') return null;
  return (
    <div className="exam-overlay" role="alertdialog" aria-modal="true" aria-labelledby="time-up-title" data-testid="time-up">
      <div className="exam-overlay-box">
        <h2 id="time-up-title">{t('timeUp.title')}</h2>
        <p>{t('timeUp.saving')}</p>
        <span className="spinner" aria-hidden="true" />
      </div>
    </div>
  );
}

/**
 * Paused by an invigilator: a full-screen notice over a paper that cannot be touched (the page
 * behind is inert and the keys do nothing); the clock is frozen, so the time left is fixed until
 * the resume. New messages still show on it.
 */
function PausedOverlay() {
  const { t } = useT();
  const timing = useClock((s) => s.timing);
  const box = useRef<HTMLDivElement>(null);
  const paused = timing?.state === 'paused';

  useEffect(() => {
    if (!paused) return;
    box.current?.focus();
    return () => {
      // back to the paper: the focus goes to the main area (the question's heading in single view)
      const main = document.querySelector<HTMLElement>('.exam-main');
      const heading = main?.querySelector<HTMLElement>('h2[tabindex="-1"]');
      (heading ?? main)?.focus({ preventScroll: true });
    };
  }, [paused]);

  if (!paused) return null;
  const left = remainingMs(timing, serverNow());
  return (
    <div
      className="exam-overlay exam-overlay-paused"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="paused-title"
      aria-describedby="paused-help"
      data-testid="paused"
    >
      <div className="exam-overlay-box" ref={box} tabIndex={-1}>
        <h2 id="paused-title">{t('exam.pausedNote')}</h2>
        <p id="paused-help">{t('exam.pausedHelp')}</p>
        <p className="exam-paused-left">
          {t('exam.pausedLeft')}: <strong data-testid="paused-left">{left === null ? '--:--' : formatDuration(left)}</strong>
        </p>
        <Banners />
      </div>
    </div>
  );
}

/**
 * The exam screen. Keys: 1–6 or A–E choose by display position (multiple: toggle), ←/→ or
 * PageUp/PageDown move, F flags. (F flags rather than choosing a sixth option: a stray flag is
 * harmless, a stray answer is not; the sixth option is key 6.)
 */
export function ExamScreen() {
  const { t } = useT();
  const partName = useAttempt((s) => s.partName);
  const phase = useAttempt((s) => s.phase);
  const me = useSession((s) => s.me);
  const view = usePrefs((s) => s.view);
  const fontSize = usePrefs((s) => s.fontSize);
  const paused = useClock((s) => s.timing?.state === 'paused');
  const [confirming, setConfirming] = useState(false);
  const confirmingRef = useRef(false);
  confirmingRef.current = confirming;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || confirmingRef.current) return;
      if (useClock.getState().timing?.state === 'paused') return;
      const target = e.target as HTMLElement | null;
      // typing fields keep their keys; the options' radio buttons and checkboxes do not
      if (target instanceof HTMLInputElement && target.type !== 'radio' && target.type !== 'checkbox') return;
      if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (target?.closest('dialog')) return;
      const s = useAttempt.getState();
      if (s.phase !== 'active') return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (key >= '1' && key <= '6') s.chooseAt(s.current, Number(key) - 1);
      else if (key === 'f') s.toggleFlag(s.current);
      else if (key.length === 1 && LETTER_KEYS.slice(0, 5).includes(key)) s.chooseAt(s.current, LETTER_KEYS.indexOf(key));
      else if (key === 'ArrowLeft' || key === 'PageUp') s.move(-1);
      else if (key === 'ArrowRight' || key === 'PageDown') s.move(1);
      else return;
      // also stops a focused radio button from moving its own selection with the arrows
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (phase !== 'active' && phase !== 'finishing') setConfirming(false);
  }, [phase]);

  return (
    <>
      <div className="exam" style={{ '--q-font': `${fontSize}px` } as CSSProperties} inert={paused} data-testid="exam">
        <a className="skip-link" href="#main">
          {t('app.skip')}
        </a>
        <header className="exam-bar">
          <div className="exam-id">
            <h1 className="exam-part-name" data-testid="exam-part">
              {partName}
            </h1>
            {me ? (
              <span>
                {me.candidate.fullName} · {t('confirm.number')}: {me.candidate.number}
              </span>
            ) : null}
          </div>
          <Timer />
          <div className="exam-status">
            <LinkStatus />
            <PendingCount />
          </div>
          <button
            type="button"
            className="btn btn-primary btn-large"
            onClick={() => setConfirming(true)}
            disabled={phase !== 'active'}
            data-testid="submit-open"
          >
            {t('exam.submit')}
          </button>
        </header>
        <Banners />
        <div className="exam-body">
          <main id="main" className="exam-main" tabIndex={-1}>
            {view === 'one' ? <OneQuestion /> : <AllQuestions />}
          </main>
          <aside className="exam-side">
            <Tools />
            <Navigator />
            <p className="hint exam-keys">{t('exam.keys')}</p>
          </aside>
        </div>
        <SubmitDialog open={confirming} onClose={() => setConfirming(false)} />
        <FinishingOverlay />
        <SaveAnnouncer />
        <ReadingGuide />
      </div>
      {me ? <Lockdown number={me.candidate.number} /> : null}
      <PausedOverlay />
    </>
  );
}
