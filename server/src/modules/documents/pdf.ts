/**
 * PDF building blocks shared by the exam documents: an A4 pdfkit document with an embedded font that
 * has every Vietnamese glyph, the national heading (Quốc hiệu, tiêu ngữ), Vietnamese date formatting,
 * a table that repeats its header row on each page, and page numbers.
 *
 * The font is DejaVu Serif (regular, bold, italic) plus DejaVu Sans Mono Bold for PINs, read from the
 * `dejavu-fonts-ttf` npm package, so the documents come out the same on a fresh machine without
 * system fonts. pdfkit embeds only the glyphs used (subset, /FontFile2).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_TIME_ZONE, wallClockAt } from '@exam/shared';
import PDFDocument from 'pdfkit';

export const FONT = 'vn-regular';
export const FONT_BOLD = 'vn-bold';
export const FONT_ITALIC = 'vn-italic';
export const FONT_MONO = 'vn-mono-bold';

/** The font files, by registered name. */
export const FONT_FILES: Readonly<Record<string, string>> = {
  [FONT]: 'DejaVuSerif.ttf',
  [FONT_BOLD]: 'DejaVuSerif-Bold.ttf',
  [FONT_ITALIC]: 'DejaVuSerif-Italic.ttf',
  [FONT_MONO]: 'DejaVuSansMono-Bold.ttf',
};
/** The PostScript name of the regular font, as it appears in the PDF. */
export const FONT_POSTSCRIPT_NAME = 'DejaVuSerif';

const require = createRequire(import.meta.url);
const fontCache = new Map<string, Buffer>();

function fontBytes(file: string): Buffer {
  let bytes = fontCache.get(file);
  if (!bytes) {
    bytes = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    fontCache.set(file, bytes);
  }
  return bytes;
}

export type Doc = PDFKit.PDFDocument;

export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = { top: 40, bottom: 48, left: 56, right: 42 } as const;

export interface ExamInfo {
  name: string;
  organisingBody: string;
  code: string;
}

/** Text as drawn: NFC (precomposed Vietnamese letters), control characters removed. */
export function t(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return s.normalize('NFC').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** A4 portrait with the fonts registered and pages buffered (for page numbers). */
export function createDoc(title: string, margins: { top: number; bottom: number; left: number; right: number } = MARGIN): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: t(title), Author: 'Hội đồng thi', Creator: 'Hệ thống thi công chức' },
  });
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, fontBytes(file));
  return doc;
}

