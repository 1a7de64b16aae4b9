/**
 * The XLSX template of the candidate list: sheet "Danh sách thí sinh" (header row only, text-formatted
 * code and date columns, drop-down lists) and sheet "Hướng dẫn" (every column explained, the exam's
 * positions and priority categories, and an example row). Written with exceljs's streaming writer.
 */
import { PassThrough } from 'node:stream';
import { CIVIL_SERVICE_GRADES, type ExamKind, GRADE_CODES, RATING_LABELS } from '@exam/shared';
import ExcelJS from 'exceljs';
import {
  type CandidateColumn,
  columnsFor,
  FEMALE_TEXT,
  MALE_TEXT,
  NO_TEXT,
  positionHeader,
  RATING_CHOICES,
  YES_TEXT,
} from './columns.js';

export const CANDIDATES_SHEET = 'Danh sách thí sinh';
export const CANDIDATES_GUIDE_SHEET = 'Hướng dẫn';
/** Rows of the list sheet that get the drop-down lists. */
const VALIDATED_ROWS = 2000;

export interface CandidateTemplateOptions {
  kind: ExamKind;
  positions: readonly { code: string; name: string }[];
  priorityCategories: readonly { code: string; label: string }[];
}

/** exceljs has worksheet.dataValidations at runtime but not in its typings. */
interface WithDataValidations {
  dataValidations?: { add(address: string, validation: ExcelJS.DataValidation): void };
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function exampleValue(c: CandidateColumn, opts: CandidateTemplateOptions): string {
  switch (c.key) {
    case 'fullName':
      return 'Nguyễn Thị Hồng Nhung';
    case 'dateOfBirth':
      return '05/09/1990';
    case 'gender':
      return FEMALE_TEXT;
    case 'idNumber':
      return '001190012345';
    case 'ethnicity':
      return 'Kinh';
    case 'position':
      return opts.positions[0]?.code ?? '';
    case 'priority':
      return '';
    case 'exemptForeignLanguage':
      return YES_TEXT;
    case 'exemptIt':
      return NO_TEXT;
    case 'kiemDinhScore':
    case 'kiemDinhDate':
      return '';
    case 'currentGrade':
      return '01.003';
    case 'yearsInGrade':
      return '9 năm 6 tháng';
    case 'monthsInExactGrade':
      return '2 năm 3 tháng';
    case 'rating':
      return RATING_LABELS.tot.vi;
    case 'disciplined':
      return NO_TEXT;
    case 'yearsOfService':
      return '12 năm 7 tháng';
    case 'achievementLevel':
      return '1';
  }
}

interface GuideLayout {
  rows: string[][];
  /** 1-based rows of the position codes and the priority codes in column A, for drop-down lists. */
  positionRows: [number, number] | null;
  priorityRows: [number, number] | null;
  /** Rows to print bold. */
  boldRows: Set<number>;
}

function guideLayout(opts: CandidateTemplateOptions, columns: readonly CandidateColumn[]): GuideLayout {
  const rows: string[][] = [];
  const boldRows = new Set<number>();
  const push = (cells: string[], bold = false) => {
    rows.push(cells);
    if (bold) boldRows.add(rows.length);
  };
  push(['HƯỚNG DẪN ĐIỀN DANH SÁCH THÍ SINH'], true);
  push([
    `Mỗi thí sinh ghi trên một dòng của trang "${CANDIDATES_SHEET}", bắt đầu từ dòng 2. Giữ nguyên dòng tiêu đề (có thể đổi thứ tự cột, thêm cột STT). Lỗi được báo theo số dòng và tên cột.`,
  ]);
  push([]);
  push(['Cột', 'Bắt buộc', 'Cách ghi'], true);
  for (const c of columns) push([c.header, c.required ? 'Có' : 'Không', c.help]);
  push([]);

  push([positionHeader(opts.kind), opts.kind === 'promotion' ? 'Ngạch dự thi' : 'Tên vị trí việc làm'], true);
  const posStart = rows.length + 1;
  for (const p of opts.positions) push([p.code, p.name]);
  const positionRows: [number, number] | null = opts.positions.length > 0 ? [posStart, rows.length] : null;
  if (opts.positions.length === 0) push(['(Kỳ thi chưa có vị trí nào)']);
  push([]);

  push(['Đối tượng ưu tiên', 'Tên đối tượng'], true);
  const prioStart = rows.length + 1;
  for (const p of opts.priorityCategories) push([p.code, p.label]);
  const priorityRows: [number, number] | null = opts.priorityCategories.length > 0 ? [prioStart, rows.length] : null;
  if (opts.priorityCategories.length === 0) push(['(Quy định áp dụng không có đối tượng ưu tiên)']);
  push([]);

  if (opts.kind === 'promotion') {
    push(['Mã ngạch', 'Tên ngạch'], true);
    for (const g of GRADE_CODES) push([g, CIVIL_SERVICE_GRADES[g].name.vi]);
    push([]);
  }

  push(['Ví dụ một dòng (không chép dòng này vào danh sách nếu không phải thí sinh thật):'], true);
  push(
    columns.map((c) => c.header),
    true,
  );
  push(columns.map((c) => exampleValue(c, opts)));
  return { rows, positionRows, priorityRows, boldRows };
}

/** The candidate list template for an exam, as an .xlsx file. */
export async function candidateTemplate(opts: CandidateTemplateOptions): Promise<Buffer> {
  const columns = columnsFor(opts.kind);
  const guide = guideLayout(opts, columns);

  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true, useStyles: true });
  wb.creator = 'Hệ thống thi công chức';

  const ws = wb.addWorksheet(CANDIDATES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => (c.text ? { width: c.width, style: { numFmt: '@' } } : { width: c.width }));

  const dv = (ws as unknown as WithDataValidations).dataValidations;
  if (dv) {
    const guideRef = (range: [number, number]) => `${quoteSheet(CANDIDATES_GUIDE_SHEET)}!$A$${range[0]}:$A$${range[1]}`;
    columns.forEach((c, i) => {
      let formula: string | null = null;
      let strict = true;
      switch (c.key) {
        case 'gender':
          formula = `"${MALE_TEXT},${FEMALE_TEXT}"`;
          break;
        case 'exemptForeignLanguage':
        case 'exemptIt':
        case 'disciplined':
          formula = `"${YES_TEXT},${NO_TEXT}"`;
          break;
        case 'rating':
          formula = `"${RATING_CHOICES.map((r) => RATING_LABELS[r].vi).join(',')}"`;
          break;
        case 'currentGrade':
          formula = `"${GRADE_CODES.join(',')}"`;
          break;
        case 'position':
          formula = guide.positionRows ? guideRef(guide.positionRows) : null;
          break;
        case 'priority':
          // labels and several codes are accepted too, so the list only suggests
          formula = guide.priorityRows ? guideRef(guide.priorityRows) : null;
          strict = false;
          break;
        default:
          break;
      }
      if (formula === null) return;
      const col = columnLetter(i);
      dv.add(`${col}2:${col}${VALIDATED_ROWS + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        showErrorMessage: true,
        errorStyle: strict ? 'stop' : 'warning',
        errorTitle: c.header,
        error: strict ? 'Chọn một giá trị trong danh sách.' : 'Giá trị không có trong danh sách gợi ý; kiểm tra lại.',
      });
    });
  }

  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.commit();
  ws.commit();

  const gs = wb.addWorksheet(CANDIDATES_GUIDE_SHEET);
  gs.columns = [{ width: 24 }, { width: 40 }, { width: 90 }, ...columns.slice(3).map((c) => ({ width: c.width }))];
  guide.rows.forEach((cells, i) => {
    const row = gs.addRow(cells);
    row.alignment = { vertical: 'top', wrapText: true };
    if (guide.boldRows.has(i + 1)) row.font = { bold: true };
    row.commit();
  });
  gs.commit();

  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
