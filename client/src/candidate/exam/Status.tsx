import { countPending, useAttempt } from '../stores/attempt';
import { useClock } from '../stores/clock';
import { useT } from '../ui';

/** Connected / disconnected (answers kept locally meanwhile). */
export function LinkStatus() {
  const { t } = useT();
  const link = useClock((s) => s.link);
  const text = link === 'connected' ? t('exam.connected') : link === 'connecting' ? t('exam.connecting') : t('exam.disconnected');
  return (
    <div className={`exam-link exam-link-${link}`} role="status" data-testid="link-status" data-state={link}>
      <span className="exam-link-dot" aria-hidden="true" />
      {text}
    </div>
  );
}

/** "N câu chưa lưu" while the server has not acknowledged some answers. */
export function PendingCount() {
  const { t } = useT();
  const n = useAttempt((s) => countPending(s.answers));
  return (
    <div className="exam-pending-box" role="status">
      {n > 0 ? (
        <span className="exam-pending" data-testid="pending-count" data-count={n}>
          {t('exam.pending', { count: n })}
        </span>
      ) : null}
    </div>
  );
}
