import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ResultLookupDto, resultsApi } from '../api/results';
import { formatDateTime, formatNumber } from '../i18n/format';
import { useUi } from '../stores/ui';
import { ErrorBox } from '../ui/ErrorBox';
import { Explanation } from '../ui/Explanation';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import './lookup.css';
import { FormField } from '../ui/FormField';

const STATUS_KEYS = [
  'passed',
  'failed',
  'absent',
  'missing',
  'exempt',
  'dropped',
  'not_applicable',
  'barred',
  'cancelled',
  'unconfigured',
] as const;
type StatusKey = (typeof STATUS_KEYS)[number];
const isStatus = (s: string): s is StatusKey => (STATUS_KEYS as readonly string[]).includes(s);

const num = (v: number | null) => (v === null ? '—' : formatNumber(Math.round(v * 100) / 100));

function Result({ r }: { r: ResultLookupDto }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  // a result published before reasons had an English twin shows the Vietnamese one
  const reason = lang === 'en' ? (r.reasonEn ?? r.reason) : r.reason;
  const status = (s: string) => (isStatus(s) ? t(`results.partStatus.${s}`) : s);
  return (
    <section className="card lookup-result" aria-labelledby="lookup-result-h" data-testid="lookup-result">
      <h2 id="lookup-result-h" className="h-small">
        {r.examName}
      </h2>
      <dl className="meta-grid">
        <div>
          <dt>{t('lookup.number')}</dt>
          <dd data-testid="lookup-number">{r.number}</dd>
        </div>
        <div>
          <dt>{t('lookup.fullName')}</dt>
          <dd data-testid="lookup-name">{r.fullName}</dd>
        </div>
        <div>
          <dt>{t('lookup.position')}</dt>
          <dd>{r.positionName}</dd>
        </div>
      </dl>
      <table className="table table-compact" data-testid="lookup-parts">
        <thead>
          <tr>
            <th scope="col">{t('lookup.part')}</th>
            <th scope="col" className="num">
              {t('lookup.score')}
            </th>
            <th scope="col">{t('lookup.status')}</th>
          </tr>
        </thead>
        <tbody>
          {r.parts
            .filter((p) => p.status !== 'not_applicable' && p.status !== 'dropped')
            .map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.name}</th>
                <td className="num">{p.score === null ? '—' : `${num(p.score)}/${num(p.scoreScale)}`}</td>
                <td>{status(p.status)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <dl className="meta-grid">
        <div>
          <dt>{t('lookup.priority')}</dt>
          <dd>{num(r.priorityPoints)}</dd>
        </div>
        <div>
          <dt>{t('lookup.total')}</dt>
          <dd className="strong" data-testid="lookup-total">
            {num(r.total)}
          </dd>
        </div>
        <div>
          <dt>{t('lookup.rank')}</dt>
          <dd data-testid="lookup-rank">{r.rank === null ? '—' : formatNumber(r.rank)}</dd>
        </div>
      </dl>
      <p
        className={`alert ${r.selected ? 'alert-success' : 'alert-info'}`}
        role="status"
        data-testid="lookup-outcome"
        data-selected={r.selected}
      >
        <strong>{r.selected ? t('lookup.selected') : t('lookup.notSelected')}</strong>
        {reason ? <span data-testid="lookup-reason"> — {reason}</span> : null}
      </p>
      <section aria-label={t('defence.explanation')}>
        <h2 className="h-small">{t('defence.explanation')}</h2>
        <Explanation explanation={r.explanation} testId="lookup-explanation" />
      </section>
      <p className="muted" data-testid="lookup-published">
        {t('lookup.publishedAt', { at: formatDateTime(r.publishedAt) })}
      </p>
    </section>
  );
}

/**
 * Public page (no staff sign-in): a candidate types số báo danh + PIN and sees their published
 * result. The server limits the rate of attempts per number.
 */
export function ResultLookupPage() {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ResultLookupDto | null>(null);
  const numberRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!number.trim() || pin.trim().length < 4) {
      setError(new Error(t('lookup.required')));
      return;
    }
    setBusy(true);
    try {
      setResult(await resultsApi.lookup({ number: number.trim().toUpperCase(), pin: pin.trim() }));
    } catch (err) {
      setResult(null);
      setError(err);
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <header className="login-lang">
        <LanguageSwitch />
      </header>
      <main className="login-card lookup-card" id="main">
        <p className="login-app" aria-hidden="true">
          <span className="app-emblem">★</span>
        </p>
        <h1 className="login-title">{t('lookup.title')}</h1>
        <p className="muted">{t('lookup.intro')}</p>
        {result ? (
          <>
            <Result r={result} />
            <button
              type="button"
              className="btn btn-block"
              onClick={() => {
                setResult(null);
                setNumber('');
                setPin('');
                window.setTimeout(() => numberRef.current?.focus(), 0);
              }}
              data-testid="lookup-again"
            >
              {t('lookup.again')}
            </button>
          </>
        ) : (
          <form onSubmit={submit} noValidate data-testid="lookup-form">
            <FormField label={t('lookup.number')} id="lookup-number">
              {(c) => (
                <input
                  {...c}
                  ref={numberRef}
                  name="number"
                  autoComplete="off"
                  autoCapitalize="characters"
                  // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen
                  autoFocus
                  value={number}
                  onChange={(e) => setNumber(e.target.value)}
                  data-testid="lookup-number-input"
                />
              )}
            </FormField>
            <FormField label={t('lookup.pin')} id="lookup-pin">
              {(c) => (
                <input
                  {...c}
                  name="pin"
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={pin}
                  onChange={(e) => setPin(e.target.value)}
                  data-testid="lookup-pin-input"
                />
              )}
            </FormField>
            <ErrorBox error={error} testId="lookup-error" />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="lookup-submit">
              {busy ? t('lookup.busy') : t('lookup.submit')}
            </button>
          </form>
        )}
        <p className="login-switch">
          <a href="/login">{t('lookup.staff')}</a>
        </p>
      </main>
    </div>
  );
}
