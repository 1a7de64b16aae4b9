import { type IncidentDto, PROCTOR_SANCTIONS, type ProctorSanction } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { useProctorLabels } from './labels';

const TIME = new Intl.DateTimeFormat('vi-VN', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  day: '2-digit',
  month: '2-digit',
  hour12: false,
});

const isSanction = (v: unknown): v is ProctorSanction =>
  typeof v === 'string' && (PROCTOR_SANCTIONS as readonly string[]).includes(v);

/** An incident's details in words: minutes added, the sanction, the message; other plain values as they are. */
function Details({ details }: { details: Record<string, unknown> }) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const parts: string[] = [];
  for (const [k, v] of Object.entries(details)) {
    if (k === 'minutes' && typeof v === 'number') parts.push(t('proctor.detailMinutes', { n: String(v) }));
    else if (k === 'level' && isSanction(v)) parts.push(labels.sanction(v));
    else if (k === 'text' && typeof v === 'string') parts.push(t('proctor.detailText', { text: v }));
    else if (k === 'candidates' && typeof v === 'number') parts.push(t('proctor.detailCandidates', { n: String(v) }));
    else if (k === 'label' || k === 'wholeRoom')
      continue; // the level's label in Vietnamese; the room column says it
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}: ${String(v)}`);
  }
  return <>{parts.join('; ')}</>;
}

/** The incident log (biên bản): time, seat, candidate, action, details, reason, who. */
export function IncidentTable({
  incidents,
  roomCodes,
  testId = 'incidents',
}: {
  incidents: IncidentDto[];
  /** room id → code: adds a room column (the sitting overview) */
  roomCodes?: Map<number, string>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  if (!incidents.length) {
    return (
      <p className="empty" data-testid={`${testId}-empty`}>
        {t('proctor.incidentsEmpty')}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('proctor.time')}</th>
            {roomCodes ? <th scope="col">{t('proctor.room')}</th> : null}
            <th scope="col">{t('proctor.seat')}</th>
            <th scope="col">{t('proctor.candidate')}</th>
            <th scope="col">{t('proctor.action')}</th>
            <th scope="col">{t('proctor.details')}</th>
            <th scope="col">{t('proctor.reasonCol')}</th>
            <th scope="col">{t('proctor.invigilator')}</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id} data-testid={`incident-${i.id}`} data-action={i.action}>
              <td className="nowrap">{TIME.format(i.at)}</td>
              {roomCodes ? <td>{roomCodes.get(i.roomId) ?? i.roomId}</td> : null}
              <td className="num">{i.seatNo ?? '—'}</td>
              <td>{i.candidateNumber ? `${i.candidateNumber} ${i.candidateName ?? ''}` : t('proctor.forRoom')}</td>
              <td>{labels.action(i.action)}</td>
              <td>
                <Details details={i.details} />
              </td>
              <td>{i.reason}</td>
              <td>{i.invigilator}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
