/**
 * Reading a Word file in the boards' convention (docx.ts describes it): mammoth turns it into
 * HTML, the HTML into blocks (paragraphs, tables, lists), the blocks into questions.
 */
import { type BankOption, type BankQuestion, type BankTopic, optionIdAt, type ParsedImport } from '@exam/shared';
import mammoth from 'mammoth';
import { checkZip, IMPORT_MAX_ZIP_ENTRIES } from '../../imports/limits.js';
import { BOOL_LOOKUP, DIFFICULTY_LOOKUP, STATUS_LOOKUP, TYPE_LOOKUP } from './columns.js';
import {
  CategoryTopics,
  fold,
  Issues,
  isTrueFalseText,
  type ParsedQuestion,
  type ParseOptions,
  RefMaker,
  trueFalseOptions,
  withSourceRow,
} from './common.js';
import {
  html,
  kids,
  MARK_LABEL,
  type Mark,
  markedChars,
  normalizeTable,
  type ONode,
  sliceText,
  tagOf,
  textOf,
  topNodes,
  unmark,
} from './docxNodes.js';
import { docxPieces, EQUATION, OBJECT, PIECE_BYTES } from './docxPieces.js';

interface Block {
  /** paragraph number in the document (1-based), what the report calls "đoạn" */
  line: number;
  kind: 'p' | 'table' | 'list';
  nodes: ONode[];
  text: string;
}

/** The blocks of one piece's HTML appended to `blocks`, numbered on from `line`; the last number used. */
function toBlocks(htmlText: string, blocks: Block[], first: number): number {
  const top = topNodes(htmlText);
  let line = first;
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
  return line;
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

/** `pieceBytes`: the size of the pieces mammoth reads (docxPieces.ts); tests set it small. */
export async function parseDocx(data: Buffer, opts: ParseOptions = {}, pieceBytes = PIECE_BYTES): Promise<ParsedImport> {
  const issues = new Issues();
  if (!checkZip(data, IMPORT_MAX_ZIP_ENTRIES, 'Tệp Word')) {
    issues.error(
      0,
      undefined,
      'DOCX_INVALID',
      'Không đọc được tệp Word (.docx); hãy lưu lại tệp dạng "Word Document (.docx)" (không phải .doc cũ)',
    );
    return { topics: [], questions: [], issues: issues.list };
  }
  // read piece by piece (docxPieces.ts): mammoth's memory stays bounded whatever the file's size
  const blocks: Block[] = [];
  try {
    let line = 0;
    for (const piece of docxPieces(data, pieceBytes)) {
      const r = await mammoth.convertToHtml(
        { buffer: piece },
        { styleMap: ['u => u', 'b => b', 'i => i', "highlight[color='red'] => mark"], convertImage: mammoth.images.dataUri },
      );
      line = toBlocks(r.value, blocks, line);
    }
  } catch {
    issues.error(0, undefined, 'DOCX_INVALID', 'Không đọc được tệp Word (.docx); tệp có thể bị hỏng');
    return { topics: [], questions: [], issues: issues.list };
  }

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
