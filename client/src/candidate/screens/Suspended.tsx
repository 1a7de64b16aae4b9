import { useEffect, useRef } from 'react';
import { useSession } from '../stores/session';
import { Frame, useT } from '../ui';
import { useStatusLabel } from './Result';

/**
 * Suspended from the exam (đình chỉ thi): the attempt is over and the later parts are barred, so
 * nothing more can be started here. The reason comes from the socket event, or from
 * `me.suspensionReason` after a reload.
 */
export function Suspended() {
  const { t } = useT();
  const me = useSession((s) => s.me);
  const suspension = useSession((s) => s.suspension);
  const logout = useSession((s) => s.logout);
  const statusLabel = useStatusLabel();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <Frame wide>
      <div className="cand-suspended" data-testid="suspended">
        <h1 ref={headingRef} tabIndex={-1}>
          {t('suspended.title')}
        </h1>
        <p className="strong" data-testid="suspended-message">
          {suspension?.message || t('suspended.text')}
        </p>
        {suspension?.reason || me?.suspensionReason ? (
          <p data-testid="suspended-reason">
            <strong>{t('suspended.reason')}:</strong> {suspension?.reason || me?.suspensionReason}
          </p>
        ) : null}
      </div>
      {me ? (
        <>
          <h2>{t('suspended.parts')}</h2>
          <ol className="cand-parts" data-testid="parts">
            {me.parts.map((p) => (
              <li key={p.partId} data-status={p.status}>
                <strong>{p.name}</strong> — <span data-testid={`part-status-${p.partId}`}>{statusLabel(p.status)}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <p className="alert alert-warn">{t('suspended.help')}</p>
      <button type="button" className="btn" onClick={() => void logout()} data-testid="cand-logout">
        {t('app.logout')}
      </button>
    </Frame>
  );
}
