/**
 * Word (.docx) in the convention Vietnamese exam boards write their banks in, read with mammoth
 * (which keeps bold, underline, tables and images) and written with docx.
 *
 *   Chuyên đề: HP2013 — Bộ máy nhà nước      (optional: the topic of the questions that follow)
 *   Câu 1. Cơ quan nào là …?                  (a stem: "Câu N." then text, tables, images)
 *   A. Quốc hội                               (options A. … H., one per paragraph, or several
 *   B. Chính phủ                               on one line separated by tabs)
 *   Mức độ: Nhận biết                         (optional lines: Mã câu hỏi, Tiêu đề, Loại, Mức độ,
 *   Giải thích: …                              Trạng thái, Căn cứ pháp lý, Từ khóa, Chấm từng
 *   …                                          phần, Cố định, Đáp án, Giải thích)
 *   HẾT
 *   | 1-A | 2-C | … |                         (an answer-key table or line "1-A, 2-C", often last)
 *
 * The right option is found, in this order, from a line "Đáp án: A" in the question, the answer
 * key ("1-A", also "1A", "1.A", "1: A, C" and two-row tables "Câu | 1 | 2" / "Đáp án | A | B"),
 * or the option's formatting: underlined, bold, red or starred (*A. or A. *text) — a mark that
 * some options have and others not. The report says which convention each question used. The
 * marking is removed from the option's text (a candidate must not see it).
 * What cannot be read is reported by question number and paragraph, never dropped silently:
 * an equation (Word's equation editor; it has to become an image or text), an embedded object,
 * a question with no recognisable key or no options, text before the first "Câu".
 * Red text is found before mammoth reads the file (mammoth has no colours): red runs get a red
 * highlight, which mammoth passes on.
 *
 * Export: the same convention (topics as "Chuyên đề:" lines, the right options underlined and
 * bold, every field as a line), so that an exported bank imports back equal; the answer key as a
 * table after "HẾT"; stored images as inline pictures (docxExportImages.ts).
 */
import {
  type BankFile,
  type BankOption,
  type BankQuestion,
  type BankTopic,
  DIFFICULTY_LABELS,
  optionIdAt,
  type ParsedImport,
  STATUS_LABELS,
} from '@exam/shared';
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
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import mammoth from 'mammoth';
import { checkZip } from '../../imports/limits.js';
import { BOOL_LOOKUP, DIFFICULTY_LOOKUP, STATUS_LOOKUP, TYPE_LABELS, TYPE_LOOKUP } from './columns.js';
import {
  CategoryTopics,
  fold,
  Issues,
  isTrueFalseText,
  type ParsedQuestion,
  type ParseOptions,
  RefMaker,
  topicPath,
  trueFalseOptions,
  withSourceRow,
} from './common.js';
import { docxImageRun } from './docxExportImages.js';
import type { ExportImages } from './exportImages.js';
import { isRecord, str } from './xmlCommon.js';

type ONode = Record<string, unknown>;

const EQUATION = '\u27E6CT\u27E7';
const OBJECT = '\u27E6DT\u27E7';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
});

// ---------------------------------------------------------------- reading the Word file

/** Red runs get a red highlight (mammoth keeps highlights, not colours); equations and objects a visible marker. */
function prepareDocx(data: Buffer): Buffer {
  const files = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const doc = files['word/document.xml'];
  if (!doc) return data;
  let xml = strFromU8(doc);
  xml = xml
    .replace(/<m:oMathPara\b[\s\S]*?<\/m:oMathPara>/g, `<w:r><w:t>${EQUATION}</w:t></w:r>`)
    .replace(/<m:oMath\b[\s\S]*?<\/m:oMath>/g, `<w:r><w:t>${EQUATION}</w:t></w:r>`)
    .replace(/<w:object\b[\s\S]*?<\/w:object>/g, `<w:t>${OBJECT}</w:t>`)
    .replace(/<w:rPr>([\s\S]*?)<\/w:rPr>/g, (m, inner: string) => {
      const c = /<w:color w:val="([0-9A-Fa-f]{6})"/.exec(inner)?.[1];
      if (!c || /<w:highlight\b/.test(inner)) return m;
      const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
      const red = (r ?? 0) >= 0xb0 && (g ?? 255) <= 0x60 && (b ?? 255) <= 0x60;
      return red ? `<w:rPr>${inner}<w:highlight w:val="red"/></w:rPr>` : m;
    });
  files['word/document.xml'] = strToU8(xml);
  return Buffer.from(zipSync(files, { level: 0 }));
}

