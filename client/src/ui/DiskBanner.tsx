import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { http } from '../api/http';
import { useHasRole } from './RoleGate';

interface Status {
  diskFreeBytes: number;
  diskWarnBytes: number;
  diskLow: boolean;
}

const CHECK_EVERY_MS = 60_000;

const size = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(0, Math.round(bytes / 1024 ** 2))} MB`;

/** A warning on the staff screens while free space on the server's data disk is below the threshold. */
export function DiskBanner() {
  const { t } = useTranslation();
  const allowed = useHasRole('admin', 'board', 'invigilator');
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    if (!allowed) return;
    let alive = true;
    const check = () =>
      http.get<Status>('/api/system/status').then(
        (s) => alive && setStatus(s),
        () => undefined,
      );
    void check();
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [allowed]);
  if (!status?.diskLow) return null;
  return (
    <div className="alert alert-warn" role="alert" data-testid="disk-low">
      {t('hardening.diskLow', { free: size(status.diskFreeBytes), threshold: size(status.diskWarnBytes) })}
    </div>
  );
}
