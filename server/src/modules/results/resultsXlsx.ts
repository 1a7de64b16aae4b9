/** The results workbook (documents.ts). */
import type { ExamResultsDto, ResultRowDto } from '@exam/shared';
import ExcelJS from 'exceljs';
import { formatDateVi, zonedWallClock } from '../exams/documents/pdf.js';
import { sheetName } from '../exams/documents/room-list-xlsx.js';
import {
  byNumber,
  DRAFT_NOTE,
  explanationText,
  infoOf,
  type PartColumn,
  partColumns,
  partOf,
  partValue,
  positionLabel,
  RANKING_TITLE,
  type ResultsDocInfo,
  rankOrder,
  reasonText,
  scoreVi,
  showsPriority,
  tieMarks,
} from './documentText.js';

type Cell = string | number | null;

interface XlsxColumn {
  header: string;
  width: number;
  /** number format for numeric cells */
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
}

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const SCORE_FMT = '0.00';

function tableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  used: Set<string>,
  titles: readonly [string, boolean][],
  columns: readonly XlsxColumn[],
  rows: readonly (readonly Cell[])[],
  highlight: (i: number) => boolean = () => false,
  notes: readonly string[] = [],
): ExcelJS.Worksheet {
  const headerRow = titles.length + 2;
  const ws = wb.addWorksheet(sheetName(name, used), {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const n = columns.length;
  titles.forEach(([text, bold], i) => {
    ws.mergeCells(i + 1, 1, i + 1, n);
    const cell = ws.getCell(i + 1, 1);
    cell.value = text.normalize('NFC');
    cell.font = { bold, size: i === 1 ? 14 : 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });

  const header = ws.getRow(headerRow);
  header.values = columns.map((c) => c.header.normalize('NFC'));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.height = 32;
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = BORDER;
  });

  rows.forEach((values, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    row.values = values.map((v) => (typeof v === 'string' ? v.normalize('NFC') : v));
    for (let col = 1; col <= n; col++) {
      const c = row.getCell(col);
      const spec = columns[col - 1];
      c.border = BORDER;
      c.alignment = { vertical: 'middle', wrapText: true, horizontal: spec?.align ?? 'left' };
      if (typeof c.value === 'number' && spec?.numFmt) c.numFmt = spec.numFmt;
      if (highlight(i)) c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    }
  });

  notes.forEach((text, i) => {
    const r = headerRow + rows.length + 2 + i;
    ws.mergeCells(r, 1, r, n);
    const c = ws.getCell(r, 1);
    c.value = text.normalize('NFC');
    c.font = { italic: true };
    c.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = 30;
  });
  return ws;
}

const scoreColumns = (parts: readonly PartColumn[]): XlsxColumn[] =>
  parts.map((p) => ({
    header: `${p.name} (${scoreVi(p.scoreScale)} điểm)${p.role === 'condition' ? ', điều kiện' : ''}`,
    width: 13,
    numFmt: SCORE_FMT,
    align: 'center',
  }));

const draftTitle = (r: ExamResultsDto): [string, boolean][] =>
  r.published ? [[`Công bố ngày ${formatDateVi(vnIso(r.published.publishedAt))}`, false]] : [[DRAFT_NOTE, false]];

/** The Vietnam-time date of an ISO date-time, as YYYY-MM-DD. */
export function vnIso(iso: string): string {
  const w = zonedWallClock(iso);
  return w ? `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}` : iso;
}

/** Results, ranking per position and score sheets per room, as XLSX. */
export async function resultsXlsx(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): Promise<Buffer> {
  const info = infoOf(r, exam);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hệ thống thi công chức';
  const used = new Set<string>();
  const parts = partColumns(r);
  const priority = showsPriority(r);
  const heading = (title: string, more: [string, boolean][]): [string, boolean][] => [
    [info.organisingBody.toLocaleUpperCase('vi') || 'HỘI ĐỒNG THI', false],
    [title, true],
    [info.name, true],
    ...draftTitle(r),
    ...more,
  ];

  // Kết quả: every candidate, by candidate number.
  const all = r.positions.flatMap((pos) => pos.rows.map((row) => ({ pos, row }))).sort((a, b) => byNumber(a.row, b.row));
  tableSheet(
    wb,
    'Kết quả',
    used,
    heading('KẾT QUẢ THI', [[`Số thí sinh: ${all.length}`, false]]),
    [
      { header: 'STT', width: 6, align: 'center' },
      { header: 'SBD', width: 12, align: 'center' },
      { header: 'Họ và tên', width: 28 },
      { header: 'Ngày sinh', width: 12, align: 'center' },
      { header: positionLabel(r), width: 24 },
      { header: 'Phòng thi', width: 10, align: 'center' },
      ...scoreColumns(parts),
      ...(priority ? [{ header: 'Điểm ưu tiên', width: 10, numFmt: SCORE_FMT, align: 'center' as const }] : []),
      { header: 'Tổng điểm', width: 10, numFmt: SCORE_FMT, align: 'center' },
      { header: 'Thứ hạng', width: 9, align: 'center' },
      { header: 'Trúng tuyển', width: 11, align: 'center' },
      { header: 'Lý do', width: 50 },
    ],
    all.map(({ pos, row }, i) => [
      i + 1,
      row.number,
      row.fullName,
      formatDateVi(row.dateOfBirth),
      pos.name,
      row.roomCode ?? '',
      ...parts.map((p) => partValue(partOf(row, p.partId))),
      ...(priority ? [row.priorityPoints] : []),
      row.total,
      row.rank,
      row.selected ? 'Có' : 'Không',
      reasonText(row),
    ]),
  );

  // Xếp hạng: one sheet per position, in rank order.
  for (const pos of r.positions) {
    const ties = tieMarks(pos);
    const rows = rankOrder(pos.rows);
    const notes = pos.tiedGroups.map(
      (g, i) =>
        `Nhóm bằng điểm ${i + 1} (hạng ${g.rank}, còn ${g.seats} chỉ tiêu): ${g.candidateIds
          .map((id) => pos.rows.find((x) => x.candidateId === id)?.number ?? String(id))
          .join(', ')} — ${ties.get(g.candidateIds[0] ?? 0)?.note ?? ''}.`,
    );
    tableSheet(
      wb,
      `Xếp hạng ${pos.code}`,
      used,
      heading(RANKING_TITLE, [
        [
          `Vị trí: ${pos.name} (${pos.code}) — Chỉ tiêu: ${pos.quota} — Số thí sinh: ${pos.rows.length} — Trúng tuyển: ${pos.selected}`,
          true,
        ],
      ]),
      [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'SBD', width: 12, align: 'center' },
        { header: 'Họ và tên', width: 28 },
        { header: 'Ngày sinh', width: 12, align: 'center' },
        ...scoreColumns(parts),
        ...(priority ? [{ header: 'Điểm ưu tiên', width: 10, numFmt: SCORE_FMT, align: 'center' as const }] : []),
        { header: 'Tổng điểm', width: 10, numFmt: SCORE_FMT, align: 'center' },
        { header: 'Xếp hạng', width: 9, align: 'center' },
        { header: 'Nhóm bằng điểm', width: 16, align: 'center' },
        { header: 'Kết quả', width: 18, align: 'center' },
        { header: 'Lý do', width: 50 },
        { header: 'Giải thích thứ hạng', width: 90 },
      ],
      rows.map((row, i) => {
        const tie = ties.get(row.candidateId);
        return [
          i + 1,
          row.number,
          row.fullName,
          formatDateVi(row.dateOfBirth),
          ...parts.map((p) => partValue(partOf(row, p.partId))),
          ...(priority ? [row.priorityPoints] : []),
          row.total,
          row.rank,
          tie ? `Nhóm ${tie.group}` : '',
          row.selected ? 'Trúng tuyển' : row.status === 'tie_pending' ? 'Chờ quyết định' : 'Không trúng tuyển',
          reasonText(row),
          explanationText(row),
        ];
      }),
      (i) => ties.has(rows[i]?.candidateId ?? 0),
      notes,
    );
  }

  // Bảng điểm theo phòng thi.
  const rooms = new Map<string, ResultRowDto[]>();
  for (const pos of r.positions)
    for (const row of pos.rows) {
      const key = row.roomCode ?? '';
      const list = rooms.get(key) ?? [];
      list.push(row);
      rooms.set(key, list);
    }
  const roomKeys = [...rooms.keys()].sort((a, b) =>
    a === '' || b === '' ? (a === '' ? 1 : 0) - (b === '' ? 1 : 0) : a.localeCompare(b, 'vi', { numeric: true }),
  );
  for (const key of roomKeys) {
    const rows = [...(rooms.get(key) ?? [])].sort(byNumber);
    tableSheet(
      wb,
      key ? `Phòng ${key}` : 'Chưa xếp phòng',
      used,
      heading('BẢNG ĐIỂM THEO PHÒNG THI', [
        [`${key ? `Phòng thi: ${key}` : 'Thí sinh chưa xếp phòng'} — Số thí sinh: ${rows.length}`, true],
      ]),
      [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'SBD', width: 12, align: 'center' },
        { header: 'Họ và tên', width: 28 },
        { header: 'Ngày sinh', width: 12, align: 'center' },
        ...scoreColumns(parts),
      ],
      rows.map((row, i) => [
        i + 1,
        row.number,
        row.fullName,
        formatDateVi(row.dateOfBirth),
        ...parts.map((p) => partValue(partOf(row, p.partId))),
      ]),
    );
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------------------------
// PDF.

/** Narrower side margins than the other documents: the ranking table has many columns. */
