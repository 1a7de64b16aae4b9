/**
 * The room list as XLSX: one sheet per room, titled, with the same columns as the PDF. Built with
 * exceljs's in-memory Workbook rather than the streaming writer: a room holds tens of rows, and only
 * the full workbook writes print titles (the header row repeated on every printed page).
 */
import ExcelJS from 'exceljs';
import type { ExamInfo } from './pdf.js';
import { formatDateTimeVi, formatDateVi, genderVi } from './pdf.js';
import { ROOM_LIST_COLUMNS, ROOM_LIST_TITLE, type RoomListRoom, type RoomListSitting } from './room-list.js';

const WIDTHS = [6, 8, 14, 30, 12, 9, 18];
const HEADER_ROW = 7;

/** A valid, unique sheet name (≤31 characters, none of []:*?/\ , no leading/trailing apostrophe). */
export function sheetName(name: string, used: Set<string>): string {
  const base =
    name
      .normalize('NFC')
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Phòng';
  let candidate = base;
  for (let n = 2; used.has(candidate.toLocaleLowerCase('vi')); n++) {
    const suffix = ` (${n})`;
    candidate = base.slice(0, 31 - suffix.length) + suffix;
  }
  used.add(candidate.toLocaleLowerCase('vi'));
  return candidate;
}

export async function roomListXlsx(exam: ExamInfo, sitting: RoomListSitting, rooms: readonly RoomListRoom[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hệ thống thi công chức';
  const used = new Set<string>();
  const list: readonly RoomListRoom[] = rooms.length > 0 ? rooms : [{ name: 'Danh sách', location: '', rows: [] }];
  const lastCol = String.fromCharCode(64 + ROOM_LIST_COLUMNS.length);

  for (const room of list) {
    const ws = wb.addWorksheet(sheetName(room.name, used), {
      views: [{ state: 'frozen', ySplit: HEADER_ROW }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'portrait',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      },
    });
    ws.columns = WIDTHS.map((width) => ({ width }));

    const titles: [string, boolean][] = [
      [exam.organisingBody.toLocaleUpperCase('vi'), false],
      [ROOM_LIST_TITLE, true],
      [exam.name, true],
      [`Ca thi: ${sitting.name} — bắt đầu lúc ${formatDateTimeVi(sitting.startsAt)}`, false],
      [`Phòng thi: ${room.name}${room.location.trim() ? ` — Địa điểm: ${room.location}` : ''}`, true],
      [`Số thí sinh: ${room.rows.length}`, false],
    ];
    titles.forEach(([text, bold], i) => {
      const r = i + 1;
      ws.mergeCells(`A${r}:${lastCol}${r}`);
      const cell = ws.getCell(`A${r}`);
      cell.value = text.normalize('NFC');
      cell.font = { bold, size: i === 1 ? 14 : 11 };
      cell.alignment = { horizontal: i < 3 ? 'center' : 'left', vertical: 'middle', wrapText: true };
    });

    const header = ws.getRow(HEADER_ROW);
    header.values = ROOM_LIST_COLUMNS.map((c) => c.header);
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    });

    const sorted = [...room.rows].sort((a, b) => a.seatNo - b.seatNo || a.number.localeCompare(b.number));
    sorted.forEach((r, i) => {
      const row = ws.getRow(HEADER_ROW + 1 + i);
      row.values = [i + 1, r.seatNo, r.number, r.fullName.normalize('NFC'), formatDateVi(r.dateOfBirth), genderVi(r.gender), ''];
      row.height = 22;
      row.alignment = { vertical: 'middle' };
    });
    const last = HEADER_ROW + sorted.length;
    for (let r = HEADER_ROW; r <= last; r++) {
      ws.getRow(r).eachCell({ includeEmpty: true }, (c) => {
        c.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      });
    }
    for (const col of [1, 2, 3, 5, 6]) {
      for (let r = HEADER_ROW + 1; r <= last; r++) ws.getCell(r, col).alignment = { horizontal: 'center', vertical: 'middle' };
    }
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}
