import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExamResultsDto, type PositionResultDto, resultsApi, type TiedGroupDto } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
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
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [order, setOrder] = useState<number[]>(group.decision?.candidateIds ?? group.candidateIds);
  const [reason, setReason] = useState('');
  const [decisionNumber, setDecisionNumber] = useState('');
  const [decisionDate, setDecisionDate] = useState('');
  const [signer, setSigner] = useState('');
  const complete = !!reason.trim() && !!decisionNumber.trim() && !!decisionDate && !!signer.trim();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const rowOf = (cid: number) => position.rows.find((r) => r.candidateId === cid);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= order.length) return;
    const next = [...order];
    [next[i], next[j]] = [next[j] as number, next[i] as number];
    setOrder(next);
    // keep the focus on the moved candidate's same button
    window.setTimeout(() => ref.current?.querySelector<HTMLButtonElement>(`[data-move="${j}:${by}"]`)?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!complete || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await resultsApi.decideTie(examId, {
        positionId: position.positionId,
        candidateIds: order,
        reason: reason.trim(),
        decisionNumber: decisionNumber.trim(),
        decisionDate,
        signer: signer.trim(),
      });
      onDone(r);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="results-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
      data-testid="tie-dialog"
    >
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{t('results.tie.dialogTitle', { rank: formatNumber(group.rank) })}</h2>
        <p>
          {t('results.tie.dialogIntro', {
            position: `${position.code} — ${position.name}`,
            seats: formatNumber(group.seats),
            n: formatNumber(group.candidateIds.length),
          })}
        </p>
        <ol className="tie-order" data-testid="tie-order">
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
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('results.tie.reason')}</label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={1000}
            required
            aria-describedby={`${id}-hint`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="tie-reason"
          />
          <small id={`${id}-hint`} className="hint">
            {t('results.tie.reasonHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor={`${id}-no`}>{t('defence.tie.decisionNumber')}</label>
          <input
            id={`${id}-no`}
            maxLength={100}
            required
            value={decisionNumber}
            onChange={(e) => setDecisionNumber(e.target.value)}
            data-testid="tie-decision-number"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('defence.tie.decisionDate')}</label>
          <input
            id={`${id}-date`}
            type="date"
            required
            value={decisionDate}
            onChange={(e) => setDecisionDate(e.target.value)}
            data-testid="tie-decision-date"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-signer`}>{t('defence.tie.signer')}</label>
          <input
            id={`${id}-signer`}
            maxLength={200}
            required
            value={signer}
            onChange={(e) => setSigner(e.target.value)}
            data-testid="tie-signer"
          />
          <small className="hint">{t('defence.tie.chairOnly')}</small>
        </div>
        <ErrorBox error={error} testId="tie-error" />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={!complete || busy} data-testid="tie-submit">
            {busy ? t('common.saving') : t('results.tie.record')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy} data-testid="tie-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
