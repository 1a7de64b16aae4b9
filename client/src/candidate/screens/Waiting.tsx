import { useEffect, useRef, useState } from 'react';
import { hasCode } from '../../api/http';
import { nextPart, openPart } from '../flow';
import { formatDuration, serverNow } from '../stores/clock';
import { useSession } from '../stores/session';
import { Frame, useErrorMessage, useT } from '../ui';

/** Times on the candidate's screen are in the exam's zone (Asia/Ho_Chi_Minh by default), never the lab PC's. */
const formatters = new Map<string, { time: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();
function zoned(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat('vi-VN', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
      }),
      dateTime: new Intl.DateTimeFormat('vi-VN', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour12: false,
      }),
    };
    formatters.set(zone, f);
  }
  return f;
}

/** The server's clock, ticking here: only this component re-renders every second. */
function ServerClock({ startsAt, onReached, zone }: { startsAt: number | null; onReached: () => void; zone: string }) {
  const { t } = useT();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = window.setInterval(() => setNow(serverNow()), 500);
    return () => window.clearInterval(id);
  }, []);
  const left = startsAt === null ? null : startsAt - now;
  const reached = left !== null && left <= 0;
  useEffect(() => {
    if (reached) onReached();
  }, [reached, onReached]);
  return (
    <>
      <div>
        <dt>{t('waiting.serverClock')}</dt>
        <dd className="cand-clock" data-testid="server-clock">
          {zoned(zone).time.format(now)}
        </dd>
      </div>
      {left !== null && left > 0 ? (
        <div>
          <dt>&nbsp;</dt>
          <dd data-testid="starts-in">{t('waiting.startsIn', { time: formatDuration(left) })}</dd>
        </div>
      ) : null}
    </>
  );
}

/** Holds until the sitting opens (by an invigilator or at the scheduled time), then starts the first part. */
export function Waiting() {
  const { t } = useT();
  const me = useSession((s) => s.me);
  const refresh = useSession((s) => s.refresh);
  const logout = useSession((s) => s.logout);
  const errorText = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opened = !!me?.sitting?.opened;
  const startRef = useRef<HTMLButtonElement>(null);

  // keyboard users: the start button takes the focus as soon as it can be used
  useEffect(() => {
    if (opened) startRef.current?.focus();
  }, [opened]);

  // until it opens: ask the server every 3 s (the clock below also asks when the scheduled time comes)
  useEffect(() => {
    if (opened) return;
    const id = window.setInterval(() => void refresh(), 3_000);
    return () => window.clearInterval(id);
  }, [opened, refresh]);

  if (!me) return null;
  const part = nextPart(me);
  const startsAt = me.sitting ? Date.parse(me.sitting.startsAt) : null;

  const onStart = async () => {
    if (!part) return;
    setBusy(true);
    setError(null);
    try {
      await openPart(part);
    } catch (err) {
      if (hasCode(err, 'SITTING_NOT_OPEN')) void refresh();
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Frame wide>
      <h1>{opened ? t('waiting.opened') : t('waiting.title')}</h1>
      {!me.sitting ? (
        <div className="alert alert-warn" role="alert">
          {t('waiting.noSitting')}
        </div>
      ) : (
        <>
          {!opened ? <p className="muted">{t('waiting.intro')}</p> : null}
          <dl className="cand-facts cand-facts-row">
            <div>
              <dt>{t('confirm.sitting')}</dt>
              <dd>{me.sitting.name}</dd>
            </div>
            <div>
              <dt>{t('waiting.scheduled')}</dt>
              <dd data-testid="scheduled">{startsAt === null ? '' : zoned(me.exam.timeZone).dateTime.format(startsAt)}</dd>
            </div>
            <ServerClock startsAt={opened ? null : startsAt} onReached={refresh} zone={me.exam.timeZone} />
          </dl>
          <h2>{t('waiting.parts')}</h2>
          <ol className="cand-parts" data-testid="parts">
            {me.parts.map((p) => (
              <li
                key={p.partId}
                className={p.status === 'exempt' || p.status === 'barred' ? 'muted' : undefined}
                data-status={p.status}
              >
                <strong>{p.name}</strong> —{' '}
                {p.status === 'exempt'
                  ? t('waiting.exempt')
                  : p.status === 'barred'
                    ? t('waiting.barred')
                    : t('waiting.partLine', { count: p.questionCount, minutes: p.durationMin })}
              </li>
            ))}
          </ol>
          {!part ? <p className="alert alert-info">{t('waiting.noParts')}</p> : null}
          {error ? (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          ) : null}
          {part ? (
            <button
              ref={startRef}
              type="button"
              className="btn btn-primary btn-block btn-large"
              disabled={!opened || busy}
              onClick={onStart}
              data-testid="start-part"
            >
              {busy ? t('waiting.starting') : t('waiting.start')}
            </button>
          ) : null}
        </>
      )}
      <p className="cand-gap">
        <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
          {t('app.logout')}
        </button>
      </p>
    </Frame>
  );
}
