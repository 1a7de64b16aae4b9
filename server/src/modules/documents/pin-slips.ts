/**
 * Phiếu mã đăng nhập: cut-out cards (2 × 5 per A4 page, dashed cut lines) with the candidate's
 * number, name, room, seat and PIN, in seat order as given. PINs are printed in a monospaced bold
 * face so that 0/O and 1/l are told apart.
 */
import { createDoc, type ExamInfo, FONT, FONT_BOLD, FONT_ITALIC, FONT_MONO, finish, t, textAt } from './pdf.js';

export interface PinSlipRow {
  number: string;
  fullName: string;
  roomName: string;
  seatNo: number;
  pin: string;
}

export const PIN_SLIP_TITLE = 'PHIẾU MÃ ĐĂNG NHẬP';
const COLS = 2;
const ROWS = 5;
const M = 28;

export async function pinSlipsPdf(exam: ExamInfo, rows: readonly PinSlipRow[]): Promise<Buffer> {
  const doc = createDoc(`Phiếu mã đăng nhập — ${exam.name}`, { top: M, bottom: M, left: M, right: M });
  const perPage = COLS * ROWS;
  if (rows.length === 0) {
    doc.addPage();
    textAt(doc, `${PIN_SLIP_TITLE}: chưa có thí sinh nào.`, M, M, doc.page.width - 2 * M, { align: 'center' });
    return finish(doc);
  }

  rows.forEach((r, i) => {
    const slot = i % perPage;
    if (slot === 0) doc.addPage();
    const cardW = (doc.page.width - 2 * M) / COLS;
    const cardH = (doc.page.height - 2 * M) / ROWS;
    const x = M + (slot % COLS) * cardW;
    const y = M + Math.floor(slot / COLS) * cardH;
    doc.save().lineWidth(0.5).dash(4, { space: 3 }).rect(x, y, cardW, cardH).stroke('#777777').undash().restore();

    const pad = 12;
    const ix = x + pad;
    const iw = cardW - 2 * pad;
    let cy = y + pad - 2;
    doc.font(FONT).fontSize(8).fillColor('#333333');
    doc.text(t(exam.name), ix, cy, { width: iw, height: 20, ellipsis: true, align: 'center' });
    cy += 21;
    cy = textAt(doc, PIN_SLIP_TITLE, ix, cy, iw, { font: FONT_BOLD, size: 12, align: 'center' }) + 5;

    const line = (label: string, value: string, size = 10) => {
      doc.font(FONT).fontSize(size).fillColor('black');
      doc.text(t(`${label}: `), ix, cy, { width: iw, continued: true, lineBreak: false });
      doc.font(FONT_BOLD).text(t(value), { lineBreak: false, width: iw, height: size + 4, ellipsis: true });
      cy += size + 5;
    };
    line('Số báo danh', r.number, 10.5);
    line('Họ và tên', r.fullName);
    line('Phòng thi', `${r.roomName} — Máy số: ${r.seatNo}`);

    doc
      .font(FONT)
      .fontSize(10)
      .fillColor('black')
      .text(t('Mã PIN:'), ix, cy + 6, { width: iw, lineBreak: false });
    doc
      .font(FONT_MONO)
      .fontSize(20)
      .text(t(r.pin), ix + 52, cy, { width: iw - 52, characterSpacing: 3, lineBreak: false });
    cy += 30;
    textAt(doc, 'Giữ bí mật mã này; chỉ dùng để đăng nhập tại phòng thi.', ix, cy, iw, {
      font: FONT_ITALIC,
      size: 8,
      color: '#333333',
    });
  });
  return finish(doc);
}
