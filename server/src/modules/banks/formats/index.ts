/**
 * Question-bank import/export formats: pure functions from bytes to questions and back (no DB).
 *
 *  - xlsx / csv: one question per row, Vietnamese column headers (columns.ts), same reader/writer;
 *  - aiken: single-choice plain text (aiken.ts);
 *  - gift: Moodle GIFT subset — single, multiple, true/false (gift.ts);
 *  - json: the vn-exam-bank/1 bank file (json.ts, question-banks/FORMAT.md);
 *  - docx: Word files in the Vietnamese boards' convention ("Câu 1.", "A."…, key by underline,
 *    bold, red, a star or an answer-key table), through mammoth (docx.ts);
 *  - moodlexml: Moodle XML (moodlexml.ts); qti: QTI 2.1/2.2/3.0 content packages (qti.ts).
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
import type { ExportImages } from './exportImages.js';
import { exportGift, parseGift } from './gift.js';
import { exportJson, parseJson } from './json.js';
import { exportMoodleXml, parseMoodleXml } from './moodlexml.js';
import { exportQti, parseQti, type QtiVersion } from './qti.js';

export { COLUMNS, TYPE_LABELS } from './columns.js';
export type { ParseOptions } from './common.js';

export type { QtiVersion } from './qti.js';

/** Reads an import; a file over a limit (rows, unzipped size) throws a 413 AppError (imports/limits.ts). */
export async function parseImport(format: ImportFormat, data: Buffer, opts: ParseOptions = {}): Promise<ParsedImport> {
  // Word (mammoth, docx) and spreadsheet (exceljs, SheetJS) support is loaded only when a file of
  // theirs is read or written: the import process starts afresh for every file, and loading exceljs
  // alone costs it about a second of CPU
  const parsed =
    format === 'docx'
      ? await (await import('./docx.js')).parseDocx(data, opts)
      : format === 'xlsx'
        ? (await import('./xlsx.js')).parseXlsx(data, opts)
        : parseAny(format, data, opts);
  assertRowCount(parsed.questions.length, opts);
  return parsed;
}

function parseAny(format: Exclude<ImportFormat, 'docx' | 'xlsx'>, data: Buffer, opts: ParseOptions): ParsedImport {
  switch (format) {
    case 'csv':
      return parseCsv(data, opts);
    case 'aiken':
      return parseAiken(data, opts);
    case 'gift':
      return parseGift(data, opts);
    case 'json':
      return parseJson(data);
    case 'moodlexml':
      return parseMoodleXml(data, opts);
    case 'qti':
      return parseQti(data, opts);
  }
}

export interface ExportOptions {
  /** QTI version of a `qti` export (default 2.1) */
  qtiVersion?: QtiVersion;
  /** the stored images the bank shows, carried inside DOCX, Moodle XML and QTI exports (exportImages.ts) */
  images?: ExportImages;
}

export async function exportBank(format: ImportFormat, bank: BankFile, opts: ExportOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'xlsx':
      return (await import('./xlsx.js')).exportXlsx(bank);
    case 'csv':
      return exportCsv(bank);
    case 'aiken':
      return exportAiken(bank);
    case 'gift':
      return exportGift(bank);
    case 'json':
      return exportJson(bank);
    case 'docx':
      return (await import('./docx.js')).exportDocx(bank, opts.images);
    case 'moodlexml':
      return exportMoodleXml(bank, opts.images);
    case 'qti':
      return exportQti(bank, opts.qtiVersion ?? '2.1', opts.images);
  }
}

/** The XLSX import template: header row, example rows, drop-down lists and the "Hướng dẫn" sheet. */
export async function xlsxTemplate(): Promise<Buffer> {
  return (await import('./xlsx.js')).gridToXlsx(writeGrid(templateBank()), { dropdownRows: 500 });
}

/** The CSV import template: header row and example rows (UTF-8 with BOM). */
export async function csvTemplate(): Promise<Buffer> {
  return gridToCsv(writeGrid(templateBank()));
}

/** The Word import template: the convention explained and example questions. */
export async function docxTemplate(): Promise<Buffer> {
  return (await import('./docx.js')).docxTemplate();
}

export { detectImportFormat, SUPPORTED_FORMATS_TEXT } from './detect.js';
