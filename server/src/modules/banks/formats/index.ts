/**
 * Question-bank import/export formats: pure functions from bytes to questions and back (no DB).
 *
 *  - xlsx / csv: one question per row, Vietnamese column headers (columns.ts), same reader/writer;
 *  - aiken: single-choice plain text (aiken.ts);
 *  - gift: Moodle GIFT subset — single, multiple, true/false (gift.ts);
 *  - json: the vn-exam-bank/1 bank file (json.ts, question-banks/FORMAT.md).
 *
 * Readers never throw on bad content: every problem becomes an ImportIssue (row + column + stable
 * code + Vietnamese message). Questions are returned as given (HTML is sanitized by the caller)
 * and content rules (option count, number of right options, empty stem) are checked by the
 * caller with questionType().validateContent, so they are reported only once.
 */
import type { BankFile, ImportFormat, ParsedImport } from '@exam/shared';
import { exportAiken, parseAiken } from './aiken.js';
import { templateBank, writeGrid } from './columns.js';
import { assertRowCount, type ParseOptions } from './common.js';
import { exportCsv, gridToCsv, parseCsv } from './csv.js';
import { exportGift, parseGift } from './gift.js';
import { exportJson, parseJson } from './json.js';
import { exportXlsx, gridToXlsx, parseXlsx } from './xlsx.js';

export { COLUMNS, TYPE_LABELS } from './columns.js';
export type { ParseOptions } from './common.js';

/** Reads an import; a file over a limit (rows, unzipped size) throws a 413 AppError (imports/limits.ts). */
export function parseImport(format: ImportFormat, data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const parsed = parseAny(format, data, opts);
  assertRowCount(parsed.questions.length, opts);
  return parsed;
}

function parseAny(format: ImportFormat, data: Buffer, opts: ParseOptions): ParsedImport {
  switch (format) {
    case 'xlsx':
      return parseXlsx(data, opts);
    case 'csv':
      return parseCsv(data, opts);
    case 'aiken':
      return parseAiken(data, opts);
    case 'gift':
      return parseGift(data, opts);
    case 'json':
      return parseJson(data);
  }
}

export async function exportBank(format: ImportFormat, bank: BankFile): Promise<Buffer> {
  switch (format) {
    case 'xlsx':
      return exportXlsx(bank);
    case 'csv':
      return exportCsv(bank);
    case 'aiken':
      return exportAiken(bank);
    case 'gift':
      return exportGift(bank);
    case 'json':
      return exportJson(bank);
  }
}

/** The XLSX import template: header row, example rows, drop-down lists and the "Hướng dẫn" sheet. */
export async function xlsxTemplate(): Promise<Buffer> {
  return gridToXlsx(writeGrid(templateBank()), { dropdownRows: 500 });
}

/** The CSV import template: header row and example rows (UTF-8 with BOM). */
export async function csvTemplate(): Promise<Buffer> {
  return gridToCsv(writeGrid(templateBank()));
}
