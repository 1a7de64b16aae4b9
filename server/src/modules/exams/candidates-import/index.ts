export { CANDIDATE_COLUMNS, type CandidateColumn, type CandidateColumnKey, columnsFor, positionHeader } from './columns.js';
export { assignCandidateNumbers, compareForNumbering, type NumberingCandidate, type NumberingOptions } from './numbers.js';
export { type CandidateImportContext, type ParsedCandidate, type ParsedCandidates, parseCandidates } from './parse.js';
export { CANDIDATES_GUIDE_SHEET, CANDIDATES_SHEET, type CandidateTemplateOptions, candidateTemplate } from './template.js';
