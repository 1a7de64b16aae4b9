import type { ImportIssue } from '@exam/shared';
import { IMPORT_MAX_LISTED_ISSUES } from './limits.js';

/**
 * The report's issues, bounded: the first IMPORT_MAX_LISTED_ISSUES (in row order) and a count per
 * code over all of them, so a file with an error on every one of its rows gets a small answer.
 */
export function boundIssues(issues: ImportIssue[]): {
  issues: ImportIssue[];
  issueCounts: Record<string, number>;
  issuesTotal: number;
} {
  const issueCounts: Record<string, number> = {};
  for (const i of issues) issueCounts[i.code] = (issueCounts[i.code] ?? 0) + 1;
  return { issues: issues.slice(0, IMPORT_MAX_LISTED_ISSUES), issueCounts, issuesTotal: issues.length };
}
