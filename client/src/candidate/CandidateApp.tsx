import { useEffect, useState } from 'react';
import { useApplyAccess } from './access/AccessMenu';
import { ExamScreen } from './exam/ExamScreen';
import { openPart, partInProgress } from './flow';
import { startLive, stopLive } from './live';
import { Confirm } from './screens/Confirm';
import { Result } from './screens/Result';
import { Rules } from './screens/Rules';
import { SignIn } from './screens/SignIn';
import { Suspended } from './screens/Suspended';
import { Waiting } from './screens/Waiting';
import { useAttempt } from './stores/attempt';
import { useSession } from './stores/session';
import { Frame, Spinner, useErrorMessage, useT } from './ui';

/** This PC was handed to another one (an invigilator allowed the move): nothing more happens here. */
function Locked({ message }: { message: string }) {
  const { t } = useT();
  return (
    <div
      className="exam-overlay exam-overlay-locked"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="locked-title"
      data-testid="locked"
    >
      <div className="exam-overlay-box">
        <h1 id="locked-title">{t('locked.title')}</h1>
        <p data-testid="locked-message">{message}</p>
        <p className="strong">{t('locked.help')}</p>
      </div>
    </div>
  );
}

/** Reopens the part the server says is in progress (after a reload, a crash or a PC change). */
function Resume({ partId }: { partId: number }) {
  const { t } = useT();
  const me = useSession((s) => s.me);
  const errorText = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const [tries, setTries] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per part (and per retry)
  useEffect(() => {
    const part = me?.parts.find((p) => p.partId === partId);
    if (!part) return;
    let cancelled = false;
    openPart(part).catch((err) => {
      if (!cancelled) setError(errorText(err));
    });
    return () => {
      cancelled = true;
    };
  }, [partId, tries]);
  return (
    <Frame>
      {error ? (
        <>
          <div className="alert alert-error" role="alert">
            {error}
          </div>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setError(null);
              setTries((n) => n + 1);
            }}
          >
            {t('app.retry')}
          </button>
        </>
      ) : (
        <Spinner />
      )}
    </Frame>
  );
}

/**
 * The candidate's screens follow from the state, not from the address: sign-in → details →
 * rules → waiting → exam → result → next part (or: suspended, and nothing more). A reload anywhere
 * comes back to the same place.
 */
export function CandidateApp() {
  const status = useSession((s) => s.status);
  const me = useSession((s) => s.me);
  const confirmed = useSession((s) => s.confirmed);
  const locked = useSession((s) => s.locked);
  const suspended = useSession((s) => s.suspension !== null || !!s.me?.suspended);
  const load = useSession((s) => s.load);
  const phase = useAttempt((s) => s.phase);
  useApplyAccess();

  useEffect(() => {
    void load();
  }, [load]);

  // the socket lives while someone is signed in: messages, moves and time come through it
  useEffect(() => {
    if (status !== 'signedIn' || locked) return;
    startLive();
    return () => stopLive();
  }, [status, locked]);

  if (locked) return <Locked message={locked} />;
  if (status === 'loading') return <Spinner />;
  if (status === 'signedOut' || !me) return <SignIn />;
  if (suspended) return <Suspended />;
  if (!me.rulesAcknowledged) return confirmed ? <Rules /> : <Confirm />;
  if (phase === 'active' || phase === 'finishing') return <ExamScreen />;
  if (phase === 'done') return <Result />;
  const inProgress = partInProgress(me);
  if (inProgress) return <Resume partId={inProgress.partId} />;
  if (me.parts.some((p) => p.status === 'submitted')) return <Result />;
  return <Waiting />;
}