/** End the document and collect its bytes. */
export function finish(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Width available between the margins of the current page. */
export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Lowest y the content may reach on the current page. */
export function bottomY(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Draw text at (x, y) in a box of `width`; returns the y below it. */
export function textAt(
  doc: Doc,
  s: string,
  x: number,
  y: number,
  width: number,
  opts: { font?: string; size?: number; align?: 'left' | 'center' | 'right'; color?: string } = {},
): number {
  doc
    .font(opts.font ?? FONT)
    .fontSize(opts.size ?? 11)
    .fillColor(opts.color ?? 'black');
  const text = t(s);
  const h = doc.heightOfString(text, { width });
  doc.text(text, x, y, { width, align: opts.align ?? 'left' });
  return y + h;
}

/**
 * The heading of an administrative document: on the left the organising body and "HỘI ĐỒNG THI",
 * on the right the Quốc hiệu and the tiêu ngữ, each underlined by a short rule. Returns the y below.
 */
export function nationalHeading(doc: Doc, organisingBody: string, y = doc.page.margins.top): number {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const leftW = width * 0.42;
  const rightX = left + leftW;
  const rightW = width - leftW;

  let ly = y;
  if (organisingBody.trim() !== '')
    ly = textAt(doc, organisingBody.toLocaleUpperCase('vi'), left, ly, leftW, { size: 10.5, align: 'center' });
  ly = textAt(doc, 'HỘI ĐỒNG THI', left, ly, leftW, { font: FONT_BOLD, size: 10.5, align: 'center' });
  rule(doc, left + leftW / 2 - 30, left + leftW / 2 + 30, ly + 3);

  let ry = textAt(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, y, rightW, { font: FONT_BOLD, size: 10.5, align: 'center' });
  ry = textAt(doc, 'Độc lập - Tự do - Hạnh phúc', rightX, ry, rightW, { font: FONT_BOLD, size: 11.5, align: 'center' });
  doc.font(FONT_BOLD).fontSize(11.5);
  const motto = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  rule(doc, rightX + (rightW - motto) / 2, rightX + (rightW + motto) / 2, ry + 3);

  return Math.max(ly, ry) + 14;
}

function rule(doc: Doc, x1: number, x2: number, y: number): void {
  doc.save().lineWidth(0.7).moveTo(x1, y).lineTo(x2, y).stroke('black').restore();
}

/** A titled block of text lines at the page's center; returns the y below. */
export function centeredTitle(doc: Doc, title: string, y: number, size = 14): number {
  return textAt(doc, title, doc.page.margins.left, y, contentWidth(doc), { font: FONT_BOLD, size, align: 'center' });
}

// ---------------------------------------------------------------------------------------------
// Dates.

/** YYYY-MM-DD (or an ISO date-time) → dd/mm/yyyy; other text is returned as is. */
export function formatDateVi(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

const WEEKDAY = new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'UTC' });

interface WallClockParts {
  y: number;
  m: number;
  d: number;
  hh: number | null;
  mm: number | null;
}

/**
 * The wall-clock time in the exam's zone (Asia/Ho_Chi_Minh by default) of an ISO date or date-time,
 * whatever the server's own zone. A time without an offset is taken as already local
 * ("2025-06-02T07:30"); with Z or an offset it is converted to the zone.
 */
export function zonedWallClock(iso: string, zone: string = DEFAULT_TIME_ZONE): WallClockParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(iso.trim());
  if (!m) return null;
  if (m[4] === undefined) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), hh: null, mm: null };
  if (m[6] === undefined) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), hh: Number(m[4]), mm: Number(m[5]) };
  const ms = Date.parse(iso.trim());
  if (Number.isNaN(ms)) return null;
  const w = wallClockAt(ms, zone);
  return { y: w.year, m: w.month, d: w.day, hh: w.hour, mm: w.minute };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "07 giờ 30, Thứ Hai, ngày 02/06/2025" (vi-VN weekday) in the exam's zone; the date alone when there is no time. */
export function formatDateTimeVi(iso: string, zone: string = DEFAULT_TIME_ZONE): string {
  const w = zonedWallClock(iso, zone);
  if (!w) return iso;
  const weekday = WEEKDAY.format(Date.UTC(w.y, w.m - 1, w.d));
  const date = `${weekday}, ngày ${two(w.d)}/${two(w.m)}/${w.y}`;
  return w.hh === null || w.mm === null ? date : `${two(w.hh)} giờ ${two(w.mm)}, ${date}`;
}

/** "hh:mm:ss dd/mm/yyyy" of an instant (epoch ms) in the exam's zone. */
export function clockVi(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  const w = wallClockAt(ms, zone);
  return `${two(w.hour)}:${two(w.minute)}:${two(w.second)} ${two(w.day)}/${two(w.month)}/${w.year}`;
}

/** "male"/"female" → "Nam"/"Nữ"; Vietnamese values pass through. */
export function genderVi(g: string): string {
  if (g === 'male') return 'Nam';
  if (g === 'female') return 'Nữ';
  return g;
}

// ---------------------------------------------------------------------------------------------
// Tables.

export interface TableColumn {
  header: string;
  /** Relative width; the columns share the table width in proportion. */
  width: number;
  align?: 'left' | 'center' | 'right';
  /** keep the cell on one line (a name): the font shrinks to fit instead of wrapping */
  nowrap?: boolean;
}

export interface TableOptions {
  columns: readonly TableColumn[];
  rows: readonly (readonly string[])[];
  x?: number;
  y: number;
  width?: number;
  fontSize?: number;
  /** Minimum height of a body row (room for a signature). */
  minRowHeight?: number;
  /** Called after a page break, before the header row is repeated; returns the y to continue at. */
  onNewPage?: (doc: Doc) => number;
}

const PAD = 3;

