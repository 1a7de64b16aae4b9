import {
  type ProctorAction,
  type ProctorActionResult,
  SEAT_STATES,
  type SeatDto,
  type SeatState,
  seatWarnings,
} from '@exam/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { formatDateTime, zoneNote } from '../i18n/format';
import { ErrorBox } from '../ui/ErrorBox';
import { Loading } from '../ui/Loading';
import { useHasRole } from '../ui/RoleGate';
import { ActionDialog, type ActionRequest } from './ActionDialog';
import { proctorApi } from './api';
import { CompactMap } from './CompactMap';
import { IncidentTable } from './Incidents';
import { useProctorLabels, useStepReason } from './labels';
import { ACTION_KEYS, RoomTimeLeft, useActionKeys, WarningAlert } from './RoomTools';
import { SeatMap } from './SeatMap';
import { SeatTable } from './SeatTable';
import { useLink, watchRoom } from './socket';
import { startTicking, useNow, useRoom } from './store';

export function LinkBadge() {
  const { t } = useTranslation();
  const state = useLink((s) => s.state);
  const text =
    state === 'connected'
      ? t('proctor.linkConnected')
      : state === 'connecting'
        ? t('proctor.linkConnecting')
        : t('proctor.linkDisconnected');
  return (
    <span className={`link-badge link-${state}`} role="status" data-testid="proctor-link" data-state={state}>
      <span className="link-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** How many seats are in each state, and how many warn (re-evaluated every second). */
function StateCounts() {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const seats = useRoom((s) => s.seats);
  const warnAfter = useRoom((s) => s.warnAfter);
  const now = useNow((s) => s.now);
  const counts = Object.fromEntries(SEAT_STATES.map((s) => [s, 0])) as Record<SeatState, number>;
  let warned = 0;
  for (const seat of Object.values(seats)) {
    counts[seat.state]++;
    if (seatWarnings(seat, now, warnAfter).length) warned++;
  }
  return (
    <section aria-label={t('proctor.counts')}>
      <ul className="state-counts" data-testid="state-counts">
        {SEAT_STATES.map((s) => (
          <li key={s} className={`state-count state-${s}`} data-testid={`count-${s}`} data-count={counts[s]}>
            <span className="state-count-n">{counts[s]}</span> {labels.state(s)}
          </li>
        ))}
        <li className={`state-count ${warned ? 'state-warned' : ''}`} data-testid="count-warnings" data-count={warned}>
          <span className="state-count-n">{warned}</span> <span aria-hidden="true">⚠ </span>
          {t('proctor.withWarnings')}
        </li>
      </ul>
    </section>
  );
}

type Open = (action: ProctorAction, seat: SeatDto | null) => void;

const ACTION_KEY_OF: Partial<Record<ProctorAction, string>> = Object.fromEntries(
  Object.entries(ACTION_KEYS).map(([k, a]) => [a, k.toUpperCase()]),
);

const ENDED: SeatState[] = ['submitted', 'suspended'];

/** The actions on the selected candidate and on the whole room. */
function ActionBar({ onAction }: { onAction: Open }) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const seat = useRoom((s) => (s.selected === null ? undefined : s.seats[s.selected]));
  const room = useRoom((s) => s.room);
  const select = useRoom((s) => s.select);
  const st = seat?.state;
  // nothing changes in a closed room or a sealed sitting: the server would refuse
  const roomEnded = room?.state === 'closed' || room?.state === 'sealed';
  const ended = roomEnded || (!!st && ENDED.includes(st));
  // the server's step as of the room's last update, made live from the seats: papers still running
  const seats = useRoom((s) => s.seats);
  const running = Object.values(seats).filter(
    (x) => x.state === 'working' || x.state === 'paused' || (x.state === 'disconnected' && !!x.part?.attemptId),
  ).length;
  const serverStep = room?.steps.find((x) => x.action === 'close_room');
  const closeStep =
    room?.state === 'open' && running > 0
      ? {
          action: 'close_room',
          allowed: false,
          reason: {
            vi: `Còn ${running} bài đang làm; đóng phòng khi mọi bài đã nộp`,
            en: `${running} attempts are still running`,
          },
        }
      : room?.state === 'open'
        ? { action: 'close_room', allowed: true, reason: null }
        : serverStep;
  const stepReason = useStepReason();
  // the chair's decision to admit a late candidate (TT 22/2025): board accounts only, before the paper starts
  const isBoard = useHasRole('board');
  const button = (action: ProctorAction, disabled: boolean, className = 'btn') =>
    seat ? (
      <button
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => onAction(action, seat)}
        aria-keyshortcuts={ACTION_KEY_OF[action]}
        data-testid={`act-${action}`}
      >
        {labels.action(action)}
      </button>
    ) : null;

  return (
    <section className="card action-bar" aria-labelledby="action-bar-h">
      <div className="action-group">
        <h2 id="action-bar-h" className="h-small">
          {t('proctor.selected')}
        </h2>
        {seat ? (
          <>
            <p className="strong" data-testid="selected-seat">
              {t('proctor.seatNo', { n: String(seat.seatNo) })} — {seat.number} {seat.fullName}{' '}
              <span className={`state-badge state-${seat.state}`}>{labels.state(seat.state)}</span>
            </p>
            <div className="button-row">
              {button('pause', ended || st === 'paused' || st === 'not_signed_in')}
              {button('resume', ended || st === 'working' || st === 'not_signed_in')}
              {button('extend', ended)}
              {button('allow_move', st === 'suspended')}
              {button('message', st === 'not_signed_in')}
              {button('unlock_signin', seat.signInLockedUntil === null)}
              {button('unlock_focus', !seat.lockdown?.locked)}
              {button('sanction', st === 'suspended', 'btn btn-danger-ghost')}
              {button('force_submit', ended || !seat.part?.attemptId, 'btn btn-danger-ghost')}
              {isBoard ? button('admit_late', ended || !!seat.part?.attemptId) : null}
              <button type="button" className="btn btn-ghost" onClick={() => select(null)} data-testid="clear-selection">
                {t('proctor.clearSelection')}
              </button>
            </div>
          </>
        ) : (
          <p className="muted" data-testid="none-selected">
            {t('proctor.noneSelected')}
          </p>
        )}
      </div>
      <div className="action-group action-group-room">
        <h2 className="h-small">{t('proctor.forRoom')}</h2>
        <div className="button-row">
          {room && room.state === 'scheduled' ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => onAction('open_sitting', null)}
              data-testid="act-room-open_sitting"
            >
              {t('proctor.openRoom')}
            </button>
          ) : null}
          <button
            type="button"
            className="btn"
            disabled={ended}
            onClick={() => onAction('pause', null)}
            data-testid="act-room-pause"
          >
            {t('proctor.pauseRoom')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={ended}
            onClick={() => onAction('resume', null)}
            data-testid="act-room-resume"
          >
            {t('proctor.resumeRoom')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={ended}
            onClick={() => onAction('message', null)}
            data-testid="act-room-message"
          >
            {t('proctor.messageRoom')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!closeStep?.allowed}
            aria-describedby={closeStep?.allowed ? undefined : 'close-room-why'}
            onClick={() => onAction('close_room', null)}
            data-testid="act-room-close_room"
          >
            {t('proctor.closeRoom')}
          </button>
        </div>
        {closeStep && !closeStep.allowed && closeStep.reason ? (
          <p id="close-room-why" className="hint" data-testid="close-room-why">
            {stepReason(closeStep.reason)}
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** The room's live dashboard: seat map or table, counts, actions, minutes (biên bản). */
export function RoomPage() {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const params = useParams();
  const sittingId = Number(params.sittingId);
  const roomId = Number(params.roomId);
  const room = useRoom((s) => s.room);
  const board = useHasRole('board', 'admin');
  const incidents = useRoom((s) => s.incidents);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<'compact' | 'map' | 'table'>('compact');
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const [status, setStatus] = useState('');
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!Number.isInteger(sittingId) || !Number.isInteger(roomId)) return;
    let live = true;
    setError(null);
    useRoom.getState().open(sittingId, roomId);
    proctorApi.dashboard(sittingId, roomId).then(
      (d) => {
        if (live) useRoom.getState().load(d);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    const unwatch = watchRoom(sittingId, roomId, (code, message) => {
      if (live) setError(new ApiError({ status: 403, code, message }));
    });
    const stopTick = startTicking(() => useRoom.getState().offset);
    return () => {
      live = false;
      unwatch();
      stopTick();
      useRoom.getState().close();
    };
  }, [sittingId, roomId]);

  const onAction = useCallback<Open>((action, seat) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRequest({ action, seat });
  }, []);

  useActionKeys(onAction, request !== null);

  const closeDialog = () => {
    setRequest(null);
    const el = opener.current;
    window.setTimeout(() => el?.isConnected && el.focus(), 0);
  };

  const onDone = (req: ActionRequest, result: ProctorActionResult) => {
    useRoom.getState().addIncidents(`${sittingId}:${roomId}`, result.incidents);
    setStatus(t('proctor.done', { action: labels.action(req.action), count: result.affected }));
    closeDialog();
  };

  if (error && !room) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/proctor">{t('proctor.roomsTitle')}</Link>
        </p>
        <ErrorBox error={error} testId="room-error" />
      </>
    );
  }
  if (!room) return <Loading />;
  const actions = (
    <>
      <ActionBar onAction={onAction} />
      <p className="action-status" role="status" aria-live="polite" data-testid="action-status">
        {status}
      </p>
    </>
  );

  return (
    <div data-testid="room-dashboard">
      <p className="breadcrumb">
        <Link to="/proctor">{t('proctor.roomsTitle')}</Link>
        {board ? (
          <>
            {' › '}
            <Link to={`/proctor/sittings/${sittingId}`} data-testid="to-overview">
              {t('proctor.overview')}
            </Link>
          </>
        ) : null}
      </p>
      <div className="title-row">
        <h1 data-testid="room-title">{t('proctor.roomTitle', { code: room.roomCode, name: room.roomName })}</h1>
        <span className={`badge room-state room-state-${room.state}`} data-testid="room-state" data-state={room.state}>
          {labels.roomState(room.state)}
        </span>
        <span className="spacer" />
        <LinkBadge />
      </div>
      <p className="muted">
        {room.examName} · {t('proctor.sitting')}: {room.sittingName} · {t('proctor.startsAt')}:{' '}
        {formatDateTime(room.startsAt, room.timeZone)} ({zoneNote(room.timeZone)})
        {room.openedAt ? ` · ${t('proctor.openedAt', { time: formatDateTime(room.openedAt, room.timeZone) })}` : ''}
      </p>
      {error ? <ErrorBox error={error} testId="room-error" /> : null}
      <div className="room-glance">
        <RoomTimeLeft />
        <WarningAlert />
      </div>
      <StateCounts />
      {view !== 'compact' ? actions : null}
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
      <div className="tool-group" role="group" aria-label={t('proctor.view')}>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={view === 'compact'}
          onClick={() => setView('compact')}
          data-testid="view-compact"
        >
          {t('a11yProctor.viewCompact')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={view === 'map'}
          onClick={() => setView('map')}
          data-testid="view-map"
        >
          {t('proctor.viewMap')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={view === 'table'}
          onClick={() => setView('table')}
          data-testid="view-table"
        >
          {t('proctor.viewTable')}
        </button>
      </div>
      <span className="hint room-keys">{t('a11yProctor.keysHint')}</span>
      {view === 'compact' ? <CompactMap /> : view === 'map' ? <SeatMap /> : <SeatTable />}
      {/* the whole room first, then the actions on the seat chosen in it */}
      {view === 'compact' ? actions : null}
      <section className="card" aria-labelledby="incidents-h">
        <div className="title-row">
          <h2 id="incidents-h">{t('proctor.incidents')}</h2>
          <span className="spacer" />
          <a className="btn" href={proctorApi.minutesUrl(sittingId, roomId)} download data-testid="minutes-pdf">
            {t('proctor.minutesPdf')}
          </a>
          {room.sealed ? (
            <a className="btn" href={proctorApi.resultSheetUrl(sittingId, roomId)} download data-testid="result-sheet-pdf">
              {t('proctor.resultSheetPdf')}
            </a>
          ) : (
            <button type="button" className="btn" disabled aria-describedby="result-sheet-later" data-testid="result-sheet-pdf">
              {t('proctor.resultSheetPdf')}
            </button>
          )}
        </div>
        {!room.sealed ? (
          <p id="result-sheet-later" className="hint">
            {t('proctor.resultSheetLater')}
          </p>
        ) : (
          <p className="hint" data-testid="room-sealed">
            {t('proctor.sealed')} · {t('proctor.sha256')}: <code>{room.sealed.sha256}</code>
          </p>
        )}
        <IncidentTable incidents={incidents} />
      </section>
      {request ? (
        <ActionDialog
          sittingId={sittingId}
          roomId={roomId}
          roomCode={room.roomCode}
          request={request}
          onClose={closeDialog}
          onDone={onDone}
        />
      ) : null}
    </div>
  );
}
