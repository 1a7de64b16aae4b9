/**
 * Giấy báo dự thi: one A4 page per candidate with the national heading, the candidate's details, the
 * sittings (time, room, location, seat, parts), a short reminder of the rules and the chair's
 * signature block.
 */
import type { ExamKind } from '@exam/shared';
import {
  bottomY,
  centeredTitle,
  contentWidth,
  createDoc,
  drawTable,
  type ExamInfo,
  FONT,
  FONT_BOLD,
  FONT_ITALIC,
  finish,
  formatDateTimeVi,
  formatDateVi,
  genderVi,
  nationalHeading,
  pageNumbers,
  signatureBlock,
  t,
  textAt,
} from './pdf.js';

export interface AdmissionSlipSitting {
  name: string;
  /** ISO date-time of the scheduled start */
  startsAt: string;
  roomName: string;
  roomLocation: string;
  seatNo: number;
  /** Names of the parts sat in this sitting, in order. */
  parts: readonly string[];
}

export interface AdmissionSlip {
  number: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** male | female (or Nam / Nữ) */
  gender: string;
  idNumber: string;
  positionName: string;
  sittings: readonly AdmissionSlipSitting[];
}

/** Rules every candidate is reminded of (quy chế thi). */
export const SLIP_REMINDERS: readonly string[] = [
  'Có mặt tại địa điểm thi đúng thời gian ghi trên giấy này để làm thủ tục dự thi; đến muộn có thể không được vào phòng thi theo quy chế.',
  'Mang theo Giấy báo dự thi và Căn cước công dân (hoặc giấy tờ tùy thân có ảnh) để cán bộ coi thi đối chiếu.',
  'Không mang điện thoại di động, thiết bị thu phát, ghi âm, ghi hình, tài liệu vào phòng thi.',
  'Ngồi đúng máy (chỗ) theo số báo danh; giữ bí mật mã đăng nhập; tuân thủ hướng dẫn của cán bộ coi thi.',
];

function positionLabel(kind: ExamKind | undefined): string {
  if (kind === 'promotion') return 'Ngạch dự thi';
  if (kind === 'assessment') return 'Vị trí dự thi';
  if (kind === 'title_promotion') return 'Hạng chức danh dự xét';
  return 'Vị trí dự tuyển';
}

/** A label in regular type followed by a value in bold, on one line; returns the y below. */
function field(doc: PDFKit.PDFDocument, label: string, value: string, x: number, y: number, width: number, size = 11.5): number {
  doc.font(FONT).fontSize(size).fillColor('black');
  doc.text(t(`${label}: `), x, y, { width, continued: true });
  doc.font(FONT_BOLD).text(t(value));
  return Math.max(doc.y, y + doc.currentLineHeight(true)) + 3;
}

export async function admissionSlipsPdf(exam: ExamInfo & { kind?: ExamKind }, slips: readonly AdmissionSlip[]): Promise<Buffer> {
  const doc = createDoc(`Giấy báo dự thi — ${exam.name}`);
  if (slips.length === 0) {
    doc.addPage();
    const y = nationalHeading(doc, exam.organisingBody);
    centeredTitle(doc, 'GIẤY BÁO DỰ THI', y + 10, 16);
    textAt(doc, 'Chưa có thí sinh nào.', doc.page.margins.left, y + 50, contentWidth(doc), { align: 'center' });
    return finish(doc);
  }

  for (const slip of slips) {
    doc.addPage();
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    let y = nationalHeading(doc, exam.organisingBody);

    y = centeredTitle(doc, 'GIẤY BÁO DỰ THI', y + 6, 17) + 2;
    y = textAt(doc, exam.name, left, y, width, { font: FONT_BOLD, size: 12, align: 'center' }) + 14;

    // Photo box (3×4 cm) on the left, the details beside it.
    const photoW = 85;
    const photoH = 113;
    doc.save().lineWidth(0.6).dash(3, { space: 2 }).rect(left, y, photoW, photoH).stroke('#555555').undash().restore();
    textAt(doc, 'Ảnh 3×4\n(đóng dấu giáp lai)', left, y + photoH / 2 - 12, photoW, {
      font: FONT_ITALIC,
      size: 8.5,
      align: 'center',
      color: '#555555',
    });

    const dx = left + photoW + 16;
    const dw = width - photoW - 16;
    let dy = y;
    dy = field(doc, 'Số báo danh', slip.number, dx, dy, dw, 14);
    dy = field(doc, 'Họ và tên', slip.fullName, dx, dy, dw);
    const half = dw / 2;
    field(doc, 'Ngày sinh', formatDateVi(slip.dateOfBirth), dx, dy, half);
    dy = field(doc, 'Giới tính', genderVi(slip.gender), dx + half, dy, half);
    dy = field(doc, 'Số CCCD/CMND', slip.idNumber, dx, dy, dw);
    dy = field(doc, positionLabel(exam.kind), slip.positionName, dx, dy, dw);
    y = Math.max(dy, y + photoH) + 14;

    y = textAt(doc, 'LỊCH THI', left, y, width, { font: FONT_BOLD, size: 12 }) + 4;
    if (slip.sittings.length === 0) {
      y = textAt(doc, 'Hội đồng thi sẽ thông báo lịch thi sau.', left, y, width, { font: FONT_ITALIC }) + 6;
    } else {
      y = drawTable(doc, {
        y,
        fontSize: 10,
        columns: [
          { header: 'Ca thi', width: 25 },
          { header: 'Thời gian bắt đầu', width: 27 },
          { header: 'Phòng thi, địa điểm', width: 36 },
          { header: 'Máy số', width: 12, align: 'center' },
        ],
        rows: slip.sittings.map((s) => [
          s.parts.length > 0 ? `${s.name}\n${s.parts.map((p) => `– ${p}`).join('\n')}` : s.name,
          formatDateTimeVi(s.startsAt),
          s.roomLocation.trim() !== '' ? `${s.roomName}\n${s.roomLocation}` : s.roomName,
          String(s.seatNo),
        ]),
      });
      y += 12;
    }

    // Reminders, then the signature block; both move to a new page if they do not fit.
    doc.font(FONT).fontSize(10.5);
    const reminders = SLIP_REMINDERS.map((r, i) => `${i + 1}. ${r}`).join('\n');
    const remindersH = doc.heightOfString(t(reminders), { width }) + 20;
    if (y + remindersH + 90 > bottomY(doc)) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    y = textAt(doc, 'Lưu ý đối với thí sinh:', left, y, width, { font: FONT_BOLD, size: 11 }) + 3;
    y = textAt(doc, reminders, left, y, width, { size: 10.5 }) + 16;

    const sigW = width * 0.5;
    signatureBlock(
      doc,
      left + width - sigW,
      y,
      sigW,
      'CHỦ TỊCH HỘI ĐỒNG THI',
      '(Ký, ghi rõ họ tên và đóng dấu)',
      '…………, ngày …… tháng …… năm ……',
    );
  }
  pageNumbers(doc, (page, count) => `Giấy báo dự thi — ${exam.code} — trang ${page}/${count}`);
  return finish(doc);
}