function tagOf(n: ONode): string {
  return Object.keys(n).find((k) => k !== ':@') ?? '';
}
function kids(n: ONode): ONode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}
function textOf(nodes: ONode[]): string {
  return nodes.map((n) => (tagOf(n) === '#text' ? str(n['#text']) : tagOf(n) === 'br' ? '\n' : textOf(kids(n)))).join('');
}
function html(nodes: ONode[]): string {
  const s: unknown = builder.build(nodes);
  return typeof s === 'string' ? s.trim() : '';
}

/** The nodes holding only the characters [start, end) of their text (tags kept around what stays). */
function sliceText(nodes: ONode[], start: number, end: number): ONode[] {
  const out: ONode[] = [];
  let pos = 0;
  const walk = (list: ONode[]): ONode[] => {
    const res: ONode[] = [];
    for (const n of list) {
      const tag = tagOf(n);
      if (tag === '#text') {
        const t = str(n['#text']);
        const a = Math.max(start, pos);
        const b = Math.min(end, pos + t.length);
        if (b > a) res.push({ '#text': t.slice(a - pos, b - pos) });
        pos += t.length;
      } else if (tag === 'br') {
        if (pos >= start && pos < end) res.push(n);
        pos += 1;
      } else if (tag === 'img') {
        if (pos >= start && pos < end) res.push(n);
      } else {
        const inner = walk(kids(n));
        if (inner.length) res.push(n[':@'] ? { [tag]: inner, ':@': n[':@'] } : { [tag]: inner });
      }
    }
    return res;
  };
  out.push(...walk(nodes));
  return out;
}

type Mark = 'underline' | 'bold' | 'red';
const MARK_TAGS: Record<string, Mark> = { u: 'underline', strong: 'bold', b: 'bold', mark: 'red' };
const MARK_LABEL: Record<Mark | 'star' | 'key' | 'line', string> = {
  underline: 'chữ gạch chân',
  bold: 'chữ in đậm',
  red: 'chữ màu đỏ',
  star: 'dấu *',
  key: 'bảng đáp án cuối tệp',
  line: 'dòng "Đáp án:"',
};

/** Marks over each character of the text (for "is this option underlined / bold / red?"). */
function markedChars(nodes: ONode[], marks: Set<Mark> = new Set(), out: Set<Mark>[] = []): Set<Mark>[] {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#text') for (const _c of str(n['#text'])) out.push(marks);
    else if (tag === 'br') out.push(marks);
    else {
      const m = MARK_TAGS[tag];
      markedChars(kids(n), m ? new Set([...marks, m]) : marks, out);
    }
  }
  return out;
}

/** The nodes with one kind of marking removed (the key must not show in the stored option). */
function unmark(nodes: ONode[], mark: Mark): ONode[] {
  return nodes.flatMap((n) => {
    const tag = tagOf(n);
    if (tag === '#text' || tag === 'br' || tag === 'img') return [n];
    const inner = unmark(kids(n), mark);
    if (MARK_TAGS[tag] === mark) return inner;
    return [n[':@'] ? { [tag]: inner, ':@': n[':@'] } : { [tag]: inner }];
  });
}

