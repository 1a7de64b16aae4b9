import type { ReactNode } from 'react';
import { type ImportIssueLike, ImportIssuesTable } from '../board/components/ImportIssues';
import { formatNumber } from '../i18n/format';

export interface ReportStat {
  label: ReactNode;
  value: number;
  testId?: string;
  /** shown as a problem (e.g. errors > 0) */
  bad?: boolean;
  unit?: string;
}

interface ImportReportProps {
  title: ReactNode;
  ok: boolean;
  dryRun: boolean;
  stats: readonly ReportStat[];
  summary: ReactNode;
  issues: readonly ImportIssueLike[];
  issuesTotal?: number;
  issueCounts?: Readonly<Record<string, number>>;
  /** after the summary (e.g. the rows left out) */
  children?: ReactNode;
  className?: string;
  headingLevel?: 3 | 4;
}

/**
 * The report of any file import (questions, candidates): the counts, a summary that is a status when
 * all is well and an alert when not, then every issue by row and column (errors, warnings, skipped).
 */
export function ImportReport({
  title,
  ok,
  dryRun,
  stats,
  summary,
  issues,
  issuesTotal,
  issueCounts,
  children,
  className = 'report',
  headingLevel = 3,
}: ImportReportProps) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className={className} data-testid="import-report" data-ok={ok} data-dry-run={dryRun}>
      <Heading>{title}</Heading>
      <dl className="stats">
        {stats.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list per screen
          <div key={i} className={s.bad ? 'stat-bad' : ''}>
            <dt>{s.label}</dt>
            <dd data-testid={s.testId}>
              {formatNumber(s.value)}
              {s.unit ? ` ${s.unit}` : ''}
            </dd>
          </div>
        ))}
      </dl>
      <p className={`alert ${ok ? 'alert-success' : 'alert-error'}`} role={ok ? 'status' : 'alert'} data-testid="report-summary">
        {summary}
      </p>
      {children}
      <ImportIssuesTable issues={issues} total={issuesTotal} counts={issueCounts} />
    </section>
  );
}
