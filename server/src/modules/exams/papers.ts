/**
 * Re-export shim: paper generation moved to modules/papers (issue 16). Kept for the importers
 * other engineers own (delivery, banks, results, exams/paperView.ts and their tests); new code
 * imports '../papers/papers.js'.
 */
export * from '../papers/papers.js';
