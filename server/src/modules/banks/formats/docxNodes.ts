/**
 * The HTML that mammoth makes of a Word file, as fast-xml-parser's ordered node lists: walking,
 * slicing by character offsets, the marks (underline, bold, red) over each character, and tables
 * put in the shape the question editor writes. Shared by the Word reader (docxParse.ts) and
 * writer (docxWrite.ts).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { isRecord, str } from './xmlCommon.js';

export type ONode = Record<string, unknown>;

export const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  // callbacks get the path matcher, not its string: building that string for every tag costs a fifth of the parse
  jPath: false,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
});

/** The top-level nodes of an HTML fragment. */
export function topNodes(htmlText: string): ONode[] {
  const tree: unknown = parser.parse(`<root>${htmlText}</root>`);
  const root = Array.isArray(tree) ? tree.find((n) => isRecord(n) && 'root' in n) : undefined;
  return isRecord(root) ? kids(root) : [];
}

export function tagOf(n: ONode): string {
  return Object.keys(n).find((k) => k !== ':@') ?? '';
}
export function kids(n: ONode): ONode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}
export function textOf(nodes: ONode[]): string {
  return nodes.map((n) => (tagOf(n) === '#text' ? str(n['#text']) : tagOf(n) === 'br' ? '\n' : textOf(kids(n)))).join('');
}
export function html(nodes: ONode[]): string {
  const s: unknown = builder.build(nodes);
  return typeof s === 'string' ? s.trim() : '';
}

/** The nodes holding only the characters [start, end) of their text (tags kept around what stays). */
export function sliceText(nodes: ONode[], start: number, end: number): ONode[] {
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

export type Mark = 'underline' | 'bold' | 'red';
export const MARK_TAGS: Record<string, Mark> = { u: 'underline', strong: 'bold', b: 'bold', mark: 'red' };
export const MARK_LABEL: Record<Mark | 'star' | 'key' | 'line', string> = {
  underline: 'chữ gạch chân',
  bold: 'chữ in đậm',
  red: 'chữ màu đỏ',
  star: 'dấu *',
  key: 'bảng đáp án cuối tệp',
  line: 'dòng "Đáp án:"',
};

/** Marks over each character of the text (for "is this option underlined / bold / red?"). */
export function markedChars(nodes: ONode[], marks: Set<Mark> = new Set(), out: Set<Mark>[] = []): Set<Mark>[] {
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
export function unmark(nodes: ONode[], mark: Mark): ONode[] {
  return nodes.flatMap((n) => {
    const tag = tagOf(n);
    if (tag === '#text' || tag === 'br' || tag === 'img') return [n];
    const inner = unmark(kids(n), mark);
    if (MARK_TAGS[tag] === mark) return inner;
    return [n[':@'] ? { [tag]: inner, ':@': n[':@'] } : { [tag]: inner }];
  });
}

/** mammoth's tables as the editor writes them: rows in tbody, a lone paragraph in a cell unwrapped. */
export function normalizeTable(n: ONode): ONode {
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
