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

/**
 * Counts per severity, the errors of the whole file (row 0: no question can be imported while
 * one is there) and, per question row with an error, the codes that leave it out of a "valid
 * only" import.
 */
export function summarizeIssues(issues: readonly ImportIssue[]): {
  errors: number;
  skipped: number;
  warnings: number;
  blocking: number;
  leftOut: { row: number; codes: string[] }[];
} {
  let errors = 0;
  let skipped = 0;
  let warnings = 0;
  let blocking = 0;
  const byRow = new Map<number, Set<string>>();
  for (const i of issues) {
    if (i.severity === 'skipped') skipped++;
    else if (i.severity === 'warning') warnings++;
    else if (i.severity === 'error') {
      errors++;
      if (i.row <= 0) blocking++;
      else {
        const codes = byRow.get(i.row) ?? new Set<string>();
        codes.add(i.code);
        byRow.set(i.row, codes);
      }
    }
  }
  const leftOut = [...byRow.entries()].sort((a, b) => a[0] - b[0]).map(([row, codes]) => ({ row, codes: [...codes] }));
  return { errors, skipped, warnings, blocking, leftOut };
}