/** mammoth's tables as the editor writes them: rows in tbody, a lone paragraph in a cell unwrapped. */
function normalizeTable(n: ONode): ONode {
  const rows: ONode[] = [];
  const head: ONode[] = [];
  const cell = (c: ONode): ONode => {
    const inner = kids(c).filter((k) => !(tagOf(k) === '#text' && str(k['#text']).trim() === ''));
    const only = inner[0];
    const content = inner.length === 1 && only && tagOf(only) === 'p' ? kids(only) : inner;
    return c[':@'] ? { [tagOf(c)]: content, ':@': c[':@'] } : { [tagOf(c)]: content };
  };
  const row = (r: ONode): ONode => ({
    tr: kids(r)
      .filter((c) => ['td', 'th'].includes(tagOf(c)))
      .map(cell),
  });
  for (const k of kids(n)) {
    const t = tagOf(k);
    if (t === 'thead')
      head.push(
        ...kids(k)
          .filter((r) => tagOf(r) === 'tr')
          .map(row),
      );
    else if (t === 'tbody')
      rows.push(
        ...kids(k)
          .filter((r) => tagOf(r) === 'tr')
          .map(row),
      );
    else if (t === 'tr') rows.push(row(k));
  }
  const out: ONode[] = [];
  if (head.length) out.push({ thead: head });
  if (rows.length) out.push({ tbody: rows });
  return { table: out };
}

interface Block {
  /** paragraph number in the document (1-based), what the report calls "đoạn" */
  line: number;
  kind: 'p' | 'table' | 'list';
  nodes: ONode[];
  text: string;
}

function toBlocks(htmlText: string): Block[] {
  const tree = parser.parse(`<root>${htmlText}</root>`) as unknown;
  const root = Array.isArray(tree) ? tree.find((n) => isRecord(n) && 'root' in n) : undefined;
  const top = isRecord(root) ? kids(root) : [];
  const blocks: Block[] = [];
  let line = 0;
  for (const n of top) {
    const tag = tagOf(n);
    if (tag === 'table') {
      const t = normalizeTable(n);
      blocks.push({ line: ++line, kind: 'table', nodes: [t], text: textOf([n]) });
    } else if (tag === 'ol' || tag === 'ul') {
      // a list stays a list (in a stem); its items count as paragraphs
      const items = kids(n).filter((k) => tagOf(k) === 'li');
      blocks.push({
        line: line + 1,
        kind: 'list',
        nodes: [{ [tag]: items.map((li) => ({ li: kids(li) })) }],
        text: textOf(items),
      });
      line += items.length;
    } else if (tag !== '#text') {
      blocks.push({ line: ++line, kind: 'p', nodes: kids(n), text: textOf(kids(n)) });
    }
  }
  return blocks;
}

const QUESTION_START = /^\s*Câu\s*(?:số\s*)?(\d{1,5})\s*[.:)]?\s*/i;
const OPTION_START = /^\s*(\*?)\s*([A-H])\s*[.)]\s*((?:\*(?=\s*\S))?)\s*/;
const FIELD =
  /^\s*(Mã câu hỏi|Tiêu đề|Loại(?: câu hỏi)?|Mức độ|Trạng thái|Căn cứ pháp lý|Từ khóa|Chấm từng phần|Cố định|Đáp án(?: đúng)?|Giải thích|Lời giải|Hướng dẫn giải)\s*:\s*/i;
const TOPIC_LINE = /^\s*Chuyên đề\s*:\s*/i;
const END_LINE = /^[\s\-–—_.*=]*HẾT[\s\-–—_.*=]*$/i;
const KEY_PAIR = /(\d{1,5})\s*[-–.:)]?\s*([A-H](?:\s*[,;&]\s*[A-H])*)(?![A-Za-zÀ-ỹ])/g;

/** "1-A 2-B, 3: C" (a key line, or the cells of a key table). */
function keyPairs(text: string): [number, string[]][] {
  const out: [number, string[]][] = [];
  for (const m of text.matchAll(KEY_PAIR)) {
    out.push([Number(m[1]), (m[2] ?? '').split(/[,;&\s]+/).filter(Boolean)]);
  }
  return out;
}

