/**
 * CSV ⇄ grid (UTF-8, comma separated, header row as in the XLSX template). The export starts
 * with a BOM so Excel shows Vietnamese correctly. All column logic is in columns.ts.
 *
 * Cells starting with = + - @ are written with a leading apostrophe so a spreadsheet does not run
 * them as formulas (CSV injection); the reader removes that apostrophe again.
 */
import type { BankFile, ParsedImport } from '@exam/shared';
import Papa from 'papaparse';
import { type Grid, writeGrid } from './columns.js';
import { assertRowCount, decodeUtf8, Issues, type ParseOptions, sheetRowsToRead } from './common.js';
import { readGrid } from './gridRead.js';

const FORMULA_START = /^[=+\-@]/;
const ESCAPED_FORMULA = /^'[=+\-@]/;

export function csvToGrid(text: string, opts: ParseOptions = {}): { grid: Grid; issues: Issues } {
  const issues = new Issues();
  // comma per the template; tolerate ";" or tab when the header row clearly uses it (Excel in
  // some locales saves "CSV" with semicolons)
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const delimiter = count(',') > 0 ? ',' : count(';') > 0 ? ';' : count('\t') > 0 ? '\t' : ',';
  const preview = sheetRowsToRead(opts);
  const res = Papa.parse<string[]>(text, { delimiter, header: false, skipEmptyLines: false, dynamicTyping: false, preview });
  if (res.meta.truncated) assertRowCount(Number.POSITIVE_INFINITY, opts);
  assertRowCount(res.data.slice(1).filter((r) => r.some((c) => c.trim() !== '')).length, opts);
  for (const e of res.errors) {
    const row = (e.row ?? 0) + 1;
    issues.error(row, undefined, 'CSV_SYNTAX', `Lỗi cú pháp CSV ở dòng ${row}: ${csvErrorText(e.code)}`);
  }
  const grid: Grid = res.data.map((cells) => cells.map((c) => (ESCAPED_FORMULA.test(c) ? c.slice(1) : c)));
  return { grid, issues };
}

function csvErrorText(code: Papa.ParseError['code']): string {
  switch (code) {
    case 'MissingQuotes':
      return 'thiếu dấu ngoặc kép đóng';
    case 'InvalidQuotes':
      return 'dấu ngoặc kép đặt sai vị trí';
    case 'UndetectableDelimiter':
      return 'không xác định được ký tự phân cách';
    case 'TooFewFields':
      return 'thiếu cột';
    case 'TooManyFields':
      return 'thừa cột';
    default:
      return String(code);
  }
}

export function parseCsv(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  const { grid, issues } = csvToGrid(decoded.text, opts);
  const parsed = readGrid(grid, opts);
  return { ...parsed, issues: [...issues.list, ...parsed.issues] };
}

export function gridToCsv(grid: string[][]): Buffer {
  const safe = grid.map((row) => row.map((c) => (FORMULA_START.test(c) ? `'${c}` : c)));
  return Buffer.from(`\uFEFF${Papa.unparse(safe, { newline: '\r\n', quotes: false })}\r\n`, 'utf8');
}

export function exportCsv(bank: BankFile): Buffer {
  return gridToCsv(writeGrid(bank));
}
