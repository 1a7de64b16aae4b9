import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExamResultsDto, type ResultRowDto, resultsApi } from '../../api/results';
import { ErrorBox } from '../../ui/ErrorBox';

interface Props {
  examId: number;
  row: ResultRowDto;
  onClose: () => void;
  onDone: (r: ExamResultsDto) => void;
}

/** Hủy kết quả thi: a sanction only the board records, with its reason (audited). */
export function CancelResultDialog({ examId, row, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await resultsApi.cancelResult(examId, row.candidateId, reason.trim()));
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
      data-testid="cancel-result-dialog"
    >
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{t('results.cancelResult.title', { who: `${row.number} ${row.fullName}` })}</h2>
        <p className="alert alert-warn">{t('results.cancelResult.warning')}</p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('results.cancelResult.reason')}</label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={1000}
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="cancel-result-reason"
          />
        </div>
        <ErrorBox error={error} testId="cancel-result-error" />
        <div className="button-row">
          <button type="submit" className="btn btn-danger" disabled={!reason.trim() || busy} data-testid="cancel-result-submit">
            {busy ? t('common.saving') : t('results.cancelResult.confirm')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
