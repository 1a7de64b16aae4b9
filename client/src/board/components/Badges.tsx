import type { Difficulty, QuestionStatus } from '@exam/shared';
import { useLabels } from '../../ui/labels';

export function StatusBadge({ status }: { status: QuestionStatus }) {
  const labels = useLabels();
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {labels.status(status)}
    </span>
  );
}

export function DifficultyBadge({ difficulty }: { difficulty: Difficulty }) {
  const labels = useLabels();
  return <span className={`badge badge-diff badge-${difficulty}`}>{labels.difficulty(difficulty)}</span>;
}
