import { type FormEvent, useState } from 'react';
import { ApiError, hasCode } from '../../api/http';
import { useSession } from '../stores/session';
import { Frame, useErrorMessage, useT } from '../ui';

export function SignIn() {
  const { t } = useT();
  const login = useSession((s) => s.login);
  const expired = useSession((s) => s.expired);
  const errorText = useErrorMessage();
  const [number, setNumber] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!number.trim() || !pin.trim()) {
      setError(t('signIn.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(number, pin);
    } catch (err) {
      setPin('');
      // the server says what happened on the other PC: signed in only, or answering there
      if (hasCode(err, 'DEVICE_LOCKED')) setError(errorText(err));
      else if (hasCode(err, 'BAD_CREDENTIALS')) setError(t('signIn.badCredentials'));
      else if (err instanceof ApiError && err.status === 429) setError(t('signIn.rateLimited'));
      // the exam is over (results published) or the sitting has ended: the server says what happened
      else setError(errorText(err));
      setOver(hasCode(err, 'EXAM_PUBLISHED'));
      setBusy(false);
    }
  };

  return (
    <Frame
      footer={
        // the staff app is another bundle: a full page load
        <a href="/login" data-testid="to-staff">
          {t('app.staffLink')}
        </a>
      }
    >
      <h1>{t('signIn.title')}</h1>
      <p className="muted">{t('signIn.intro')}</p>
      {expired && !error ? (
        <div className="alert alert-info" role="status">
          {t('app.sessionExpired')}
        </div>
      ) : null}
      <form onSubmit={onSubmit} noValidate data-testid="cand-login">
        <div className="field">
          <label htmlFor="cand-number">{t('signIn.number')}</label>
          <input
            id="cand-number"
            name="number"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen
            autoFocus
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            data-testid="cand-number"
          />
        </div>
        <div className="field">
          <label htmlFor="cand-pin">{t('signIn.pin')}</label>
          <input
            id="cand-pin"
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            data-testid="cand-pin"
          />
        </div>
        {error ? (
          <div className="alert alert-error" role="alert" data-testid="cand-login-error">
            {error}
            {over ? (
              <>
                {' '}
                <a href="/tra-cuu-ket-qua" data-testid="to-lookup">
                  /tra-cuu-ket-qua
                </a>
              </>
            ) : null}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy} data-testid="cand-login-submit">
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </Frame>
  );
}
