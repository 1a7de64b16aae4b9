import { type FormEvent, useState } from 'react';
import { useSession } from '../stores/session';
import { Frame, useErrorMessage, useT } from '../ui';

export function Rules() {
  const { t, tList } = useT();
  const acknowledge = useSession((s) => s.acknowledge);
  const errorText = useErrorMessage();
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = tList('rules.items');

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!agreed) {
      setError(t('rules.mustAgree'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await acknowledge();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Frame>
      <h1>{t('rules.title')}</h1>
      <p>{t('rules.intro')}</p>
      <ol className="cand-rules" data-testid="rules-list">
        {items.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ol>
      <form onSubmit={onSubmit}>
        <label className="check cand-agree">
          <input
            type="checkbox"
            checked={agreed}
            onChange={(e) => setAgreed(e.target.checked)}
            // biome-ignore lint/a11y/noAutofocus: the one thing to do on this screen
            autoFocus
            data-testid="rules-agree"
          />
          <span>{t('rules.agree')}</span>
        </label>
        {error ? (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy} data-testid="rules-continue">
          {t('rules.continue')}
        </button>
      </form>
    </Frame>
  );
}
