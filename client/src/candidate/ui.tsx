import type { ReactNode } from 'react';
import { ApiError } from '../api/http';
import { LANGUAGES } from '../i18n/lang';
import { AccessMenu } from './access/AccessMenu';
import { useLang } from './i18n';
import { useSession } from './stores/session';
import { useT } from './useT';

export { useT };

export function LangSwitch() {
  const language = useLang((s) => s.language);
  const setLanguage = useLang((s) => s.setLanguage);
  const { t } = useT();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset
    <div className="lang-switch" role="group" aria-label={t('app.language')} data-testid="lang-switch">
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={language === l}
          onClick={() => setLanguage(l)}
          data-testid={`lang-${l}`}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('app.loading')}</span>
    </div>
  );
}

/** An error in the UI language (server messages come in Vietnamese and English). */
export function useErrorMessage(): (err: unknown) => string {
  const { t, i18n } = useT();
  return (err: unknown) => {
    if (err instanceof ApiError) {
      if (err.status === 0) return t('app.networkError');
      return err.text(i18n.language);
    }
    if (err instanceof Error && err.message) return err.message;
    return t('app.unknownError');
  };
}

/**
 * Banners at the top: the invigilators' messages ('message' on the socket; a sanction comes as a
 * warning) and extensions of time. Each stays until the candidate closes it.
 */
export function Banners() {
  const banners = useSession((s) => s.banners);
  const dismiss = useSession((s) => s.dismissBanner);
  const { t } = useT();
  if (!banners.length) return null;
  return (
    <div className="cand-banners">
      {banners.map((b) => (
        <div key={b.id} className={`cand-banner cand-banner-${b.kind}`} role="alert" data-testid="banner" data-kind={b.kind}>
          {b.kind === 'extension' ? (
            <span className="grow" data-testid="banner-text">
              {t('banner.extended', { minutes: b.minutes })}
            </span>
          ) : (
            <>
              <strong>{b.kind === 'warning' ? t('banner.warning') : t('banner.fromInvigilator')}:</strong>
              <span className="grow" data-testid="banner-text">
                {b.text}
              </span>
            </>
          )}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => dismiss(b.id)}
            aria-label={t('banner.close')}
            data-testid="banner-close"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The frame of every screen but the exam: title bar, language, then a centred card. */
export function Frame({ children, wide, footer }: { children: ReactNode; wide?: boolean; footer?: ReactNode }) {
  const { t } = useT();
  const me = useSession((s) => s.me);
  return (
    <div className="cand-screen">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="cand-top">
        <span className="app-emblem" aria-hidden="true">
          ★
        </span>
        <span className="cand-top-title">{me?.exam.name ?? t('app.title')}</span>
        <span className="spacer" />
        {me ? (
          <span className="cand-top-who" data-testid="who">
            {me.candidate.fullName} · {me.candidate.number}
          </span>
        ) : null}
        <AccessMenu />
        <LangSwitch />
      </header>
      <Banners />
      <main id="main" className={wide ? 'cand-card cand-card-wide' : 'cand-card'} tabIndex={-1}>
        {children}
      </main>
      {footer ? <footer className="cand-footer">{footer}</footer> : null}
    </div>
  );
}