/**
 * A ruled table. When a row does not fit, the page breaks, `onNewPage` draws what goes on top, and
 * the header row is drawn again. Returns the y below the table.
 */
export function drawTable(doc: Doc, o: TableOptions): number {
  const x = o.x ?? doc.page.margins.left;
  const width = o.width ?? contentWidth(doc);
  const size = o.fontSize ?? 10;
  const total = o.columns.reduce((s, c) => s + c.width, 0);
  const widths = o.columns.map((c) => (c.width / total) * width);

  /**
   * The font size of one cell: never splits a word (a số báo danh, a date) across lines, and keeps a
   * `nowrap` column (a name) on one line, by shrinking the font (down to 5.5 pt) where it would not fit.
   */
  const cellSize = (text: string, font: string, i: number): number => {
    const inner = (widths[i] ?? 0) - 2 * PAD;
    doc.font(font).fontSize(size);
    const units = o.columns[i]?.nowrap ? [text] : text.split(/\s+/);
    const widest = Math.max(0, ...units.map((u) => doc.widthOfString(u)));
    if (widest <= inner || widest === 0) return size;
    return Math.max(5.5, Math.floor(((size * inner) / widest) * 20) / 20);
  };
  const rowHeight = (cells: readonly string[], font: string, min: number) => {
    let h = min;
    cells.forEach((c, i) => {
      doc.font(font).fontSize(cellSize(t(c), font, i));
      h = Math.max(h, doc.heightOfString(t(c), { width: (widths[i] ?? 0) - 2 * PAD }) + 2 * PAD);
    });
    return h;
  };
  const drawRow = (cells: readonly string[], y: number, h: number, font: string, fill: string | null) => {
    let cx = x;
    cells.forEach((c, i) => {
      const w = widths[i] ?? 0;
      if (fill) doc.save().rect(cx, y, w, h).fill(fill).restore();
      doc.save().lineWidth(0.5).rect(cx, y, w, h).stroke('black').restore();
      doc
        .font(font)
        .fontSize(cellSize(t(c), font, i))
        .fillColor('black')
        .text(t(c), cx + PAD, y + PAD, { width: w - 2 * PAD, align: o.columns[i]?.align ?? 'left' });
      cx += w;
    });
  };

  const headers = o.columns.map((c) => c.header);
  const headerH = rowHeight(headers, FONT_BOLD, 0);
  let y = o.y;
  drawRow(headers, y, headerH, FONT_BOLD, '#e8eef7');
  y += headerH;
  for (const row of o.rows) {
    const h = rowHeight(row, FONT, o.minRowHeight ?? 0);
    if (y + h > bottomY(doc)) {
      doc.addPage();
      y = o.onNewPage ? o.onNewPage(doc) : doc.page.margins.top;
      drawRow(headers, y, headerH, FONT_BOLD, '#e8eef7');
      y += headerH;
    }
    drawRow(row, y, h, FONT, null);
    y += h;
  }
  return y;
}

/** "Trang i/n" at the bottom of every page (pages must be buffered). */
export function pageNumbers(doc: Doc, label?: (page: number, count: number) => string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin would otherwise start a new page
    const text = label ? label(i - start + 1, count) : `Trang ${i - start + 1}/${count}`;
    textAt(doc, text, doc.page.margins.left, doc.page.height - bottom + 14, contentWidth(doc), {
      size: 8.5,
      align: 'center',
      color: '#444444',
    });
    doc.page.margins.bottom = bottom;
  }
}

/** A signature block: place/date line, title in bold, note in italics, centred in [x, x + width]. */
export function signatureBlock(
  doc: Doc,
  x: number,
  y: number,
  width: number,
  title: string,
  note: string,
  dateLine?: string,
): number {
  let yy = y;
  if (dateLine) yy = textAt(doc, dateLine, x, yy, width, { font: FONT_ITALIC, size: 10.5, align: 'center' }) + 2;
  yy = textAt(doc, title, x, yy, width, { font: FONT_BOLD, size: 11, align: 'center' });
  yy = textAt(doc, note, x, yy, width, { font: FONT_ITALIC, size: 9.5, align: 'center' });
  return yy;
}
