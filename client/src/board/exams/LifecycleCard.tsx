import { EXAM_PHASE_LABELS, EXAM_PHASES, type ExamLifecycleDto, ROOM_STATE_LABELS } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { http } from '../../api/http';
import { formatDateTime, zoneNote } from '../../i18n/format';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';

/**
 * Where the exam is in its lifecycle (set-up → ready → running → marking → published), each
 * sitting's and room's state, and what may happen next — with the server's reason when it may not.
 */
export function LifecycleCard({ examId }: { examId: number }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const r = useResource(() => http.get<ExamLifecycleDto>(`/api/exams/${examId}/lifecycle`), [examId]);
  if (r.loading && !r.data) return <Loading />;
  if (r.error || !r.data) return <ErrorBox error={r.error} />;
  const l = r.data;
  const current = EXAM_PHASES.indexOf(l.phase);
  const stepLabel = (action: string): string => {
    if (action === 'mark_ready') return t('lifecycle.markReady');
    if (action === 'publish') return t('lifecycle.publish');
    const sitting = l.sittings.find((s) => `seal:${s.sittingId}` === action);
    return t('lifecycle.seal', { name: sitting?.name ?? '' });
  };
  return (
    <section className="card" aria-labelledby="ov-life-h" data-testid="lifecycle">
      <h2 id="ov-life-h" className="h-small">
        {t('lifecycle.title')}
      </h2>
      <ol className="lifecycle-phases" data-testid="lifecycle-phase" data-phase={l.phase}>
        {EXAM_PHASES.map((p, i) => (
          <li
            key={p}
            className={i === current ? 'phase-current' : i < current ? 'phase-done' : 'phase-next'}
            aria-current={i === current ? 'step' : undefined}
          >
            {EXAM_PHASE_LABELS[p][lang]}
          </li>
        ))}
      </ol>
      {l.sittings.length > 0 ? (
        <table className="table">
          <caption className="muted small">{t('lifecycle.sittings', { zone: zoneNote(l.timeZone) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('lifecycle.sitting')}</th>
              <th scope="col">{t('lifecycle.startsAt')}</th>
              <th scope="col">{t('lifecycle.state')}</th>
              <th scope="col">{t('lifecycle.rooms')}</th>
            </tr>
          </thead>
          <tbody>
            {l.sittings.map((s) => (
              <tr key={s.sittingId} data-testid="lifecycle-sitting" data-state={s.state}>
                <th scope="row">{s.name}</th>
                <td className="nowrap">{formatDateTime(s.startsAt, l.timeZone)}</td>
                <td>{ROOM_STATE_LABELS[s.state][lang]}</td>
                <td>{s.rooms.map((room) => `${room.roomCode}: ${ROOM_STATE_LABELS[room.state][lang]}`).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h3 className="h-small">{t('lifecycle.next')}</h3>
      <ul className="lifecycle-next">
        {l.next.map((n) => (
          <li key={n.action} data-testid={`lifecycle-next-${n.action}`} data-allowed={n.allowed}>
            <span className={n.allowed ? 'badge badge-approved' : 'badge badge-draft'}>
              {n.allowed ? t('lifecycle.allowed') : t('lifecycle.notYet')}
            </span>{' '}
            {stepLabel(n.action)}
            {n.reason ? <span className="muted">: {n.reason[lang]}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
