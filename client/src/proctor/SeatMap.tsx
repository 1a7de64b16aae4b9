import { type SeatDto, seatWarnings } from '@exam/shared';
import { type CSSProperties, memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { formatClock, seatRemainingMs, seatSinceSaveMs, useFormatAgo, useProctorLabels } from './labels';
import { useNow, useRoom } from './store';

/** The parts of a seat that change with the clock: time left, since the last save, warnings. */
function SeatLive({ seat }: { seat: SeatDto }) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const ago = useFormatAgo();
  const now = useNow((s) => s.now);
  const warnAfter = useRoom((s) => s.warnAfter);
  const left = seatRemainingMs(seat, now);
  const since = seatSinceSaveMs(seat, now);
  const warnings = seatWarnings(seat, now, warnAfter);
  return (
    <>
      {left !== null ? (
        <span className="seat-line seat-time" data-testid="seat-time-left">
          {seat.state === 'paused'
            ? t('proctor.pausedValue', { time: formatClock(left) })
            : t('proctor.timeLeftValue', { time: formatClock(left) })}
        </span>
      ) : null}
      {seat.state !== 'not_signed_in' && seat.state !== 'submitted' && seat.state !== 'suspended' ? (
        <span className="seat-line muted" data-testid="seat-last-save">
          {since === null ? t('proctor.notSaved') : t('proctor.savedAgo', { ago: ago(since) })}
        </span>
      ) : null}
      {warnings.length ? (
        <span className="seat-warnings" data-testid="seat-warnings">
          {warnings.map((w) => (
            <span key={w} className="seat-warning" data-warning={w}>
              <span aria-hidden="true">⚠ </span>
              {labels.warning(w)}
            </span>
          ))}
        </span>
      ) : null}
    </>
  );
}

/** One seat (a button: click or Enter selects it); re-renders only when its own seat changes. */
const Seat = memo(function Seat({ candidateId }: { candidateId: number }) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const seat = useRoom((s) => s.seats[candidateId]);
  const selected = useRoom((s) => s.selected === candidateId);
  const select = useRoom((s) => s.select);
  if (!seat) return null;
  return (
    <button
      type="button"
      className={`seat seat-${seat.state}${selected ? ' seat-selected' : ''}`}
      aria-pressed={selected}
      onClick={() => select(selected ? null : candidateId)}
      data-testid={`seat-${seat.number}`}
      data-state={seat.state}
      data-answered={seat.answered}
    >
      <span className="seat-head">
        <span className="seat-no">{t('proctor.seatNo', { n: String(seat.seatNo) })}</span>
        {seat.flagged ? (
          <span className="seat-flagged" title={t('proctor.flaggedN', { n: String(seat.flagged) })}>
            <span aria-hidden="true">⚑</span>
            <span className="visually-hidden">{t('proctor.flaggedN', { n: String(seat.flagged) })}</span>
            <span aria-hidden="true">{seat.flagged}</span>
          </span>
        ) : null}
      </span>
      <span className="seat-line seat-number">{seat.number}</span>
      <span className="seat-line seat-name">{seat.fullName}</span>
      <span className={`state-badge state-${seat.state}`} data-testid="seat-state">
        {labels.state(seat.state)}
      </span>
      {seat.total > 0 ? (
        <span className="seat-line" data-testid="seat-answered">
          {t('proctor.answeredOf', { answered: String(seat.answered), total: String(seat.total) })}
        </span>
      ) : null}
      <SeatLive seat={seat} />
      <span className="seat-line muted seat-ip" data-testid="seat-ip">
        {seat.device?.ip ?? t('proctor.noDevice')}
      </span>
      {seat.extendedMs > 0 ? (
        <span className="seat-line seat-note" data-testid="seat-extended">
          {t('proctor.extended', { n: String(Math.round(seat.extendedMs / 60_000)) })}
        </span>
      ) : null}
      {seat.sanctions.length ? (
        <span className="seat-line seat-note seat-sanctions" data-testid="seat-sanctions">
          {t('proctor.sanctioned', { list: seat.sanctions.map((s) => labels.sanction(s)).join(', ') })}
        </span>
      ) : null}
      {seat.moveAllowed ? <span className="seat-line seat-note">{t('proctor.moveAllowed')}</span> : null}
      {seat.signInLockedUntil !== null ? (
        <span className="seat-line seat-note seat-sanctions" data-testid="seat-signin-locked">
          {t('hardening.signInLocked', { at: new Date(seat.signInLockedUntil).toLocaleTimeString('vi-VN') })}
        </span>
      ) : null}
    </button>
  );
});

/** The room's seats (máy số), row by row as the room has them; an empty seat shows as such. */
export function SeatMap() {
  const { t } = useTranslation();
  const order = useRoom((s) => s.order);
  // only the seat numbers matter here: a batch of progress does not re-render the map, only its seats
  const seatNos = useRoom(useShallow((s) => s.order.map((id) => s.seats[id]?.seatNo ?? 0)));
  const roomSeats = useRoom((s) => s.room?.seats ?? 0);
  const perRow = Math.max(
    1,
    useRoom((s) => s.room?.seatsPerRow ?? 6),
  );
  const bySeatNo = new Map<number, number>();
  let maxSeat = roomSeats;
  order.forEach((id, i) => {
    const no = seatNos[i] ?? 0;
    bySeatNo.set(no, id);
    if (no > maxSeat) maxSeat = no;
  });
  const cells: { no: number; id: number | undefined }[] = [];
  for (let no = 1; no <= maxSeat; no++) cells.push({ no, id: bySeatNo.get(no) });
  if (!order.length) return <p className="empty">{t('proctor.noCandidates')}</p>;
  return (
    <ul
      className="seat-map"
      style={{ '--per-row': perRow } as CSSProperties}
      aria-label={t('proctor.mapLabel', { perRow: String(perRow) })}
      data-testid="seat-map"
    >
      {cells.map((c) => (
        <li key={c.no}>
          {c.id !== undefined ? (
            <Seat candidateId={c.id} />
          ) : (
            <div className="seat seat-empty">
              <span className="seat-no">{t('proctor.seatNo', { n: String(c.no) })}</span>
              <span className="muted">{t('proctor.emptySeat')}</span>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
