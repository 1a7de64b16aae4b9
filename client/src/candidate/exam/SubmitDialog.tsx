import { useEffect, useRef } from 'react';
import { finishAttempt } from '../live';
import { countPending, flaggedNumbers, unansweredNumbers, useAttempt } from '../stores/attempt';
import { useT } from '../ui';

function Numbers({ list, testId }: { list: number[]; testId: string }) {
  return (
    <p className="submit-list" data-testid={testId}>
      {list.join(', ')}
    </p>
  );
}

function Body({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const questions = useAttempt((s) => s.questions);
  const answers = useAttempt((s) => s.answers);
  const flags = useAttempt((s) => s.flags);
  const phase = useAttempt((s) => s.phase);
  const submitError = useAttempt((s) => s.submitError);
  const unanswered = unansweredNumbers({ questions, answers });
  const flagged = flaggedNumbers({ questions, flags });
  const pending = countPending(answers);
  const busy = phase === 'finishing';
  let error: string | null = null;
  if (submitError === 'NOT_SAVED') error = t('submit.notSaved');
  else if (submitError) error = t('submit.failed', { message: submitError });

  return (
    <>
      <h2 id="submit-title">{t('submit.title')}</h2>
      <p>{t('submit.intro')}</p>
      {unanswered.length ? (
        <>
          <p className="strong">{t('submit.unanswered', { count: unanswered.length })}</p>
          <Numbers list={unanswered} testId="submit-unanswered" />
        </>
      ) : (
        <p data-testid="submit-all-answered">{t('submit.allAnswered')}</p>
      )}
      {flagged.length ? (
        <>
          <p className="strong">{t('submit.flagged', { count: flagged.length })}</p>
          <Numbers list={flagged} testId="submit-flagged" />
        </>
      ) : null}
      {pending ? <p className="notice">{t('submit.pending', { count: pending })}</p> : null}
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="submit-error">
          {error}
        </div>
      ) : null}
      <div className="button-row submit-buttons">
        <button
          type="button"
          className="btn btn-large"
          onClick={onClose}
          disabled={busy}
          // biome-ignore lint/a11y/noAutofocus: the safe choice gets the focus
          autoFocus
          data-testid="submit-cancel"
        >
          {t('submit.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-large"
          disabled={busy}
          onClick={() => void finishAttempt('candidate')}
          data-testid="submit-confirm"
        >
          {busy ? t('submit.submitting') : t('submit.confirm')}
        </button>
      </div>
    </>
  );
}

/** Asks before submitting, listing the unanswered and flagged questions. */
export function SubmitDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="submit-dialog"
      aria-labelledby="submit-title"
      onCancel={(e) => {
        e.preventDefault();
        if (useAttempt.getState().phase !== 'finishing') onClose();
      }}
      data-testid="submit-dialog"
    >
      {open ? <Body onClose={onClose} /> : null}
    </dialog>
  );
}
