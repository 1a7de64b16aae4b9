/**
 * Writing Word files in the boards' convention (docx.ts): a bank (imports back equal), the import
 * template, and one candidate's paper for printing; with the `docx` library.
 */
import { type BankFile, type BankQuestion, DIFFICULTY_LABELS, optionIdAt, STATUS_LABELS } from '@exam/shared';
import {
  AlignmentType,
  BorderStyle,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  UnderlineType,
  WidthType,
} from 'docx';
import { TYPE_LABELS } from './columns.js';
import { topicPath } from './common.js';
import { docxImageRun } from './docxExportImages.js';
import { kids, type ONode, tagOf, topNodes } from './docxNodes.js';
import type { ExportImages } from './exportImages.js';
import { isRecord, str } from './xmlCommon.js';

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  strike?: boolean;
  sub?: boolean;
  sup?: boolean;
}

function runsOf(nodes: ONode[], style: RunStyle = {}, images?: ExportImages): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#text') {
      const t = str(n['#text']);
      if (t)
        out.push(
          new TextRun({
            text: t,
            bold: style.bold,
            italics: style.italics,
            underline: style.underline ? { type: UnderlineType.SINGLE } : undefined,
            strike: style.strike,
            subScript: style.sub,
            superScript: style.sup,
          }),
        );
    } else if (tag === 'br') out.push(new TextRun({ text: '', break: 1 }));
    else if (tag === 'img') {
      const a = isRecord(n[':@']) ? n[':@'] : {};
      out.push(
        docxImageRun(
          { src: str(a['@_src']), alt: str(a['@_alt']), width: str(a['@_width']), height: str(a['@_height']) },
          images,
        ),
      );
    } else {
      const s: RunStyle = { ...style };
      if (tag === 'b' || tag === 'strong') s.bold = true;
      if (tag === 'i' || tag === 'em') s.italics = true;
      if (tag === 'u') s.underline = true;
      if (tag === 's') s.strike = true;
      if (tag === 'sub') s.sub = true;
      if (tag === 'sup') s.sup = true;
      out.push(...runsOf(kids(n), s, images));
    }
  }
  return out;
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '888888' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