/** An answer-key table: cells "1-A", or a row of numbers over a row of letters. */
function tableKey(t: ONode): Map<number, string[]> | null {
  const rows = findRows(t).map((r) => kids(r).map((c) => textOf(kids(c)).trim()));
  const key = new Map<number, string[]>();
  const cells = rows.flat().filter((c) => c !== '');
  if (
    cells.length &&
    cells.every(
      (c) =>
        /^\s*\d{1,5}\s*[-–.:)]?\s*[A-H](\s*[,;&]\s*[A-H])*\s*$/.test(c) ||
        /^(câu|đáp án|stt)/i.test(fold(c)) ||
        /^(cau|dap an)/.test(fold(c)),
    )
  ) {
    for (const c of cells) for (const [n, l] of keyPairs(c)) key.set(n, l);
    if (key.size) return key;
  }
  // a header row "Câu | Đáp án" over rows "3 | B"
  const header = rows[0] ?? [];
  const qCol = header.findIndex((h) => /^cau/.test(fold(h)));
  const aCol = header.findIndex((h) => /^dap an/.test(fold(h)));
  if (qCol >= 0 && aCol >= 0) {
    for (const r of rows.slice(1)) {
      const n = (r[qCol] ?? '').trim();
      const letters = (r[aCol] ?? '')
        .toUpperCase()
        .split(/[,;&\s]+/)
        .filter((x) => /^[A-H]$/.test(x));
      if (/^\d+$/.test(n) && letters.length) key.set(Number(n), letters);
    }
    if (key.size) return key;
  }
  for (let i = 0; i + 1 < rows.length; i++) {
    const nums = rows[i] ?? [];
    const lets = rows[i + 1] ?? [];
    if (!/^cau/.test(fold(nums[0] ?? '')) || !/^dap an/.test(fold(lets[0] ?? ''))) continue;
    nums.slice(1).forEach((n, j) => {
      const letters = (lets[j + 1] ?? '')
        .toUpperCase()
        .split(/[,;&\s]+/)
        .filter((x) => /^[A-H]$/.test(x));
      if (/^\d+$/.test(n.trim()) && letters.length) key.set(Number(n), letters);
    });
  }
  return key.size ? key : null;
}
function findRows(n: ONode): ONode[] {
  return kids(n).flatMap((k) => (tagOf(k) === 'tr' ? [k] : findRows(k)));
}

interface RawOption {
  letter: string;
  nodes: ONode[];
  star: boolean;
  line: number;
}
interface RawQuestion {
  number: number;
  line: number;
  stem: ONode[][];
  options: RawOption[];
  fields: Map<string, ONode[]>;
  topic?: string;
  unreadable: string[];
}

function fieldKey(label: string): string {
  const f = fold(label);
  if (f.startsWith('loai')) return 'loai';
  if (f.startsWith('dap an')) return 'dap an';
  if (f === 'loi giai' || f === 'huong dan giai') return 'giai thich';
  return f;
}

/** Options on one paragraph ("A. x<TAB>B. y"): the character offsets where each starts. */
function optionStarts(text: string): number[] {
  const starts: number[] = [];
  const re = /(^|\t|\s{2,})(\*?\s*[A-H]\s*[.)]\s)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + (m[1] ?? '').length);
  return starts;
}

