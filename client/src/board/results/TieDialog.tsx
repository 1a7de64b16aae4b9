import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExamResultsDto, type PositionResultDto, resultsApi, type TiedGroupDto } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { FormField } from '../../ui/FormField';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { score } from './labels';

interface Props {
  examId: number;
  position: PositionResultDto;
  group: TiedGroupDto;
  onClose: () => void;
  onDone: (r: ExamResultsDto) => void;
}

/**
 * The head's decision for a tied group: the board puts the candidates in the decided order (↑/↓)
 * and gives the reason; the first `seats` of the order take the remaining seats.
 */
export function TieDialog({ examId, position, group, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLOListElement>(null);
  const [order, setOrder] = useState<number[]>(group.decision?.candidateIds ?? group.candidateIds);
  const [decisionNumber, setDecisionNumber] = useState('');
  const [decisionDate, setDecisionDate] = useState('');
  const [signer, setSigner] = useState('');
  const complete = !!decisionNumber.trim() && !!decisionDate && !!signer.trim();
  const rowOf = (cid: number) => position.rows.find((r) => r.candidateId === cid);

  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= order.length) return;
    const next = [...order];
    [next[i], next[j]] = [next[j] as number, next[i] as number];
    setOrder(next);
    // keep the focus on the moved candidate's same button
    window.setTimeout(() => listRef.current?.querySelector<HTMLButtonElement>(`[data-move="${j}:${by}"]`)?.focus(), 0);
  };

  return (
    <ReasonDialog
      title={t('results.tie.dialogTitle', { rank: formatNumber(group.rank) })}
      testId="tie-dialog"
      reasonLabel={t('results.tie.reason')}
      reasonHint={t('results.tie.reasonHint')}
      reasonTestId="tie-reason"
      reasonRows={3}
      ready={complete}
      submitLabel={t('results.tie.record')}
      busyLabel={t('common.saving')}
      submitTestId="tie-submit"
      cancelTestId="tie-cancel"
      errorTestId="tie-error"
      onSubmit={async (reason) =>
        onDone(
          await resultsApi.decideTie(examId, {
            positionId: position.positionId,
            candidateIds: order,
            reason,
            decisionNumber: decisionNumber.trim(),
            decisionDate,
            signer: signer.trim(),
          }),
        )
      }
      onClose={onClose}
      after={
        <>
          <FormField label={t('defence.tie.decisionNumber')} required>
            {(c) => (
              <input
                {...c}
                maxLength={100}
                value={decisionNumber}
                onChange={(e) => setDecisionNumber(e.target.value)}
                data-testid="tie-decision-number"
              />
            )}
          </FormField>
          <FormField label={t('defence.tie.decisionDate')} required>
            {(c) => (
              <input
                {...c}
                type="date"
                value={decisionDate}
                onChange={(e) => setDecisionDate(e.target.value)}
                data-testid="tie-decision-date"
              />
            )}
          </FormField>
          <FormField label={t('defence.tie.signer')} hint={t('defence.tie.chairOnly')} required>
            {(c) => (
              <input {...c} maxLength={200} value={signer} onChange={(e) => setSigner(e.target.value)} data-testid="tie-signer" />
            )}
          </FormField>
        </>
      }
    >
      <p>
        {t('results.tie.dialogIntro', {
          position: `${position.code} — ${position.name}`,
          seats: formatNumber(group.seats),
          n: formatNumber(group.candidateIds.length),
        })}
      </p>
      <ol ref={listRef} className="tie-order" data-testid="tie-order">
        {order.map((cid, i) => {
          const r = rowOf(cid);
          const who = r ? `${r.number} ${r.fullName}` : `#${cid}`;
          return (
            <li key={cid} data-testid={`tie-item-${r?.number ?? cid}`} data-candidate-id={cid}>
              <span className="tie-pos">{i + 1}.</span>
              <span className="grow">
                <strong>{r?.number}</strong> {r?.fullName}{' '}
                <span className="muted">
                  ({t('results.col.total')}: {score(r?.total)})
                </span>
                {i < group.seats ? <span className="badge badge-approved">{t('results.tie.takesSeat')}</span> : null}
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={i === 0}
                onClick={() => move(i, -1)}
                aria-label={t('results.tie.up', { who })}
                data-move={`${i}:-1`}
                data-testid={`tie-up-${r?.number ?? cid}`}
              >
                ↑
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={i === order.length - 1}
                onClick={() => move(i, 1)}
                aria-label={t('results.tie.down', { who })}
                data-move={`${i}:1`}
                data-testid={`tie-down-${r?.number ?? cid}`}
              >
                ↓
              </button>
            </li>
          );
        })}
      </ol>
    </ReasonDialog>
  );
}