function tableOf(n: ONode, images?: ExportImages): Table {
  const rows: TableRow[] = [];
  const add = (r: ONode, header: boolean) => {
    const cells = kids(r).filter((c) => ['td', 'th'].includes(tagOf(c)));
    if (!cells.length) return;
    rows.push(
      new TableRow({
        ...(header ? { tableHeader: true } : {}),
        children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: runsOf(kids(c), {}, images) })] })),
      }),
    );
  };
  for (const k of kids(n)) {
    const t = tagOf(k);
    if (t === 'thead') for (const r of kids(k).filter((x) => tagOf(x) === 'tr')) add(r, true);
    else if (t === 'tbody' || t === 'tfoot') for (const r of kids(k).filter((x) => tagOf(x) === 'tr')) add(r, false);
    else if (t === 'tr') add(k, false);
  }
  return new Table({ rows, borders: BORDERS, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** Sanitized HTML → Word paragraphs and tables; `lead` is put before the first paragraph ("Câu 3. "). */
function blocksOf(htmlText: string, lead: ParagraphChild[] = [], images?: ExportImages): (Paragraph | Table)[] {
  const top = topNodes(htmlText);
  const out: (Paragraph | Table)[] = [];
  let pendingLead = lead;
  let inline: ONode[] = [];
  const flush = () => {
    if (!inline.length) return;
    out.push(new Paragraph({ children: [...pendingLead, ...runsOf(inline, {}, images)] }));
    pendingLead = [];
    inline = [];
  };
  for (const n of top) {
    const tag = tagOf(n);
    if (tag === 'p' || tag === 'div' || tag === 'blockquote' || tag === 'pre') {
      flush();
      out.push(new Paragraph({ children: [...pendingLead, ...runsOf(kids(n), {}, images)] }));
      pendingLead = [];
    } else if (tag === 'table') {
      flush();
      if (pendingLead.length) out.push(new Paragraph({ children: pendingLead }));
      pendingLead = [];
      out.push(tableOf(n, images));
    } else if (tag === 'ol' || tag === 'ul') {
      flush();
      if (pendingLead.length) out.push(new Paragraph({ children: pendingLead }));
      pendingLead = [];
      for (const li of kids(n).filter((k) => tagOf(k) === 'li')) {
        out.push(
          new Paragraph({
            children: runsOf(kids(li), {}, images),
            numbering: { reference: tag === 'ol' ? 'vn-ol' : 'vn-ul', level: 0 },
          }),
        );
      }
    } else inline.push(n);
  }
  flush();
  if (pendingLead.length) out.push(new Paragraph({ children: pendingLead }));
  return out;
}

const field = (label: string, value: string) =>
  new Paragraph({ children: [new TextRun({ text: `${label}: `, italics: true }), new TextRun({ text: value })] });

function questionBlocks(
  q: BankQuestion,
  n: number,
  opts: { metadata: boolean; showKey: boolean; images?: ExportImages },
): (Paragraph | Table)[] {
  const out = blocksOf(q.stem, [new TextRun({ text: `Câu ${n}. `, bold: true })], opts.images);
  q.options.forEach((o, i) => {
    const mark = opts.showKey && o.correct;
    out.push(
      ...blocksOf(
        o.text || ' ',
        [new TextRun({ text: `${optionIdAt(i)}. `, bold: mark, underline: mark ? { type: UnderlineType.SINGLE } : undefined })],
        opts.images,
      ),
    );
  });
  if (opts.metadata) {
    out.push(field('Mã câu hỏi', q.ref));
    if (q.title) out.push(field('Tiêu đề', q.title));
    out.push(field('Loại', TYPE_LABELS[q.type]));
    out.push(field('Mức độ', DIFFICULTY_LABELS[q.difficulty].vi));
    if (q.status) out.push(field('Trạng thái', STATUS_LABELS[q.status].vi));
    if (q.partialCredit) out.push(field('Chấm từng phần', 'Có'));
    const pinned = q.options.flatMap((o, i) => (o.pinned ? [optionIdAt(i)] : []));
    if (pinned.length) out.push(field('Cố định', pinned.join(', ')));
    if (q.legalBasis) out.push(field('Căn cứ pháp lý', q.legalBasis));
    if (q.tags?.length) out.push(field('Từ khóa', q.tags.join('; ')));
    if (q.explanation) out.push(...blocksOf(q.explanation, [new TextRun({ text: 'Giải thích: ', italics: true })], opts.images));
  }
  out.push(new Paragraph({ children: [] }));
  return out;
}

function keyTable(rows: { n: number; letters: string; extra?: string }[], extraHeader?: string): Table {
  const cell = (t: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: t, bold })] })] });
  return new Table({
    borders: BORDERS,
    rows: [
      new TableRow({
        tableHeader: true,
        children: [cell('Câu', true), cell('Đáp án', true), ...(extraHeader ? [cell(extraHeader, true)] : [])],
      }),
      ...rows.map(
        (r) => new TableRow({ children: [cell(String(r.n)), cell(r.letters), ...(extraHeader ? [cell(r.extra ?? '')] : [])] }),
      ),
    ],
  });
}

const NUMBERING = {
  config: [
    { reference: 'vn-ol', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] },
    { reference: 'vn-ul', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.START }] },
  ],
};

function documentOf(children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Hệ thống thi công chức',
    styles: { default: { document: { run: { font: 'Times New Roman', size: 26 } } } },
    numbering: NUMBERING,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

/** A bank as a Word file in the import convention (prints for review; imports back equal). */
export function exportDocx(bank: BankFile, images?: ExportImages): Promise<Buffer> {
  const topics = new Map(bank.topics.map((t) => [t.code, t]));
  const depth = (code: string) => topicPath(code, topics).length;
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `NGÂN HÀNG CÂU HỎI — ${bank.subject.name.toUpperCase()}`, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `Mã môn: ${bank.subject.code} · ${bank.questions.length} câu hỏi`, italics: true })],
    }),
    new Paragraph({ children: [] }),
  ];
  const key: { n: number; letters: string }[] = [];
  let n = 0;
  for (const t of [...bank.topics].sort((a, b) => depth(a.code) - depth(b.code))) {
    children.push(
      new Paragraph({
        children: [
          new TextRun({ text: `Chuyên đề: ${t.code} — ${t.name}${t.parent ? ` (thuộc ${t.parent})` : ''}`, bold: true }),
        ],
      }),
    );
    for (const q of bank.questions.filter((x) => x.topic === t.code)) {
      n++;
      children.push(...questionBlocks(q, n, { metadata: true, showKey: true, images }));
      key.push({ n, letters: q.options.flatMap((o, i) => (o.correct ? [optionIdAt(i)] : [])).join(', ') });
    }
  }
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '--- HẾT ---', bold: true })] }));
  children.push(new Paragraph({ children: [new TextRun({ text: 'Bảng đáp án', bold: true })] }));
  if (key.length) children.push(keyTable(key));
  return documentOf(children);
}