export async function parseDocx(data: Buffer, opts: ParseOptions = {}): Promise<ParsedImport> {
  const issues = new Issues();
  if (!checkZip(data)) {
    issues.error(
      0,
      undefined,
      'DOCX_INVALID',
      'Không đọc được tệp Word (.docx); hãy lưu lại tệp dạng "Word Document (.docx)" (không phải .doc cũ)',
    );
    return { topics: [], questions: [], issues: issues.list };
  }
  let htmlText: string;
  try {
    const r = await mammoth.convertToHtml(
      { buffer: prepareDocx(data) },
      { styleMap: ['u => u', 'b => b', 'i => i', "highlight[color='red'] => mark"], convertImage: mammoth.images.dataUri },
    );
    htmlText = r.value;
  } catch {
    issues.error(0, undefined, 'DOCX_INVALID', 'Không đọc được tệp Word (.docx); tệp có thể bị hỏng');
    return { topics: [], questions: [], issues: issues.list };
  }

  const blocks = toBlocks(htmlText);
  const raws: RawQuestion[] = [];
  const key = new Map<number, string[]>();
  const cats = new CategoryTopics(opts.existingTopics);
  const declared: BankTopic[] = [];
  const known = new Set((opts.existingTopics ?? []).map((t) => t.code));
  let topic = opts.defaultTopic;
  let cur: RawQuestion | undefined;
  let ended = false;
  let preamble = 0;

  for (const b of blocks) {
    const text = b.text.replace(/\u00a0/g, ' ');
    if (b.kind === 'list') {
      if (cur && !ended) {
        if (cur.options.length === 0) cur.stem.push(b.nodes);
        else cur.options[cur.options.length - 1]?.nodes.push(...b.nodes);
      }
      continue;
    }
    if (b.kind === 'table') {
      const k = tableKey(b.nodes[0] ?? {});
      if (k && (ended || !cur || cur.options.length > 0)) {
        for (const [n, l] of k) key.set(n, l);
        continue;
      }
      if (cur && !ended) {
        if (cur.options.length === 0) cur.stem.push(b.nodes);
        else cur.options[cur.options.length - 1]?.nodes.push(...b.nodes);
      }
      continue;
    }
    if (END_LINE.test(text)) {
      ended = true;
      cur = undefined;
      continue;
    }
    const fieldMatch = FIELD.exec(text);
    if (fieldMatch && fieldKey(fieldMatch[1] ?? '') === 'dap an' && !cur) {
      // "Đáp án: 1-A, 2-C …" outside a question: a key line
      for (const [n, l] of keyPairs(text.slice(fieldMatch[0].length))) key.set(n, l);
      continue;
    }
    if (ended) {
      for (const [n, l] of keyPairs(text)) key.set(n, l);
      continue;
    }
    if (TOPIC_LINE.test(text) && !QUESTION_START.test(text)) {
      const value = text.replace(TOPIC_LINE, '').trim();
      const m = /^(\S+)\s+[—–]\s+(.+?)(?:\s+\(thuộc\s+(\S+)\))?$/.exec(value);
      if (m?.[1] && m[2]) {
        const t: BankTopic = { code: m[1], name: m[2] };
        if (m[3]) t.parent = m[3];
        if (!known.has(t.code)) {
          declared.push(t);
          known.add(t.code);
        }
        topic = t.code;
      } else if (value) {
        topic = cats.codeFor([value]);
      }
      cur = undefined;
      continue;
    }
    const q = QUESTION_START.exec(text);
    if (q) {
      cur = {
        number: Number(q[1]),
        line: b.line,
        stem: [],
        options: [],
        fields: new Map(),
        topic,
        unreadable: [],
      };
      raws.push(cur);
      const rest = sliceText(b.nodes, q[0].length, Number.MAX_SAFE_INTEGER);
      if (textOf(rest).trim() !== '' || rest.some((n) => tagOf(n) !== '#text')) cur.stem.push(rest);
      continue;
    }
    if (!cur) {
      if (text.trim() !== '') preamble++;
      continue;
    }
    if (fieldMatch) {
      cur.fields.set(fieldKey(fieldMatch[1] ?? ''), sliceText(b.nodes, fieldMatch[0].length, Number.MAX_SAFE_INTEGER));
      continue;
    }
    const starts = optionStarts(text);
    if (starts.length > 0 && starts[0] === 0) {
      starts.forEach((s, i) => {
        const end = starts[i + 1] ?? text.length;
        const piece = text.slice(s, end);
        const m = OPTION_START.exec(piece);
        if (!m || !cur) return;
        const nodes = sliceText(b.nodes, s, end);
        const markerLen = m[0].length;
        cur.options.push({
          letter: m[2] ?? '',
          nodes: [...sliceText(nodes, 0, markerLen), ...sliceText(nodes, markerLen, Number.MAX_SAFE_INTEGER)],
          star: m[1] === '*' || m[3] === '*',
          line: b.line,
        });
      });
      continue;
    }
    if (cur.options.length === 0) cur.stem.push(b.nodes);
    else cur.options[cur.options.length - 1]?.nodes.push({ br: [] }, ...b.nodes);
  }
  if (preamble > 0 && raws.length === 0) {
    issues.error(0, undefined, 'DOCX_NO_QUESTIONS', 'Không tìm thấy câu hỏi nào: mỗi câu phải bắt đầu bằng "Câu 1.", "Câu 2."…');
  }

  const refs = new RefMaker('DOCX');
  const questions: ParsedQuestion[] = [];
  const conventions: { number: number; line: number; how: string }[] = [];
  const seenNumbers = new Map<number, number>();
  for (const r of raws) {
    const where = `Câu ${r.number} (đoạn ${r.line})`;
    const prev = seenNumbers.get(r.number);
    if (prev !== undefined) {
      issues.list.push({
        row: r.line,
        code: 'DOCX_NUMBER_REPEATED',
        message: `${where}: số câu trùng với câu ở đoạn ${prev}; bảng đáp án (nếu có) sẽ không dùng được cho câu này`,
        severity: 'warning',
      });
    }
    seenNumbers.set(r.number, r.line);
    const allText = [...r.stem.map(textOf), ...r.options.map((o) => textOf(o.nodes)), ...[...r.fields.values()].map(textOf)].join(
      ' ',
    );
    if (allText.includes(EQUATION)) {
      issues.error(
        r.line,
        undefined,
        'DOCX_EQUATION',
        `${where}: có công thức (Equation) không đọc được; hãy chuyển công thức thành ảnh hoặc chữ`,
      );
      continue;
    }
    if (allText.includes(OBJECT)) {
      issues.error(
        r.line,
        undefined,
        'DOCX_OBJECT',
        `${where}: có đối tượng nhúng (OLE, MathType…) không đọc được; hãy chuyển thành ảnh`,
      );
      continue;
    }
    if (r.options.length < 2) {
      issues.error(r.line, undefined, 'DOCX_NO_OPTIONS', `${where}: không tìm thấy các phương án "A.", "B."…`);
      continue;
    }
    const letters = r.options.map((o) => o.letter);
    const expected = letters.map((_l, i) => optionIdAt(i));
    if (letters.join('') !== expected.join('')) {
      issues.error(
        r.line,
        undefined,
        'DOCX_OPTION_ORDER',
        `${where}: các phương án phải theo thứ tự ${expected.join(', ')} (gặp ${letters.join(', ')})`,
      );
      continue;
    }

    // the key: a "Đáp án:" line, the answer key, else marks some options have and others not
    let right: Set<number> | undefined;
    let how: string | undefined;
    let strip: Mark | undefined;
    const line = r.fields.get('dap an');
    const lettersToIdx = (ls: string[]) =>
      new Set(ls.map((l) => l.charCodeAt(0) - 65).filter((i) => i >= 0 && i < r.options.length));
    if (line) {
      const ls = textOf(line).toUpperCase().match(/[A-H]/g) ?? [];
      right = lettersToIdx(ls);
      how = MARK_LABEL.line;
    } else if (key.has(r.number) && prev === undefined) {
      right = lettersToIdx(key.get(r.number) ?? []);
      how = MARK_LABEL.key;
    }
    const starred = r.options.flatMap((o, i) => (o.star ? [i] : []));
    if (!right && starred.length > 0 && starred.length < r.options.length) {
      right = new Set(starred);
      how = MARK_LABEL.star;
    }
    if (!right) {
      for (const mark of ['underline', 'red', 'bold'] as const) {
        const marked = r.options.flatMap((o, i) => {
          const chars = markedChars(o.nodes);
          const text = textOf(o.nodes);
          const visible = [...text].flatMap((c, k) => (c.trim() === '' ? [] : [chars[k]]));
          const letter = visible[0];
          const all = visible.length > 0 && visible.every((s) => s?.has(mark));
          return letter?.has(mark) || all ? [i] : [];
        });
        if (marked.length > 0 && marked.length < r.options.length) {
          right = new Set(marked);
          how = MARK_LABEL[mark];
          strip = mark;
          break;
        }
      }
    }
    if (!right || right.size === 0) {
      issues.error(
        r.line,
        undefined,
        'DOCX_NO_KEY',
        `${where}: không nhận ra đáp án đúng (gạch chân, in đậm, màu đỏ, dấu *, dòng "Đáp án:" hoặc bảng đáp án cuối tệp)`,
      );
      continue;
    }

    const qTopic = r.topic ?? opts.defaultTopic;
    const fieldText = (k: string) => {
      const v = r.fields.get(k);
      return v ? textOf(v).trim() : '';
    };
    const difficulty = fieldText('muc do') ? DIFFICULTY_LOOKUP.get(fieldText('muc do')) : opts.defaultDifficulty;
    if (!qTopic) {
      issues.error(
        r.line,
        'topic',
        'TOPIC_REQUIRED',
        `${where}: chưa có chuyên đề (dòng "Chuyên đề:" hoặc chuyên đề mặc định khi nhập)`,
      );
      continue;
    }
    if (!difficulty) {
      issues.error(
        r.line,
        'difficulty',
        fieldText('muc do') ? 'DIFFICULTY_INVALID' : 'DIFFICULTY_REQUIRED',
        fieldText('muc do')
          ? `${where}: mức độ "${fieldText('muc do')}" không hợp lệ`
          : `${where}: chưa có mức độ; hãy chọn mức độ mặc định khi nhập`,
      );
      continue;
    }
    const optionHtml = (o: RawOption) => {
      const m = OPTION_START.exec(textOf(o.nodes));
      const nodes = sliceText(o.nodes, m?.[0].length ?? 0, Number.MAX_SAFE_INTEGER);
      return html(strip ? unmark(nodes, strip) : nodes);
    };
    const options: BankOption[] = r.options.map((o, i) => ({ text: optionHtml(o), correct: right.has(i) }));
    const pinned = new Set((fieldText('co dinh').toUpperCase().match(/[A-H]/g) ?? []).map((l) => l.charCodeAt(0) - 65));
    for (const i of pinned) {
      const o = options[i];
      if (o) o.pinned = true;
    }
    const stem = r.stem
      .map((nodes) => {
        const first = nodes[0];
        return first && ['table', 'ol', 'ul'].includes(tagOf(first)) && nodes.length === 1
          ? html(nodes)
          : `<p>${html(nodes)}</p>`;
      })
      .filter((s) => s !== '<p></p>')
      .join('');
    const typeLabel = fieldText('loai');
    const typed = typeLabel ? TYPE_LOOKUP.get(typeLabel) : undefined;
    const type = typed ?? (isTrueFalseText(options.map((o) => o.text)) ? 'true_false' : right.size > 1 ? 'multiple' : 'single');
    const q: BankQuestion = {
      ref: '',
      type,
      topic: qTopic,
      difficulty,
      stem,
      options:
        type === 'true_false' && isTrueFalseText(options.map((o) => o.text))
          ? trueFalseOptions(options[0]?.correct ?? true)
          : options,
    };
    if (type === 'multiple' && BOOL_LOOKUP.get(fieldText('cham tung phan')) === 'yes') q.partialCredit = true;
    q.ref = refs.make(q, fieldText('ma cau hoi') || undefined);
    const title = fieldText('tieu de');
    if (title) q.title = title.slice(0, 255);
    const expl = r.fields.get('giai thich');
    if (expl && textOf(expl).trim()) q.explanation = html(expl);
    if (fieldText('can cu phap ly')) q.legalBasis = fieldText('can cu phap ly');
    const tags = fieldText('tu khoa')
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean);
    if (tags.length) q.tags = tags;
    const status = fieldText('trang thai') ? STATUS_LOOKUP.get(fieldText('trang thai')) : undefined;
    if (status) q.status = status;
    questions.push(withSourceRow(q, r.line));
    conventions.push({ number: r.number, line: r.line, how: how ?? '' });
  }
  // which convention each question used, as ranges ("Câu 1–40: chữ gạch chân")
  for (let i = 0; i < conventions.length; ) {
    const first = conventions[i];
    if (!first) break;
    let j = i;
    while (conventions[j + 1]?.how === first.how) j++;
    const last = conventions[j] ?? first;
    issues.list.push({
      row: first.line,
      code: 'DOCX_KEY_SOURCE',
      message: `${first.number === last.number ? `Câu ${first.number}` : `Câu ${first.number}–${last.number}`}: đáp án đúng theo ${first.how}`,
      severity: 'info',
    });
    i = j + 1;
  }
  return { topics: [...declared, ...cats.created], questions, issues: issues.list };
}

// ---------------------------------------------------------------- writing

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
  const tree = parser.parse(`<root>${htmlText}</root>`) as unknown;
  const root = Array.isArray(tree) ? tree.find((n) => isRecord(n) && 'root' in n) : undefined;
  const top = isRecord(root) ? kids(root) : [];
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
