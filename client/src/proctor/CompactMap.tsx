import { type SeatDto, type SeatState, seatWarnings } from '@exam/shared';
import { type CSSProperties, memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, seatRemainingMs, seatSinceSaveMs, useFormatAgo, useProctorLabels } from './labels';
import { useNow, useRoom } from './store';

/** Each state has an icon as well as its colour (never colour alone). */
export const STATE_ICONS: Record<SeatState, string> = {
  not_signed_in: '○',
  signed_in: '●',
  working: '✎',
  disconnected: '✕',
  paused: '⏸',
  submitted: '✓',
  suspended: '⛔',
};

/** How many warnings a seat carries, counting each focus loss and full-screen exit. */
export function warningCount(seat: SeatDto, warnings: readonly string[]): number {
  const focus = seat.lockdown ? seat.lockdown.focusLosses + seat.lockdown.fullscreenExits : 0;
  return warnings.filter((w) => w !== 'focus').length + focus;
}

/**
 * One compact seat: number, state (icon + colour), answered/total, time left and a warning badge;
 * the details open on hover and on keyboard focus. Enter or click selects it for the actions.
 */
const CompactSeat = memo(function CompactSeat({ candidateId }: { candidateId: number }) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const ago = useFormatAgo();
  const seat = useRoom((s) => s.seats[candidateId]);
  const selected = useRoom((s) => s.selected === candidateId);
  const select = useRoom((s) => s.select);
  const now = useNow((s) => s.now);
  const warnAfter = useRoom((s) => s.warnAfter);
  if (!seat) return null;
  const left = seatRemainingMs(seat, now);
  const since = seatSinceSaveMs(seat, now);
  const warnings = seatWarnings(seat, now, warnAfter);
  const nWarn = warningCount(seat, warnings);
  const extra = seat.lockdown?.extraMinutes ?? 0;
  const popId = `seat-pop-${candidateId}`;
  return (
    <button
      type="button"
      className={`cseat state-${seat.state}${selected ? ' seat-selected' : ''}${nWarn ? ' cseat-warn' : ''}`}
      aria-pressed={selected}
      aria-describedby={popId}
      onClick={() => select(selected ? null : candidateId)}
      data-testid={`seat-${seat.number}`}
      data-state={seat.state}
      data-answered={seat.answered}
      data-warnings={nWarn}
    >
      <span className="cseat-top">
        <span className="cseat-no">{seat.seatNo}</span>
        <span className="cseat-icon" aria-hidden="true">
          {STATE_ICONS[seat.state]}
        </span>
        <span className="cseat-state" data-testid="seat-state">
          {labels.state(seat.state)}
        </span>
      </span>
      <span className="cseat-bottom">
        <span data-testid="seat-answered">{seat.total > 0 ? `${seat.answered}/${seat.total}` : '–'}</span>
        <span className="cseat-time" data-testid="seat-time-left">
          {left !== null ? formatClock(left) : ''}
        </span>
        {extra > 0 ? (
          <span className="cseat-extra" data-testid="seat-extra" title={t('a11yProctor.extraTime', { n: String(extra) })}>
            +{extra}′
          </span>
        ) : null}
        {nWarn > 0 ? (
          <span className="cseat-badge" data-testid="seat-warning-badge">
            ⚠ {nWarn}
          </span>
        ) : null}
      </span>
      <span className="cseat-pop" id={popId} role="tooltip">
        <strong>
          {t('proctor.seatNo', { n: String(seat.seatNo) })} · {seat.number}
        </strong>
        <span>{seat.fullName}</span>
        <span>
          {labels.state(seat.state)}
          {seat.part ? ` · ${seat.part.name}` : ''}
        </span>
        {seat.total > 0 ? (
          <span>{t('proctor.answeredOf', { answered: String(seat.answered), total: String(seat.total) })}</span>
        ) : null}
        {left !== null ? <span>{t('proctor.timeLeftValue', { time: formatClock(left) })}</span> : null}
        {seat.state !== 'not_signed_in' && seat.state !== 'submitted' && seat.state !== 'suspended' ? (
          <span>{since === null ? t('proctor.notSaved') : t('proctor.savedAgo', { ago: ago(since) })}</span>
        ) : null}
        {extra > 0 ? <span>{t('a11yProctor.extraTime', { n: String(extra) })}</span> : null}
        {seat.lockdown && seat.lockdown.focusLosses + seat.lockdown.fullscreenExits > 0 ? (
          <span data-testid="seat-focus-detail">
            {t('a11yProctor.focusDetail', {
              blur: String(seat.lockdown.focusLosses),
              fullscreen: String(seat.lockdown.fullscreenExits),
            })}
          </span>
        ) : null}
        {warnings.map((w) => (
          <span key={w} className="seat-warning" data-warning={w}>
            ⚠ {labels.warning(w)}
          </span>
        ))}
        <span className="muted">{seat.device?.ip ?? t('proctor.noDevice')}</span>
      </span>
    </button>
  );
});

/** The room at a glance: every seat of a 60-seat room on one 1366×768 screen, in the room's rows. */
export function CompactMap() {
  const { t } = useTranslation();
  const order = useRoom((s) => s.order);
  const perRow = Math.max(
    1,
    useRoom((s) => s.room?.seatsPerRow ?? 6),
  );
  const seats = useRoom((s) => s.seats);
  if (!order.length) return <p className="empty">{t('proctor.noCandidates')}</p>;
  const sorted = [...order].sort((a, b) => (seats[a]?.seatNo ?? 0) - (seats[b]?.seatNo ?? 0));
  // at least 10 columns, 12 from 50 seats up: 60 seats take five rows
  const cols = Math.max(perRow, order.length >= 50 ? 12 : 10);
  return (
    <ul
      className="cseat-map"
      style={{ '--cols': cols } as CSSProperties}
      aria-label={t('a11yProctor.compactLabel', { n: String(order.length) })}
      data-testid="seat-map"
    >
      {sorted.map((id) => (
        <li key={id}>
          <CompactSeat candidateId={id} />
        </li>
      ))}
    </ul>
  );
}