/** The import template: the convention explained, and three questions written the ways boards write them. */
export function docxTemplate(): Promise<Buffer> {
  const p = (text: string, o: { bold?: boolean; italics?: boolean } = {}) =>
    new Paragraph({ children: [new TextRun({ text, ...o })] });
  const u = (text: string) => new TextRun({ text, underline: { type: UnderlineType.SINGLE } });
  return documentOf([
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'MẪU NHẬP CÂU HỎI TỪ WORD', bold: true })] }),
    p(
      'Hướng dẫn: mỗi câu bắt đầu bằng "Câu 1.", "Câu 2."…; phương án "A." đến "H." (tối đa 6 phương án được dùng khi thi), mỗi phương án một dòng hoặc cách nhau bằng phím Tab. Đáp án đúng: gạch chân, in đậm, tô màu đỏ, đánh dấu * trước chữ cái, dòng "Đáp án: B" hoặc bảng đáp án sau chữ HẾT ("1-A"). Các dòng không bắt buộc: "Chuyên đề:", "Mức độ:", "Loại:", "Giải thích:", "Căn cứ pháp lý:", "Từ khóa:". Công thức (Equation) hãy chuyển thành ảnh. Xóa phần hướng dẫn này hoặc giữ nguyên đều được.',
      { italics: true },
    ),
    p(''),
    p('Câu 1. Theo Hiến pháp năm 2013, cơ quan nào là cơ quan quyền lực nhà nước cao nhất?'),
    new Paragraph({ children: [u('A.'), new TextRun(' Quốc hội')] }),
    p('B. Chính phủ'),
    p('C. Tòa án nhân dân tối cao'),
    p('D. Chủ tịch nước'),
    p('Mức độ: Nhận biết'),
    p('Giải thích: Điều 69 Hiến pháp năm 2013.'),
    p(''),
    p('Câu 2. Những cơ quan nào do Quốc hội thành lập?'),
    p('*A. Hội đồng bầu cử quốc gia'),
    p('*B. Chính phủ'),
    p('C. Ủy ban nhân dân tỉnh'),
    p('D. Hội đồng nhân dân xã'),
    p('Loại: Nhiều đáp án'),
    p(''),
    p('Câu 3. Nhiệm kỳ của mỗi khóa Quốc hội là bao nhiêu năm?'),
    new Paragraph({ children: [new TextRun('A. 4 năm\tB. 5 năm\tC. 6 năm\tD. 7 năm')] }),
    p(''),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '--- HẾT ---', bold: true })] }),
    keyTable([{ n: 3, letters: 'B' }]),
  ]);
}

/** One candidate's paper for printing and review: questions and options in the paper's order, the key and the answers given. */
export function paperDocx(paper: {
  title: string;
  lines: string[];
  questions: { question: BankQuestion; chosen: number[] }[];
  images?: ExportImages;
}): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: paper.title, bold: true })] }),
    ...paper.lines.map(
      (l) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: l, italics: true })] }),
    ),
    new Paragraph({ children: [] }),
  ];
  paper.questions.forEach((x, i) => {
    children.push(...questionBlocks(x.question, i + 1, { metadata: false, showKey: false, images: paper.images }));
  });
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '--- HẾT ---', bold: true })] }));
  children.push(
    keyTable(
      paper.questions.map((x, i) => ({
        n: i + 1,
        letters: x.question.options.flatMap((o, k) => (o.correct ? [optionIdAt(k)] : [])).join(', '),
        extra: x.chosen.map((k) => optionIdAt(k)).join(', '),
      })),
      'Thí sinh chọn',
    ),
  );
  return documentOf(children);
}
