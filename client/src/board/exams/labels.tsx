import { type ExamKind, PART_MODES, type PartMode } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { EXAM_STATUSES, type ExamDetail, type ExamStatus } from '../../api/exams';

export function isExamStatus(v: string): v is ExamStatus {
  return (EXAM_STATUSES as readonly string[]).includes(v);
}

export function isPartMode(v: string): v is PartMode {
  return (PART_MODES as readonly string[]).includes(v);
}

/** Labels of exam enums (status, kind, part mode, part role) in the UI language. */
export function useExamLabels() {
  const { t } = useTranslation();
  return {
    status: (s: string) => (isExamStatus(s) ? t(`exams.status.${s}`) : s),
    kind: (k: ExamKind | string) =>
      k === 'recruitment' || k === 'promotion' || k === 'assessment'
        ? t(`exams.kind.${k}`)
        : k === 'title_promotion'
          ? t('examKindIssue12.title_promotion')
          : k,
    mode: (m: string | null) => (m && isPartMode(m) ? t(`parts.modes.${m}`) : (m ?? '')),
    role: (r: string) => (r === 'counted' || r === 'condition' ? t(`parts.roles.${r}`) : r),
  };
}

export function ExamStatusBadge({ status }: { status: string }) {
  const labels = useExamLabels();
  return (
    <span className={`badge badge-exam badge-exam-${status}`} data-testid="exam-status" data-status={status}>
      {labels.status(status)}
    </span>
  );
}

/** Props every tab of the exam page gets. */
export interface ExamTabProps {
  exam: ExamDetail;
  /** Setup may be changed (the exam is a draft). */
  editable: boolean;
  /** Reload the exam after a change. */
  refresh: () => void;
}
