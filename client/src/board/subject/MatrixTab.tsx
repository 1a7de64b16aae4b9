import { DIFFICULTIES, QUESTION_STATUSES } from '@exam/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useLabels } from '../../ui/labels';
import { useResource } from '../../ui/useResource';
import type { SubjectTabProps } from '../pages/SubjectPage';
import { topicTree } from '../topicTree';

export function MatrixTab({ subject, topics }: SubjectTabProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const summary = useResource(() => banksApi.summary(subject.id), [subject.id]);
  const depth = useMemo(() => new Map(topicTree(topics).map((x, i) => [x.id, { depth: x.depth, order: i }])), [topics]);

  if (summary.error) return <ErrorBox error={summary.error} />;
  if (!summary.data) return <Loading />;
  const s = summary.data;
  const rows = [...s.rows].sort((a, b) => (depth.get(a.topicId)?.order ?? 0) - (depth.get(b.topicId)?.order ?? 0));
  const cell = (n: number | undefined) => (n ? formatNumber(n) : <span className="zero">0</span>);

  return (
    <div data-testid="matrix-tab">
      <h2>{t('matrix.title')}</h2>
      <p className="muted">{t('matrix.intro')}</p>
      <div className="table-scroll">
        <table className="table matrix" data-testid="matrix-table">
          <thead>
            <tr>
              <th scope="col">{t('matrix.topic')}</th>
              {DIFFICULTIES.map((d) => (
                <th scope="col" key={d} className="num">
                  {labels.difficulty(d)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('matrix.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.topicId} data-testid={`matrix-row-${r.code}`}>
                <th scope="row" style={{ paddingLeft: `${0.6 + (depth.get(r.topicId)?.depth ?? 0) * 1.25}rem` }}>
                  <span className="code-badge small">{r.code}</span> {r.name}
                </th>
                {DIFFICULTIES.map((d) => (
                  <td key={d} className="num">
                    {cell(r.counts[d])}
                  </td>
                ))}
                <td className="num strong">{cell(r.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="matrix-total">
              <th scope="row">{t('matrix.totalRow')}</th>
              {DIFFICULTIES.map((d) => (
                <td key={d} className="num strong">
                  {cell(s.totals[d])}
                </td>
              ))}
              <td className="num strong" data-testid="matrix-grand-total">
                {formatNumber(s.total)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h3>{t('matrix.byStatus')}</h3>
      <ul className="stat-list" data-testid="matrix-by-status">
        {QUESTION_STATUSES.map((st) => (
          <li key={st}>
            <span className={`badge badge-${st}`}>{labels.status(st)}</span> <strong>{formatNumber(s.byStatus[st] ?? 0)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
