import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditVerify, systemApi } from '../../api/system';
import { formatBytes, formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';

const AUDIT_LIMIT = 50;

function Backups() {
  const { t } = useTranslation();
  const backups = useResource(() => systemApi.backups(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const backupNow = async () => {
    setBusy(true);
    setError(null);
    try {
      const b = await systemApi.backupNow();
      toast.success(t('system.backupDone', { name: b.name }));
      backups.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="backups-h" data-testid="backups">
      <div className="title-row">
        <h2 id="backups-h" className="h-small">
          {t('system.backups')}
        </h2>
        <div className="spacer" />
        <button type="button" className="btn btn-primary" onClick={backupNow} disabled={busy} data-testid="backup-now">
          {busy ? t('system.backingUp') : t('system.backupNow')}
        </button>
      </div>
      <ErrorBox error={error ?? backups.error} testId="backup-error" />
      {backups.loading && !backups.data ? <Loading /> : null}
      {backups.data ? (
        backups.data.length === 0 ? (
          <p className="muted">{t('system.noBackups')}</p>
        ) : (
          <table className="table" data-testid="backups-table">
            <thead>
              <tr>
                <th scope="col">{t('system.backupName')}</th>
                <th scope="col">{t('system.createdAt')}</th>
                <th scope="col" className="num">
                  {t('system.size')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('system.download')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...backups.data]
                .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
                .map((b) => (
                  <tr key={b.name}>
                    <td>
                      <code>{b.name}</code>
                    </td>
                    <td>{formatDateTime(b.createdAt)}</td>
                    <td className="num">{formatBytes(b.bytes)}</td>
                    <td>
                      <a href={systemApi.backupUrl(b.name)} download aria-label={`${t('system.download')} ${b.name}`}>
                        {t('system.download')}
                      </a>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}

function Audit() {
  const { t } = useTranslation();
  const audit = useResource(() => systemApi.audit({ limit: AUDIT_LIMIT }), []);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [anchor, setAnchor] = useState('');

  const runVerify = async () => {
    setVerifying(true);
    setError(null);
    setVerify(null);
    try {
      setVerify(await systemApi.verify(anchor.trim() || undefined));
      audit.reload();
    } catch (err) {
      setError(err);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <section className="card" aria-labelledby="audit-h" data-testid="audit">
      <div className="title-row">
        <h2 id="audit-h" className="h-small">
          {t('system.audit')}
        </h2>
        <div className="spacer" />
        <label className="inline-field">
          {t('hardening.anchorLabel')}{' '}
          <input
            className="input"
            value={anchor}
            onChange={(e) => setAnchor(e.target.value)}
            placeholder="1234:ab12…"
            data-testid="audit-anchor"
          />
        </label>
        <button type="button" className="btn" onClick={runVerify} disabled={verifying} data-testid="audit-verify">
          {verifying ? t('system.verifying') : t('system.verify')}
        </button>
      </div>
      {verify ? (
        <div
          className={`alert ${verify.ok ? 'alert-success' : 'alert-error'}`}
          role={verify.ok ? 'status' : 'alert'}
          data-testid="audit-verify-result"
          data-ok={verify.ok}
        >
          {verify.ok
            ? t('system.verifyOk', { rows: formatNumber(verify.rows) })
            : t('system.verifyBroken', { message: verify.firstBroken?.message ?? '' })}
          {verify.anchorCheck ? <p data-testid="audit-anchor-check">{verify.anchorCheck.message}</p> : null}
          <p>
            {t('hardening.anchorNow')} <code data-testid="audit-anchor-now">{verify.anchor.text}</code>
          </p>
        </div>
      ) : null}
      <ErrorBox error={error ?? audit.error} testId="audit-error" />
      {audit.loading && !audit.data ? <Loading /> : null}
      {audit.data ? (
        <>
          <p className="muted">{t('system.latest', { count: audit.data.items.length, total: formatNumber(audit.data.total) })}</p>
          <div className="table-scroll">
            <table className="table table-compact" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">{t('system.time')}</th>
                  <th scope="col">{t('system.actor')}</th>
                  <th scope="col">{t('system.action')}</th>
                  <th scope="col">{t('system.entity')}</th>
                  <th scope="col">{t('system.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.items.map((r) => (
                  <tr key={r.id}>
                    <td className="num">{r.id}</td>
                    <td className="nowrap">{formatDateTime(r.ts)}</td>
                    <td>{r.actorName}</td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td className="nowrap">
                      {r.entity}
                      {r.entityId ? ` #${r.entityId}` : ''}
                    </td>
                    <td className="detail-cell" title={r.detail}>
                      {r.detail && r.detail !== '{}' ? r.detail : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

export function SystemPage() {
  const { t } = useTranslation();
  const isAdmin = useHasRole('admin');
  return (
    <div data-testid="system-page">
      <h1>{t('system.title')}</h1>
      {isAdmin ? (
        <Backups />
      ) : (
        <section className="card">
          <h2 className="h-small">{t('system.backups')}</h2>
          <p className="muted">{t('system.backupsAdminOnly')}</p>
        </section>
      )}
      <Audit />
    </div>
  );
}
