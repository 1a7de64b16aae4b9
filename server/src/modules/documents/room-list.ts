/**
 * Danh sách thí sinh theo phòng thi: for one sitting, a table per room (STT, Máy số, SBD, Họ và tên,
 * Ngày sinh, Giới tính, Ký tên). Each room starts on a new page; a table that runs over repeats its
 * header row, under a "(tiếp theo)" line. The invigilators sign at the end of each room. The same
 * data as XLSX: one sheet per room (room-list-xlsx.ts).
 */
import {
  bottomY,
  centeredTitle,
  contentWidth,
  createDoc,
  drawTable,
  type ExamInfo,
  FONT_BOLD,
  FONT_ITALIC,
  finish,
  formatDateTimeVi,
  formatDateVi,
  genderVi,
  nationalHeading,
  pageNumbers,
  signatureBlock,
  textAt,
} from './pdf.js';

export interface RoomListSitting {
  name: string;
  /** ISO date-time of the scheduled start */
  startsAt: string;
}

export interface RoomListRow {
  seatNo: number;
  number: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** male | female (or Nam / Nữ) */
  gender: string;
}

export interface RoomListRoom {
  name: string;
  location: string;
  rows: readonly RoomListRow[];
}

export const ROOM_LIST_TITLE = 'DANH SÁCH THÍ SINH THEO PHÒNG THI';

export const ROOM_LIST_COLUMNS = [
  { header: 'STT', width: 6, align: 'center' },
  { header: 'Máy số', width: 8, align: 'center' },
  { header: 'SBD', width: 14, align: 'center' },
  { header: 'Họ và tên', width: 32, nowrap: true },
  { header: 'Ngày sinh', width: 13, align: 'center' },
  { header: 'Giới tính', width: 9, align: 'center' },
  { header: 'Ký tên', width: 18 },
] as const;

/** The rows of a room in seat order, as table cells. */
export function roomListCells(room: RoomListRoom): string[][] {
  return [...room.rows]
    .sort((a, b) => a.seatNo - b.seatNo || a.number.localeCompare(b.number))
    .map((r, i) => [String(i + 1), String(r.seatNo), r.number, r.fullName, formatDateVi(r.dateOfBirth), genderVi(r.gender), '']);
}

export async function roomListPdf(exam: ExamInfo, sitting: RoomListSitting, rooms: readonly RoomListRoom[]): Promise<Buffer> {
  const doc = createDoc(`Danh sách thí sinh theo phòng thi — ${exam.name} — ${sitting.name}`);
  const list: readonly RoomListRoom[] = rooms.length > 0 ? rooms : [{ name: '—', location: '', rows: [] }];

  for (const room of list) {
    doc.addPage();
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    let y = nationalHeading(doc, exam.organisingBody);
    y = centeredTitle(doc, ROOM_LIST_TITLE, y + 4, 14) + 2;
    y = textAt(doc, exam.name, left, y, width, { font: FONT_BOLD, size: 11.5, align: 'center' }) + 8;
    y =
      textAt(doc, `Ca thi: ${sitting.name} — bắt đầu lúc ${formatDateTimeVi(sitting.startsAt)}`, left, y, width, { size: 11 }) +
      2;
    y =
      textAt(doc, `Phòng thi: ${room.name}${room.location.trim() ? ` — Địa điểm: ${room.location}` : ''}`, left, y, width, {
        font: FONT_BOLD,
        size: 11,
      }) + 2;
    y = textAt(doc, `Số thí sinh: ${room.rows.length}`, left, y, width, { size: 11 }) + 8;

    const continued = (d: PDFKit.PDFDocument) =>
      textAt(
        d,
        `${sitting.name} — Phòng thi: ${room.name} (tiếp theo)`,
        d.page.margins.left,
        d.page.margins.top,
        contentWidth(d),
        {
          font: FONT_ITALIC,
          size: 10,
        },
      ) + 6;
    y = drawTable(doc, {
      y,
      fontSize: 10,
      minRowHeight: 22,
      columns: ROOM_LIST_COLUMNS,
      rows: roomListCells(room),
      onNewPage: continued,
    });

    // Attendance and the invigilators' signatures.
    if (y + 110 > bottomY(doc)) {
      doc.addPage();
      y = continued(doc);
    }
    y += 10;
    y =
      textAt(doc, `Tổng số thí sinh: ${room.rows.length}.   Số có mặt: ……….   Số vắng mặt: ……….`, left, y, width, {
        size: 10.5,
      }) + 12;
    const colW = width / 2;
    signatureBlock(doc, left, y, colW, 'CÁN BỘ COI THI THỨ NHẤT', '(Ký, ghi rõ họ tên)');
    signatureBlock(doc, left + colW, y, colW, 'CÁN BỘ COI THI THỨ HAI', '(Ký, ghi rõ họ tên)');
  }
  pageNumbers(doc, (page, count) => `${exam.code} — ${sitting.name} — trang ${page}/${count}`);
  return finish(doc);
}
