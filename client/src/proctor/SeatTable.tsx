import { SEAT_STATES, type SeatDto, type SeatState, type SeatWarning, seatWarnings } from '@exam/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormField } from '../ui/FormField';
import { formatClock, seatRemainingMs, seatSinceSaveMs, useFormatAgo, useProctorLabels } from './labels';
import { useNow, useRoom } from './store';

type SortKey = 'seatNo' | 'number' | 'fullName' | 'state' | 'answered' | 'flagged' | 'left' | 'lastSave' | 'ip' | 'warnings';

interface Row {
  seat: SeatDto;
  left: number | null;
  since: number | null;
  warnings: SeatWarning[];
}

const collator = new Intl.Collator('vi');

/** Sort values; rows without a value go last whichever the direction. */
function value(r: Row, key: SortKey): number | string | null {
  switch (key) {
    case 'seatNo':
      return r.seat.seatNo;
    case 'number':
      return r.seat.number;
    case 'fullName':
      // Vietnamese order: by given name (the last word), then the full name
      return `${r.seat.fullName.split(' ').pop() ?? ''} ${r.seat.fullName}`;
    case 'state':
      return SEAT_STATES.indexOf(r.seat.state);
    case 'answered':
      return r.seat.answered;
    case 'flagged':
      return r.seat.flagged;
    case 'left':
      return r.left;
    case 'lastSave':
      return r.since;
    case 'ip':
      return r.seat.device?.ip ?? null;
    case 'warnings':
      return r.warnings.length;
  }
}

function compare(a: Row, b: Row, key: SortKey, dir: 1 | -1): number {
  const va = value(a, key);
  const vb = value(b, key);
  if (va === null || vb === null) return va === vb ? a.seat.seatNo - b.seat.seatNo : va === null ? 1 : -1;
  const c = typeof va === 'string' && typeof vb === 'string' ? collator.compare(va, vb) : Number(va) - Number(vb);
  return c !== 0 ? c * dir : a.seat.seatNo - b.seat.seatNo;
}

/** The same seats as a table: sort by any column (click its header), filter by state, warnings, text. */
export function SeatTable() {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const ago = useFormatAgo();
  const id = useId();
  const order = useRoom((s) => s.order);
  const seats = useRoom((s) => s.seats);
  const warnAfter = useRoom((s) => s.warnAfter);
  const selected = useRoom((s) => s.selected);
  const select = useRoom((s) => s.select);
  const now = useNow((s) => s.now);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'seatNo', dir: 1 });
  const [state, setState] = useState<SeatState | ''>('');
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [q, setQ] = useState('');

  const all: Row[] = [];
  for (const cid of order) {
    const seat = seats[cid];
    if (seat)
      all.push({
        seat,
        left: seatRemainingMs(seat, now),
        since: seatSinceSaveMs(seat, now),
        warnings: seatWarnings(seat, now, warnAfter),
      });
  }
  const needle = q.trim().toLocaleLowerCase('vi');
  const rows = all
    .filter((r) => !state || r.seat.state === state)
    .filter((r) => !warningsOnly || r.warnings.length > 0)
    .filter(
      (r) =>
        !needle ||
        [r.seat.number, r.seat.fullName, r.seat.device?.ip ?? ''].some((v) => v.toLocaleLowerCase('vi').includes(needle)),
    )
    .sort((a, b) => compare(a, b, sort.key, sort.dir));

  const columns: { key: SortKey; label: string; num?: boolean }[] = [
    { key: 'seatNo', label: t('proctor.seatCol'), num: true },
    { key: 'number', label: t('proctor.number') },
    { key: 'fullName', label: t('proctor.fullName') },
    { key: 'state', label: t('proctor.state') },
    { key: 'answered', label: t('proctor.answered'), num: true },
    { key: 'flagged', label: t('proctor.flagged'), num: true },
    { key: 'left', label: t('proctor.timeLeft'), num: true },
    { key: 'lastSave', label: t('proctor.lastSave') },
    { key: 'ip', label: t('proctor.device') },
    { key: 'warnings', label: t('proctor.warnings') },
  ];

  return (
    <div data-testid="seat-table-view">
      <search className="row proctor-filters" aria-label={t('proctor.filters')}>
        <FormField label={t('proctor.state')} id={`${id}-state`}>
          {(c) => (
            <select {...c} value={state} onChange={(e) => setState(e.target.value as SeatState | '')} data-testid="filter-state">
              <option value="">{t('proctor.allStates')}</option>
              {SEAT_STATES.map((s) => (
                <option key={s} value={s}>
                  {labels.state(s)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('common.search')} id={`${id}-q`} className="field grow">
          {(c) => (
            <input
              {...c}
              type="search"
              value={q}
              placeholder={t('proctor.search')}
              onChange={(e) => setQ(e.target.value)}
              data-testid="filter-q"
            />
          )}
        </FormField>
        <div className="field field-button">
          <label className="check">
            <input
              type="checkbox"
              checked={warningsOnly}
              onChange={(e) => setWarningsOnly(e.target.checked)}
              data-testid="filter-warnings"
            />
            {t('proctor.warningsOnly')}
          </label>
        </div>
      </search>
      <p className="muted" role="status" data-testid="table-shown">
        {t('proctor.shown', { n: String(rows.length), total: String(all.length) })}
      </p>
      <div className="table-scroll">
        <table className="table table-compact seat-table" data-testid="seat-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
                  className={c.num ? 'num' : undefined}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (s.dir === 1 ? -1 : 1) : 1 }))}
                    data-testid={`sort-${c.key}`}
                  >
                    {c.label}
                    <span aria-hidden="true" className="sort-mark">
                      {sort.key === c.key ? (sort.dir === 1 ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ seat, left, since, warnings }) => (
              <tr
                key={seat.candidateId}
                className={selected === seat.candidateId ? 'row-selected' : undefined}
                data-testid={`seat-row-${seat.number}`}
                data-state={seat.state}
              >
                <td className="num">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-pressed={selected === seat.candidateId}
                    onClick={() => select(selected === seat.candidateId ? null : seat.candidateId)}
                    data-testid={`select-${seat.number}`}
                  >
                    {seat.seatNo}
                  </button>
                </td>
                <td>{seat.number}</td>
                <td>{seat.fullName}</td>
                <td>
                  <span className={`state-badge state-${seat.state}`}>{labels.state(seat.state)}</span>
                </td>
                <td className="num" data-testid="row-answered">
                  {seat.answered}/{seat.total}
                </td>
                <td className="num">{seat.flagged}</td>
                <td className="num nowrap">
                  {left === null ? '—' : seat.state === 'paused' ? `⏸ ${formatClock(left)}` : formatClock(left)}
                </td>
                <td className="nowrap">{since === null ? '—' : ago(since)}</td>
                <td className="nowrap">{seat.device?.ip ?? '—'}</td>
                <td>
                  {warnings.map((w) => (
                    <span key={w} className="seat-warning">
                      <span aria-hidden="true">⚠ </span>
                      {labels.warning(w)}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!rows.length ? <p className="empty">{all.length ? t('proctor.noMatch') : t('proctor.noCandidates')}</p> : null}
    </div>
  );
}
