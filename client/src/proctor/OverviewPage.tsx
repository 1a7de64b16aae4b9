import { SEAT_STATES, type SealResultDto, type SittingOverviewDto } from '@exam/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { formatBytes, formatDateTime, formatNumber, zoneNote } from '../i18n/format';
import { ErrorBox } from '../ui/ErrorBox';
import { Loading } from '../ui/Loading';
import { ReasonField } from '../ui/ReasonDialog';
import { proctorApi } from './api';
import { IncidentTable } from './Incidents';
import { useProctorLabels, useStepReason } from './labels';
import { LinkBadge } from './RoomPage';
import { watchSitting } from './socket';

/** Sealing the sitting's data (board): a reason, then the SHA-256 of the one file holding it all. */
function SealBox({ overview, onSealed }: { overview: SittingOverviewDto; onSealed: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<SealResultDto | null>(null);
  const sealed = result ? { sha256: result.sha256, sealedAt: result.sealedAt } : overview.sealed;
  const stepReason = useStepReason();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await proctorApi.seal(overview.sittingId, reason.trim()));
      onSealed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="seal-h" data-testid="seal-box">
      <h2 id="seal-h">{t('proctor.sealTitle')}</h2>
      <p className="muted">{t('proctor.sealIntro')}</p>
      {sealed ? (
        <div className="alert alert-success" role="status" data-testid="seal-result">
          <p className="strong">{t('proctor.sealDone')}</p>
          <dl className="seal-facts">
            <div>
              <dt>{t('proctor.sha256')}</dt>
              <dd>
                <code data-testid="seal-sha256">{sealed.sha256}</code>
              </dd>
            </div>
            <div>
              <dt>{t('proctor.sealed_at')}</dt>
              <dd>{formatDateTime(sealed.sealedAt, overview.timeZone)}</dd>
            </div>
            {result ? (
              <>
                <div>
                  <dt>{t('proctor.bytes')}</dt>
                  <dd>{formatBytes(result.bytes)}</dd>
                </div>
                <div>
                  <dt>{t('proctor.attempts')}</dt>
                  <dd data-testid="seal-attempts">{formatNumber(result.attempts)}</dd>
                </div>
                <div>
                  <dt>{t('proctor.answers')}</dt>
                  <dd data-testid="seal-answers">{formatNumber(result.answers)}</dd>
                </div>
              </>
            ) : null}
          </dl>
          <p>
            <a className="btn" href={proctorApi.exportUrl(overview.sittingId)} download data-testid="seal-export">
              {t('proctor.exportFile')}
            </a>
          </p>
        </div>
      ) : (
        <form onSubmit={submit}>
          <ReasonField
            label={t('proctor.sealReason')}
            id="seal-reason"
            value={reason}
            onChange={setReason}
            testId="seal-reason"
          />
          {!overview.sealStep.allowed && overview.sealStep.reason ? (
            <p id="seal-why" className="alert alert-warn" data-testid="seal-why">
              {stepReason(overview.sealStep.reason)}
            </p>
          ) : null}
          <ErrorBox error={error} testId="seal-error" />
          <div className="button-row">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !reason.trim() || !overview.sealStep.allowed}
              aria-describedby={overview.sealStep.allowed ? undefined : 'seal-why'}
              data-testid="seal-submit"
            >
              {t('proctor.sealButton')}
            </button>
            {busy ? (
              <span className="progress-box" role="status">
                <progress aria-label={t('proctor.sealBusy')} />
                {t('proctor.sealBusy')}
              </span>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}

/** A sitting at a glance (board and admin): every room's counts per state, the totals, incidents, sealing. */
export function OverviewPage() {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const sittingId = Number(useParams().sittingId);
  const [overview, setOverview] = useState<SittingOverviewDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after sealing
  useEffect(() => {
    if (!Number.isInteger(sittingId)) return;
    let live = true;
    const take = (d: SittingOverviewDto) => {
      if (live) setOverview((cur) => (cur && cur.serverNow > d.serverNow ? cur : d));
    };
    proctorApi.overview(sittingId).then(take, (e: unknown) => {
      if (live) setError(e);
    });
    const unwatch = watchSitting(sittingId, take, (code, message) => {
      if (live) setError(new ApiError({ status: 403, code, message }));
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [sittingId, tick]);

  if (!overview) {
    return error ? <ErrorBox error={error} testId="overview-error" /> : <Loading />;
  }
  const roomCodes = new Map(overview.rooms.map((r) => [r.roomId, r.roomCode]));
  const totalCandidates = overview.rooms.reduce((n, r) => n + r.candidates, 0);
  const totalWarnings = overview.rooms.reduce((n, r) => n + r.warnings, 0);
  const totalIncidents = overview.rooms.reduce((n, r) => n + r.incidents, 0);

  return (
    <div data-testid="sitting-overview">
      <p className="breadcrumb">
        <Link to="/proctor">{t('proctor.roomsTitle')}</Link>
      </p>
      <div className="title-row">
        <h1>
          {t('proctor.overviewTitle')}: {overview.sittingName}
        </h1>
        <span className="spacer" />
        <LinkBadge />
      </div>
      <p className="muted">
        {overview.examName} · {t('proctor.startsAt')}: {formatDateTime(overview.startsAt, overview.timeZone)} (
        {zoneNote(overview.timeZone)})
      </p>
      {error ? <ErrorBox error={error} testId="overview-error" /> : null}
      <div className="table-scroll">
        <table className="table table-compact overview-table" data-testid="overview-table">
          <thead>
            <tr>
              <th scope="col">{t('proctor.room')}</th>
              <th scope="col" className="num">
                {t('proctor.candidates')}
              </th>
              {SEAT_STATES.map((s) => (
                <th key={s} scope="col" className="num">
                  <span className={`state-dot state-${s}`} aria-hidden="true" />
                  {labels.state(s)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('proctor.warnings')}
              </th>
              <th scope="col" className="num">
                {t('proctor.incidentsCol')}
              </th>
              <th scope="col">{t('proctor.status')}</th>
              <th scope="col">{t('proctor.invigilators')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.rooms.map((r) => (
              <tr key={r.roomId} data-testid={`overview-room-${r.roomCode}`}>
                <th scope="row">
                  <Link to={`/proctor/sittings/${sittingId}/rooms/${r.roomId}`} data-testid={`overview-room-link-${r.roomCode}`}>
                    {r.roomCode} — {r.roomName}
                  </Link>
                </th>
                <td className="num">{formatNumber(r.candidates)}</td>
                {SEAT_STATES.map((s) => (
                  <td key={s} className={`num${r.counts[s] ? '' : ' zero'}`} data-testid={`overview-${r.roomCode}-${s}`}>
                    {formatNumber(r.counts[s])}
                  </td>
                ))}
                <td className={`num${r.warnings ? ' stat-bad' : ' zero'}`}>{formatNumber(r.warnings)}</td>
                <td className="num">{formatNumber(r.incidents)}</td>
                <td>
                  <span
                    className={`badge room-state room-state-${r.state}`}
                    data-testid="overview-room-state"
                    data-state={r.state}
                  >
                    {labels.roomState(r.state)}
                  </span>
                </td>
                <td>{r.invigilators.join(', ')}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('proctor.totals')}</th>
              <td className="num">{formatNumber(totalCandidates)}</td>
              {SEAT_STATES.map((s) => (
                <td key={s} className="num" data-testid={`overview-total-${s}`}>
                  {formatNumber(overview.totals[s])}
                </td>
              ))}
              <td className="num">{formatNumber(totalWarnings)}</td>
              <td className="num">{formatNumber(totalIncidents)}</td>
              <td />
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <SealBox overview={overview} onSealed={() => setTick((n) => n + 1)} />
      <section className="card" aria-labelledby="all-incidents-h">
        <h2 id="all-incidents-h">{t('proctor.allIncidents')}</h2>
        <IncidentTable incidents={overview.incidents} roomCodes={roomCodes} testId="overview-incidents" />
      </section>
    </div>
  );
}
