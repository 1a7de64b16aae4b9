import type { RoomRefDto } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDateTime, formatNumber } from '../i18n/format';
import { ErrorBox } from '../ui/ErrorBox';
import { Loading } from '../ui/Loading';
import { useHasRole } from '../ui/RoleGate';
import { useResource } from '../ui/useResource';
import { proctorApi } from './api';
import { useProctorLabels } from './labels';

interface SittingGroup {
  sittingId: number;
  first: RoomRefDto;
  rooms: RoomRefDto[];
}

function bySitting(rooms: RoomRefDto[]): SittingGroup[] {
  const groups = new Map<number, SittingGroup>();
  for (const r of rooms) {
    const g = groups.get(r.sittingId);
    if (g) g.rooms.push(r);
    else groups.set(r.sittingId, { sittingId: r.sittingId, first: r, rooms: [r] });
  }
  return [...groups.values()].sort((a, b) => a.first.startsAt.localeCompare(b.first.startsAt));
}

/** The rooms this user may watch (an invigilator: the assigned ones), by sitting. */
export function RoomsPage() {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const board = useHasRole('board', 'admin');
  const rooms = useResource(() => proctorApi.rooms(), []);

  return (
    <>
      <h1>{t('proctor.roomsTitle')}</h1>
      <p className="muted">{board ? t('proctor.roomsIntroBoard') : t('proctor.roomsIntro')}</p>
      <ErrorBox error={rooms.error} testId="rooms-error" />
      {rooms.loading && !rooms.data ? <Loading /> : null}
      {rooms.data && !rooms.data.length ? (
        <p className="empty" data-testid="no-rooms">
          {t('proctor.noRooms')}
        </p>
      ) : null}
      {rooms.data
        ? bySitting(rooms.data).map((g) => (
            <section key={g.sittingId} className="card" aria-labelledby={`sitting-${g.sittingId}`}>
              <div className="title-row">
                <h2 id={`sitting-${g.sittingId}`}>
                  {g.first.examName} — {g.first.sittingName}
                </h2>
                <span className="spacer" />
                {board ? (
                  <Link className="btn" to={`/proctor/sittings/${g.sittingId}`} data-testid={`overview-link-${g.sittingId}`}>
                    {t('proctor.overview')}
                  </Link>
                ) : null}
              </div>
              <p className="muted">
                {t('proctor.startsAt')}: {formatDateTime(g.first.startsAt, g.first.timeZone)}
                {g.first.sealed ? ` · ${t('proctor.sealed')}` : ''}
              </p>
              <table className="table" data-testid={`rooms-${g.sittingId}`}>
                <thead>
                  <tr>
                    <th scope="col">{t('proctor.room')}</th>
                    <th scope="col" className="num">
                      {t('proctor.candidates')}
                    </th>
                    <th scope="col">{t('proctor.status')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {g.rooms.map((r) => (
                    <tr key={r.roomId} data-testid={`room-row-${r.roomCode}`}>
                      <td>
                        <strong>{r.roomCode}</strong> — {r.roomName}
                      </td>
                      <td className="num">{formatNumber(r.candidates)}</td>
                      <td>
                        <span className={`badge room-state room-state-${r.state}`} data-state={r.state}>
                          {labels.roomState(r.state)}
                        </span>
                      </td>
                      <td>
                        <Link
                          className="btn btn-primary btn-small"
                          to={`/proctor/sittings/${r.sittingId}/rooms/${r.roomId}`}
                          data-testid={`room-link-${r.roomCode}`}
                        >
                          {t('proctor.watch')}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))
        : null}
    </>
  );
}
