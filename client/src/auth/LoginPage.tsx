import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { homePath, useAuth } from '../stores/auth';
import { ErrorBox } from '../ui/ErrorBox';
import { FormField } from '../ui/FormField';
import { LanguageSwitch } from '../ui/LanguageSwitch';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const me = useAuth((s) => s.me);
  const expired = useAuth((s) => s.expired);
  const login = useAuth((s) => s.login);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (me && !busy) return <Navigate to={next ?? homePath(me)} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(new Error(t('auth.required')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const who = await login(username.trim(), password);
      void navigate(next ?? homePath(who), { replace: true });
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <header className="login-lang">
        <LanguageSwitch />
      </header>
      <main className="login-card" id="main">
        <p className="login-app" aria-hidden="true">
          <span className="app-emblem">★</span>
        </p>
        <h1 className="login-title">{t('app.name')}</h1>
        <h2 className="login-sub">{t('auth.title')}</h2>
        <p className="muted">{t('auth.subtitle')}</p>
        {expired && !error ? (
          <div className="alert alert-info" role="status">
            {t('auth.sessionExpired')}
          </div>
        ) : null}
        <form onSubmit={onSubmit} noValidate data-testid="login-form">
          <FormField label={t('auth.username')} id="login-username">
            {(c) => (
              <input
                {...c}
                name="username"
                autoComplete="username"
                // biome-ignore lint/a11y/noAutofocus: the only thing to do on this screen
                autoFocus
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
              />
            )}
          </FormField>
          <FormField label={t('auth.password')} id="login-password">
            {(c) => (
              <input
                {...c}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            )}
          </FormField>
          <ErrorBox error={error} testId="login-error" />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
            {busy ? t('auth.submitting') : t('auth.submit')}
          </button>
        </form>
        <p className="login-switch">
          {/* the candidate app is a separate bundle: a full page load, not a router link */}
          <a href="/thi-sinh" data-testid="to-candidate">
            {t('auth.candidateLink')}
          </a>
        </p>
        <p className="login-switch">
          <a href="/tra-cuu-ket-qua" data-testid="to-lookup">
            {t('lookup.title')}
          </a>
        </p>
      </main>
    </div>
  );
}
