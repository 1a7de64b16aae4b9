import { useTranslation } from 'react-i18next';

export interface ImportIssueLike {
  row: number;
  column?: string | null;
  code: string;
  message: string;
  severity: string;
}

/**
 * The table of problems found in an imported file (questions or candidates), one line per issue. The
 * server lists the first ones only; `total` and `counts` (per code, over all of them) say what the rest are.
 */
export function ImportIssuesTable({
  issues,
  total,
  counts,
}: {
  issues: readonly ImportIssueLike[];
  total?: number;
  counts?: Readonly<Record<string, number>>;
}) {
  const { t } = useTranslation();
  if (!issues.length) return null;
  const truncated = total !== undefined && total > issues.length;
  return (
    <>
      <h4>{t('import.issues')}</h4>
      {truncated && (
        <p className="hint" data-testid="issues-truncated">
          {t('importLimits.truncated', { shown: String(issues.length), total: String(total) })}{' '}
          {Object.entries(counts ?? {})
            .sort((a, b) => b[1] - a[1])
            .map(([code, n]) => `${code}: ${n}`)
            .join(', ')}
        </p>
      )}
      <div className="table-scroll">
        <table className="table issues" data-testid="report-issues">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('import.row')}
              </th>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.code')}</th>
              <th scope="col">{t('import.message')}</th>
              <th scope="col">{t('import.severity')}</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i, idx) => (
              <tr
                // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id
                key={idx}
                className={i.severity === 'error' ? 'issue-error' : 'issue-skipped'}
                data-severity={i.severity}
                data-testid="report-issue"
                data-row={i.row}
              >
                <td className="num" data-testid="issue-row">
                  {i.row || ''}
                </td>
                <td data-testid="issue-column">{i.column ?? ''}</td>
                <td>
                  <code>{i.code}</code>
                </td>
                <td data-testid="issue-message">{i.message}</td>
                <td>
                  {i.severity === 'error'
                    ? t('import.severityError')
                    : i.severity === 'warning'
                      ? t('defence.severityWarning')
                      : i.severity === 'info'
                        ? t('importFormats.severityInfo')
                        : t('import.severitySkipped')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Upload progress, then "processing", while a file import runs. */
export function ImportProgress({ phase, progress }: { phase: 'uploading' | 'processing'; progress: number }) {
  const { t } = useTranslation();
  return (
    <div className="progress-box" role="status" aria-live="polite" data-testid="import-progress">
      {phase === 'uploading' ? (
        <>
          <progress max={100} value={Math.round(progress * 100)} />
          <span>{t('import.uploading', { percent: String(Math.round(progress * 100)) })}</span>
        </>
      ) : (
        <>
          <progress />
          <span>{t('import.processing')}</span>
        </>
      )}
    </div>
  );
}
