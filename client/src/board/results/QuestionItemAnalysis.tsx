import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/http';
import { resultsApi } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';
import { ItemStatHeaders } from './ItemStatHeaders';
import { stat, useResultLabels } from './labels';
import './results.css';

/**
 * "Phân tích câu hỏi" beside a question in the bank: how the question did in each exam that used
 * it (p, D, point-biserial, flags). Accounts that may not see exams get nothing (403 hides it).
 */
export function QuestionItemAnalysis({ questionId }: { questionId: number }) {
  const { t } = useTranslation();
  const labels = useResultLabels();
  const id = useId();
  const board = useHasRole('admin', 'board');
  const data = useResource(() => resultsApi.questionItemAnalysis(questionId), [questionId]);
  if (data.error instanceof ApiError && data.error.status === 403) return null;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="question-item-analysis">
      <h2 id={`${id}-h`} className="h-small">
        {t('results.items.questionTitle')}
      </h2>
      <ErrorBox error={data.error} />
      {!data.data && !data.error ? <Loading /> : null}
      {data.data && data.data.exams.length === 0 ? (
        <p className="muted" data-testid="qia-none">
          {t('results.items.questionNone')}
        </p>
      ) : null}
      {data.data?.exams.length ? (
        <table className="table table-compact" data-testid="qia-table">
          <thead>
            <tr>
              <th scope="col">{t('results.items.exam')}</th>
              <ItemStatHeaders />
            </tr>
          </thead>
          <tbody>
            {data.data.exams.map((e) => (
              <tr key={`${e.examId}-${e.partId}-${e.versionId}`} className={e.flags.length ? 'row-flagged' : undefined}>
                <th scope="row">
                  {board ? <Link to={`/board/exams/${e.examId}/results/items`}>{e.examName}</Link> : e.examName}
                  <div className="muted">
                    {e.partName} · #{e.versionId}
                  </div>
                  {e.flags.map((f) => (
                    <span key={f} className="badge badge-bad">
                      {labels.flag(f)}
                    </span>
                  ))}
                </th>
                <td className="num">{formatNumber(e.candidates)}</td>
                <td className="num">{stat(e.facility)}</td>
                <td className="num">{stat(e.discrimination)}</td>
                <td className="num">{stat(e.pointBiserial)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
