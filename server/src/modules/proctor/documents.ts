/**
 * End-of-room documents: the incident minutes (biên bản) and the room result sheet (TT 22/2025: every
 * candidate's computer scores with an empty signature column, and the SHA-256 of the sealed export).
 */
import { PROCTOR_ACTION_LABELS, type ProctorAction, SANCTION_LABELS, type SanctionCode } from '@exam/shared';
import {
  bottomY,
  centeredTitle,
  clockVi,
  contentWidth,
  createDoc,
  drawTable,
  FONT_BOLD,
  FONT_ITALIC,
  FONT_MONO,
  finish,
  formatDateTimeVi,
  formatDateVi,
  nationalHeading,
  pageNumbers,
  signatureBlock,
  textAt,
} from '../exams/documents/pdf.js';
import type { ProctorDocumentData } from './service.js';

export const MINUTES_TITLE = 'BIÊN BẢN PHÒNG THI';
export const RESULT_SHEET_TITLE = 'BẢNG KẾT QUẢ THI TRÊN MÁY TÍNH';

const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

function actionText(action: string, details: Record<string, unknown>): string {
  const label = PROCTOR_ACTION_LABELS[action as ProctorAction | 'seal']?.vi ?? action;
  if (action === 'extend' && typeof details.minutes === 'number') return `${label}: ${details.minutes} phút`;
  if (action === 'sanction' && typeof details.level === 'string')
    return `${label}: ${SANCTION_LABELS[details.level as SanctionCode]?.vi ?? details.level}`;
  if (action === 'message' && typeof details.text === 'string') return `${label}: “${details.text}”`;
  if ((action === 'pause' || action === 'resume') && details.wholeRoom) return `${label} cả phòng`;
  if (action === 'close_room' && Array.isArray(details.absentees)) {
    const list = details.absentees.flatMap((a: unknown) =>
      typeof a === 'object' && a !== null && 'number' in a && typeof a.number === 'string' ? [a.number] : [],
    );
    return `${label}: ${list.length} thí sinh vắng${list.length ? ` (${list.join(', ')})` : ''}`;
  }
  if (action === 'seal' && typeof details.sha256 === 'string') return `${label} (SHA-256 ${details.sha256.slice(0, 16)}…)`;
  return label;
}

function header(doc: PDFKit.PDFDocument, d: ProctorDocumentData, title: string): number {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  let y = nationalHeading(doc, d.exam.organisingBody);
  y = centeredTitle(doc, title, y + 4, 14) + 2;
  y = textAt(doc, d.exam.name, left, y, width, { font: FONT_BOLD, size: 11.5, align: 'center' }) + 8;
  y =
    textAt(doc, `Ca thi: ${d.sitting.name} — bắt đầu lúc ${formatDateTimeVi(d.sitting.startsAt, d.timeZone)}`, left, y, width) +
    2;
  y =
    textAt(doc, `Phòng thi: ${d.room.name}${d.room.location.trim() ? ` — Địa điểm: ${d.room.location}` : ''}`, left, y, width, {
      font: FONT_BOLD,
    }) + 2;
  y = textAt(doc, `Cán bộ coi thi: ${d.invigilators.join('; ') || '……………………'}`, left, y, width) + 8;
  return y;
}

function signatures(doc: PDFKit.PDFDocument, y0: number, continued: (d: PDFKit.PDFDocument) => number): void {
  let y = y0;
  if (y + 100 > bottomY(doc)) {
    doc.addPage();
    y = continued(doc);
  }
  y += 14;
  const left = doc.page.margins.left;
  const colW = contentWidth(doc) / 2;
  signatureBlock(doc, left, y, colW, 'CÁN BỘ COI THI THỨ NHẤT', '(Ký, ghi rõ họ tên)');
  signatureBlock(doc, left + colW, y, colW, 'CÁN BỘ COI THI THỨ HAI', '(Ký, ghi rõ họ tên)');
}

