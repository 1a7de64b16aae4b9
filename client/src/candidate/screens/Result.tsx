import type { CandidatePartDto, PartResultDto } from '@exam/shared';
import { useEffect, useRef, useState } from 'react';
import { formatNumber } from '../../i18n/format';
import { nextPart, openPart } from '../flow';
import { useAttempt } from '../stores/attempt';
import { useSession } from '../stores/session';
import { Frame, useErrorMessage, useT } from '../ui';

function ResultCard({ result }: { result: PartResultDto }) {
  const { t } = useT();
  return (
    <dl className="cand-result" data-testid="result">
      <div>
        <dt>{t('result.score')}</dt>
        <dd data-testid="result-score">
          {t('result.scoreValue', { score: formatNumber(result.score), scale: formatNumber(result.scale) })}
        </dd>
      </div>
      <div>
        <dt>{t('result.correct')}</dt>
        <dd data-testid="result-correct">{t('result.correctValue', { correct: result.correct, total: result.total })}</dd>
      </div>
      <div>
        <dt>{t('result.outcome')}</dt>
        <dd className={result.passed ? 'cand-pass' : 'cand-fail'} data-testid="result-outcome">
          {result.passed ? t('result.passed') : t('result.failed')}
        </dd>
      </div>
    </dl>
  );
}

/** A part's status in words (the sitting's parts on the result and suspension screens). */
export function useStatusLabel(): (s: CandidatePartDto['status']) => string {
  const { t } = useT();
  return (s) =>
    ({
      exempt: t('result.statusExempt'),
      not_started: t('result.statusNotStarted'),
      running: t('result.statusRunning'),
      paused: t('result.statusPaused'),
      submitted: t('result.statusSubmitted'),
      expired: t('result.statusExpired'),
      barred: t('result.statusBarred'),
    })[s];
}

/**
 * After a part: the result where the profile gives it at once, the sitting's parts, and the next
 * part if there is one. Also what a reload shows between parts or after the last one.
 */
export function Result() {
  const { t } = useT();
  const me = useSession((s) => s.me);
  const logout = useSession((s) => s.logout);
  const attemptId = useAttempt((s) => s.attemptId);
  const partName = useAttempt((s) => s.partName);
  const reason = useAttempt((s) => s.finishReason);
  const submitted = useAttempt((s) => s.result);
  const statusLabel = useStatusLabel();
  const errorText = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  if (!me) return null;
  // the part just finished here, else the last one the server lists as submitted
  const lastSubmitted = [...me.parts].reverse().find((p) => p.status === 'submitted');
  const shown = me.parts.find((p) => p.attemptId === attemptId) ?? lastSubmitted;
  const name = partName || shown?.name || '';
  const result = submitted?.result ?? shown?.result ?? null;
  const next = nextPart(me, attemptId);

  const title =
    submitted?.reason === 'invigilator'
      ? t('result.byInvigilator')
      : reason === 'timeout'
        ? t('result.timeUp')
        : reason === 'server'
          ? t('result.byServer')
          : t('result.submitted');

  const onNext = async () => {
    if (!next) return;
    setBusy(true);
    setError(null);
    try {
      await openPart(next);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Frame wide>
      <h1 ref={headingRef} tabIndex={-1} data-testid="result-title">
        {title}
      </h1>
      {name ? <p data-testid="result-part">{t('result.paperSubmitted', { part: name })}</p> : null}
      {result ? <ResultCard result={result} /> : <p className="alert alert-info">{t('result.later')}</p>}
      <h2>{t('result.parts')}</h2>
      <ol className="cand-parts" data-testid="parts">
        {me.parts.map((p) => (
          <li key={p.partId}>
            <strong>{p.name}</strong> — <span data-testid={`part-status-${p.partId}`}>{statusLabel(p.status)}</span>
            {p.result ? (
              <span className="muted">
                {' '}
                ({t('result.scoreValue', { score: formatNumber(p.result.score), scale: formatNumber(p.result.scale) })},{' '}
                {p.result.passed ? t('result.passed') : t('result.failed')})
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {next ? (
        <>
          <p>{t('result.nextPart', { part: next.name })}</p>
          <button
            type="button"
            className="btn btn-primary btn-block btn-large"
            onClick={onNext}
            disabled={busy}
            data-testid="next-part"
          >
            {t('result.next')}
          </button>
        </>
      ) : (
        <>
          <p className="alert alert-success" data-testid="sitting-done">
            {t('result.done')}
          </p>
          <button type="button" className="btn" onClick={() => void logout()} data-testid="cand-logout">
            {t('app.logout')}
          </button>
        </>
      )}
    </Frame>
  );
}
