import { useTranslation } from 'react-i18next';
import { type ExamResultsDto, type ResultRowDto, resultsApi } from '../../api/results';
import { ReasonDialog } from '../../ui/ReasonDialog';

interface Props {
  examId: number;
  row: ResultRowDto;
  onClose: () => void;
  onDone: (r: ExamResultsDto) => void;
}

/** Hủy kết quả thi: a sanction only the board records, with its reason (audited). */
export function CancelResultDialog({ examId, row, onClose, onDone }: Props) {
  const { t } = useTranslation();
  return (
    <ReasonDialog
      title={t('results.cancelResult.title', { who: `${row.number} ${row.fullName}` })}
      testId="cancel-result-dialog"
      reasonLabel={t('results.cancelResult.reason')}
      reasonTestId="cancel-result-reason"
      reasonRows={3}
      submitLabel={t('results.cancelResult.confirm')}
      busyLabel={t('common.saving')}
      submitTestId="cancel-result-submit"
      errorTestId="cancel-result-error"
      danger
      onSubmit={async (reason) => onDone(await resultsApi.cancelResult(examId, row.candidateId, reason))}
      onClose={onClose}
    >
      <p className="alert alert-warn">{t('results.cancelResult.warning')}</p>
    </ReasonDialog>
  );
}
