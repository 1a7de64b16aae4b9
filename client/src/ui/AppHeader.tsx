import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../stores/auth';
import { toast } from '../stores/toasts';
import { LanguageSwitch } from './LanguageSwitch';
import { useLabels } from './labels';

/** The staff header: app name, who is signed in, language, sign out; `nav` is the front-end's menu. */
export function AppHeader({ nav }: { nav?: ReactNode }) {
  const me = useAuth((s) => s.me);
  const logout = useAuth((s) => s.logout);
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      toast.info(t('auth.loggedOut'));
      void navigate('/login', { replace: true });
    }
  };

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header-top">
        <Link to="/" className="app-name" data-testid="app-name">
          <span className="app-emblem" aria-hidden="true">
            ★
          </span>
          {t('app.name')}
        </Link>
        <div className="app-header-right">
          {me ? (
            <div className="user-box" data-testid="user-box">
              <span className="user-name" data-testid="user-name">
                {me.fullName}
              </span>
              <span className="user-roles" data-testid="user-roles">
                {me.roles.map((r) => labels.role(r)).join(', ')}
              </span>
            </div>
          ) : null}
          <LanguageSwitch />
          {me ? (
            <button type="button" className="btn btn-ghost" onClick={onLogout} data-testid="logout">
              {t('auth.logout')}
            </button>
          ) : null}
        </div>
      </div>
      {nav}
    </header>
  );
}
