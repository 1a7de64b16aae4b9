/**
 * XLSX ⇄ grid. Reading uses SheetJS: exceljs's streaming reader decodes each inflated chunk
 * separately, so a Vietnamese character split across two chunks comes back as "��" in large
 * sheets, and its full `load` needs ~12 s for 20,000 rows; SheetJS reads them correctly in ~2 s.
 * Writing uses exceljs's streaming WorkbookWriter (styles, drop-down validation, ~3× faster than
 * Workbook.writeBuffer). All column logic is in columns.ts.
 */
import { PassThrough } from 'node:stream';
import * as XLSX from '@e965/xlsx';
import type { BankFile, ParsedImport } from '@exam/shared';
import ExcelJS from 'exceljs';
import { AppError } from '../../../plugins/errors.js';
import { checkZip } from '../../imports/limits.js';
import { COLUMNS, dropdownValues, type Grid, GUIDE_SHEET, guideGrid, headerOf, writeGrid } from './columns.js';
import { assertRowCount, fold, type ParseOptions, sheetRowsToRead } from './common.js';
import { readGrid } from './gridRead.js';

export const QUESTIONS_SHEET = 'Câu hỏi';
const STEM_HEADER = fold(headerOf('stem'));

/**
 * The grid of the questions sheet: the first sheet whose row 1 has a "Nội dung câu hỏi" header
 * (so a workbook with the guide sheet first still works), else the first sheet.
 */
export function xlsxToGrid(data: Buffer, opts: ParseOptions = {}): Grid {
  // SheetJS would read any text as a one-column sheet; an .xlsx file is a zip archive
  if (!checkZip(data)) throw new Error('not a zip archive');
  const sheetRows = sheetRowsToRead(opts);
  const wb = XLSX.read(data, { type: 'buffer', dense: true, cellFormula: false, cellHTML: false, cellStyles: false, sheetRows });
  let first: Grid | undefined;
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    const grid = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false, defval: '', blankrows: true });
    first ??= grid;
    if ((grid[0] ?? []).some((h) => fold(String(h)) === STEM_HEADER)) {
      assertSheetRows(ws, grid, sheetRows, opts);
      return grid;
    }
  }
  if (first && wb.SheetNames[0]) {
    const ws = wb.Sheets[wb.SheetNames[0]];
    if (ws) assertSheetRows(ws, first, sheetRows, opts);
  }
  return first ?? [];
}

/**
 * Refuses a sheet longer than the row limit: one cut short by `sheetRows` (its full range, kept by
 * SheetJS as `!fullref`, goes further), or one whose non-blank data rows exceed the limit.
 */
export function assertSheetRows(
  ws: XLSX.WorkSheet,
  grid: readonly (readonly unknown[] | undefined)[],
  sheetRows: number,
  opts: ParseOptions,
): void {
  const full = ws['!fullref'];
  if (typeof full === 'string') {
    const rows = XLSX.utils.decode_range(full).e.r + 1;
    if (rows > sheetRows) assertRowCount(rows - 1, opts);
  }
  const nonBlank = grid.slice(1).filter((r) => r?.some((c) => c !== null && String(c).trim() !== '')).length;
  assertRowCount(nonBlank, opts);
}

export function parseXlsx(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  let grid: Grid;
  try {
    grid = xlsxToGrid(data, opts);
  } catch (e) {
    if (e instanceof AppError) throw e; // a limit
    return {
      topics: [],
      questions: [],
      issues: [
        {
          row: 0,
          code: 'XLSX_INVALID',
          message:
            'Không đọc được tệp Excel (.xlsx); hãy kiểm tra tệp có đúng định dạng .xlsx (không phải .xls cũ hay tệp bị hỏng)',
          severity: 'error',
        },
      ],
    };
  }
  return readGrid(grid, opts);
}

/** exceljs has worksheet.dataValidations at runtime but not in its typings. */
interface WithDataValidations {
  dataValidations?: { add(address: string, validation: ExcelJS.DataValidation): void };
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Grid → workbook with the questions sheet (header styled, frozen) and the "Hướng dẫn" sheet. */
export async function gridToXlsx(grid: string[][], opts: { dropdownRows?: number } = {}): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true, useStyles: true });
  wb.creator = 'Hệ thống thi công chức';

  const ws = wb.addWorksheet(QUESTIONS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  const dropdownRows = opts.dropdownRows ?? 0;
  const dv = (ws as unknown as WithDataValidations).dataValidations;
  if (dropdownRows > 0 && dv) {
    const lists = dropdownValues();
    COLUMNS.forEach((c, i) => {
      const values = lists[c.key];
      if (!values) return;
      const col = columnLetter(i);
      dv.add(`${col}2:${col}${dropdownRows + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values.join(',')}"`],
        showErrorMessage: true,
        errorTitle: c.header,
        error: `Chỉ dùng: ${values.join(', ')}`,
      });
    });
  }
  grid.forEach((cells, i) => {
    const row = ws.addRow(cells);
    if (i === 0) {
      row.font = { bold: true };
      row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      row.alignment = { vertical: 'middle', wrapText: true };
    }
    row.commit();
  });
  ws.commit();

  const guide = wb.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ width: 22 }, { width: 10 }, { width: 80 }, { width: 50 }];
  guideGrid().forEach((cells, i) => {
    const row = guide.addRow(cells);
    row.alignment = { vertical: 'top', wrapText: true };
    if (i === 0) row.font = { bold: true };
    row.commit();
  });
  guide.commit();

  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

export function exportXlsx(bank: BankFile): Promise<Buffer> {
  return gridToXlsx(writeGrid(bank));
}