/** Biên bản: every incident of the room, in time order, with time, seat, candidate, action, reason and invigilator. */
export async function minutesPdf(d: ProctorDocumentData): Promise<Buffer> {
  const doc = createDoc(`Biên bản phòng thi — ${d.exam.name} — ${d.sitting.name} — ${d.room.name}`);
  doc.addPage();
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  let y = header(doc, d, MINUTES_TITLE);
  y =
    textAt(
      doc,
      d.incidents.length === 0
        ? 'Trong ca thi không có sự việc nào được ghi nhận.'
        : `Các sự việc được ghi nhận trong ca thi (${d.incidents.length}):`,
      left,
      y,
      width,
    ) + 6;
  const continued = (doc2: PDFKit.PDFDocument) =>
    textAt(
      doc2,
      `${MINUTES_TITLE} — ${d.room.name} (tiếp theo)`,
      doc2.page.margins.left,
      doc2.page.margins.top,
      contentWidth(doc2),
      {
        font: FONT_ITALIC,
        size: 10,
      },
    ) + 6;
  if (d.incidents.length > 0) {
    y = drawTable(doc, {
      y,
      fontSize: 9,
      columns: [
        { header: 'STT', width: 5, align: 'center' },
        { header: 'Thời gian', width: 13, align: 'center' },
        { header: 'Máy số', width: 6, align: 'center' },
        { header: 'Thí sinh', width: 18 },
        { header: 'Sự việc / xử lý', width: 20 },
        { header: 'Lý do', width: 24 },
        { header: 'Giám thị', width: 14 },
      ],
      rows: d.incidents.map((i, n) => [
        String(n + 1),
        clockVi(i.at, d.timeZone),
        i.seatNo === null ? '—' : String(i.seatNo),
        i.candidateNumber ? `${i.candidateNumber} — ${i.candidateName ?? ''}` : 'Cả phòng',
        actionText(i.action, i.details),
        i.reason,
        i.invigilator,
      ]),
      onNewPage: continued,
    });
  }
  signatures(doc, y, continued);
  pageNumbers(doc, (page, count) => `${d.exam.code} — ${d.sitting.name} — ${d.room.name} — trang ${page}/${count}`);
  return finish(doc);
}

/** Bảng kết quả: every candidate of the room with their computer-part scores and an empty signature column. */
export async function resultSheetPdf(d: ProctorDocumentData, auditAnchorText?: string): Promise<Buffer> {
  const doc = createDoc(`Bảng kết quả thi — ${d.exam.name} — ${d.sitting.name} — ${d.room.name}`);
  doc.addPage();
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  let y = header(doc, d, RESULT_SHEET_TITLE);
  const partCols = d.parts.map((p) => ({
    header: p.name,
    width: Math.max(12, 36 / Math.max(1, d.parts.length)),
    align: 'center' as const,
  }));
  const continued = (doc2: PDFKit.PDFDocument) =>
    textAt(
      doc2,
      `${RESULT_SHEET_TITLE} — ${d.room.name} (tiếp theo)`,
      doc2.page.margins.left,
      doc2.page.margins.top,
      contentWidth(doc2),
      {
        font: FONT_ITALIC,
        size: 10,
      },
    ) + 6;
  y = drawTable(doc, {
    y,
    fontSize: 9,
    minRowHeight: 24,
    columns: [
      { header: 'STT', width: 5, align: 'center' },
      { header: 'Máy số', width: 6, align: 'center' },
      { header: 'SBD', width: 11, align: 'center' },
      { header: 'Họ và tên', width: 22, nowrap: true },
      { header: 'Ngày sinh', width: 10, align: 'center' },
      ...partCols,
      { header: 'Ký tên', width: 14 },
    ],
    rows: d.rows.map((r, i) => [
      String(i + 1),
      String(r.seatNo),
      r.number,
      r.fullName,
      formatDateVi(r.dateOfBirth),
      ...d.parts.map((p) => {
        const a = r.attempts.find((x) => x.partId === p.id);
        if (!a) {
          if (r.absentParts.includes(p.id)) return 'Vắng';
          if (r.suspended) return 'Đình chỉ';
          // a room not yet closed: the part may still be sat; a closed one: exempt
          return d.sealed ? 'Miễn thi' : 'Chưa thi';
        }
        if (a.status !== 'submitted' || a.score === null) return 'Chưa nộp';
        const base = `${number.format(a.correct ?? 0)}/${a.total ?? 0} câu — ${number.format(a.score)} điểm`;
        return a.passed ? `${base} (Đạt)` : `${base} (Chưa đạt)`;
      }),
      '',
    ]),
    onNewPage: continued,
  });
  if (y + 70 > bottomY(doc)) {
    doc.addPage();
    y = continued(doc);
  }
  y += 10;
  y = textAt(doc, 'Mã SHA-256 của tệp dữ liệu ca thi đã niêm phong:', left, y, width, { size: 10 }) + 2;
  y = textAt(doc, d.sealed?.sha256 ?? '(chưa niêm phong)', left, y, width, { font: FONT_MONO, size: 9 }) + 2;
  if (d.sealed)
    y = textAt(doc, `Niêm phong lúc ${clockVi(d.sealed.sealedAt, d.timeZone)}`, left, y, width, { font: FONT_ITALIC, size: 9.5 });
  if (auditAnchorText) {
    y = textAt(doc, 'Mốc nhật ký thao tác (số dòng:mã khóa) khi in:', left, y + 4, width, { size: 10 }) + 2;
    y = textAt(doc, auditAnchorText, left, y, width, { font: FONT_MONO, size: 8 }) + 2;
  }
  signatures(doc, y, continued);
  pageNumbers(doc, (page, count) => `${d.exam.code} — ${d.sitting.name} — ${d.room.name} — trang ${page}/${count}`);
  return finish(doc);
}
