/**
 * GIFT (Moodle), through the gift-pegjs parser.
 *
 * Import: the source is split into blank-line separated blocks and each block is parsed on its
 * own, so every question's line is known and one bad block does not hide the others (row = line
 * of the block's first non-comment line; syntax errors point at the exact line). Supported:
 *  - multiple choice with "=" right answer(s) → single;
 *  - multiple choice without "=" and with weights (~%50%…) → multiple, right = positive weight;
 *    partialCredit when some wrong option has a weight between −100 % and 0 % (a wrong option
 *    at −100 % means any mistake scores 0, i.e. all-or-nothing);
 *  - true/false ({T} {F} {TRUE} {FALSE}) → true_false.
 * `::title::` becomes the ref (else `// [id:…]`, else GIFT-<content hash>); `// [tag:…]` → tags;
 * general feedback (####) → explanation; `$CATEGORY: a/b/c` sets topic "c" (code and name) for the
 * questions that follow, else ParseOptions.defaultTopic; difficulty is ParseOptions.defaultDifficulty.
 * Essay, matching, numeric, short answer and description items are reported as 'skipped'.
 *
 * Export: all three types, one $CATEGORY per topic (path of topic codes through the parents),
 * text as [html] with GIFT special characters escaped and newlines written as \n. Multiple-answer:
 * right options weigh 100/k % each (k = number of right options); wrong ones −100/k % with
 * partial credit (Moodle then grades exactly like our partial credit) or −100 % without.
 * Topic names, difficulty, pinned, legal basis and status are not part of the format.
 */
import type { BankFile, BankOption, BankQuestion, BankTopic, ParsedImport } from '@exam/shared';
import { type GIFTQuestion, parse as parseGiftText, type TextChoice } from 'gift-pegjs';
import {
  contentRef,
  decodeUtf8,
  Issues,
  type ParsedQuestion,
  type ParseOptions,
  REF_MAX,
  TOPIC_CODE_MAX,
  topicPath,
  trueFalseOptions,
  withSourceRow,
} from './common.js';

const CATEGORY_LINE = /^\s*\$CATEGORY:\s*(.*)$/;
const COMMENT_LINE = /^\s*\/\//;

const SKIPPED_TYPES: Record<string, string> = {
  Essay: 'tự luận (Essay)',
  Matching: 'ghép nối (Matching)',
  Numerical: 'số (Numerical)',
  Short: 'trả lời ngắn (Short answer)',
  Description: 'mô tả (Description)',
};

interface Segment {
  /** Line of the first source line of the segment (1-based). */
  start: number;
  lines: string[];
}

/** Blank-line separated blocks, with $CATEGORY lines split off into their own segments. */
function segments(src: string): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | undefined;
  src.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() === '') {
      cur = undefined;
      return;
    }
    if (CATEGORY_LINE.test(line)) {
      out.push({ start: i + 1, lines: [line] });
      cur = undefined;
      return;
    }
    if (!cur) {
      cur = { start: i + 1, lines: [] };
      out.push(cur);
    }
    cur.lines.push(line);
  });
  return out;
}

/** Last segment of a Moodle category path ("$course$/top/Hiến pháp" → "Hiến pháp"; "//" is a literal "/"). */
function categoryTopic(path: string): string {
  const segments: string[] = [];
  path.split('//').forEach((group, k) => {
    const parts = group.split('/');
    if (k > 0 && segments.length > 0) segments[segments.length - 1] += `/${parts.shift() ?? ''}`;
    segments.push(...parts);
  });
  const named = segments.map((p) => p.trim()).filter((p) => p !== '');
  return named[named.length - 1] ?? '';
}

export function parseGift(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  const topics = new Map<string, BankTopic>();
  let topic = opts.defaultTopic;

  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  for (const seg of segments(decoded.text)) {
    const cat = CATEGORY_LINE.exec(seg.lines[0] ?? '');
    if (cat) {
      const code = categoryTopic(cat[1] ?? '');
      if (code === '') {
        topic = opts.defaultTopic;
      } else if (code.length > TOPIC_CODE_MAX) {
        issues.error(
          seg.start,
          'topic',
          'TOPIC_CODE_TOO_LONG',
          `Tên nhóm "${code}" dài quá ${TOPIC_CODE_MAX} ký tự, không dùng làm mã chuyên đề được`,
        );
        topic = undefined;
      } else {
        topic = code;
        if (!topics.has(code)) topics.set(code, { code, name: code });
      }
      continue;
    }
    const firstText = seg.lines.findIndex((l) => !COMMENT_LINE.test(l));
    if (firstText < 0) continue; // only comments
    const line = seg.start + firstText;

    let items: GIFTQuestion[];
    try {
      items = parseGiftText(seg.lines.join('\n'));
    } catch (e) {
      const loc = syntaxLocation(e);
      const at = loc ? seg.start + loc.line - 1 : line;
      issues.error(
        at,
        undefined,
        'GIFT_SYNTAX',
        `Lỗi cú pháp GIFT${loc ? ` ở dòng ${at}, cột ${loc.column}` : ''}; câu hỏi bắt đầu ở dòng ${line} bị bỏ qua${e instanceof Error ? ` (${e.message})` : ''}`,
      );
      continue;
    }

    for (const item of items) {
      if (item.type === 'Category') {
        const code = categoryTopic(item.title);
        topic = code || opts.defaultTopic;
        if (code && !topics.has(code)) topics.set(code, { code, name: code });
        continue;
      }
      if (item.type !== 'MC' && item.type !== 'TF') {
        issues.skipped(
          line,
          undefined,
          'GIFT_UNSUPPORTED_TYPE',
          `Câu hỏi dạng ${SKIPPED_TYPES[item.type] ?? item.type} không được hỗ trợ, đã bỏ qua`,
        );
        continue;
      }
      let bad = false;
      if (!topic) {
        issues.error(
          line,
          'topic',
          'TOPIC_REQUIRED',
          'Câu hỏi không thuộc nhóm ($CATEGORY) nào; hãy chọn chuyên đề mặc định khi nhập',
        );
        bad = true;
      }
      if (!opts.defaultDifficulty) {
        issues.error(line, 'difficulty', 'DIFFICULTY_REQUIRED', 'Tệp GIFT không ghi mức độ; hãy chọn mức độ mặc định khi nhập');
        bad = true;
      }
      if (bad || !topic || !opts.defaultDifficulty) continue;

      const stem = item.stem.text;
      let q: BankQuestion;
      if (item.type === 'TF') {
        q = {
          ref: '',
          type: 'true_false',
          topic,
          difficulty: opts.defaultDifficulty,
          stem,
          options: trueFalseOptions(item.isTrue),
        };
      } else {
        const single = item.choices.some((c) => c.isCorrect);
        const options: BankOption[] = item.choices.map((c) => ({
          text: c.text.text,
          correct: single ? c.isCorrect : weight(c) > 0,
        }));
        q = { ref: '', type: single ? 'single' : 'multiple', topic, difficulty: opts.defaultDifficulty, stem, options };
        if (!single && item.choices.some((c) => weight(c) < 0 && weight(c) > -100)) q.partialCredit = true;
      }
      const title = item.title?.trim();
      const id = item.id?.trim();
      q.ref = title && title.length <= REF_MAX ? title : id && id.length <= REF_MAX ? id : contentRef('GIFT', q);
      if (item.globalFeedback?.text) q.explanation = item.globalFeedback.text;
      if (item.tags && item.tags.length > 0) q.tags = [...item.tags];
      questions.push(withSourceRow(q, line));
    }
  }
  return { topics: [...topics.values()], questions, issues: issues.list };
}

function weight(c: TextChoice): number {
  return c.weight ?? (c.isCorrect ? 100 : 0);
}

function syntaxLocation(e: unknown): { line: number; column: number } | undefined {
  if (!e || typeof e !== 'object' || !('location' in e)) return undefined;
  const loc = e.location;
  if (!loc || typeof loc !== 'object' || !('start' in loc)) return undefined;
  const start = loc.start;
  if (!start || typeof start !== 'object' || !('line' in start) || !('column' in start)) return undefined;
  return typeof start.line === 'number' && typeof start.column === 'number'
    ? { line: start.line, column: start.column }
    : undefined;
}

// ---------------------------------------------------------------- export

/** Escape GIFT special characters and keep the text on one line. */
export function giftEscape(s: string): string {
  return s.replace(/[~=#{}:]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
}

function pct(n: number): string {
  return String(Number(n.toFixed(5)));
}

function giftQuestion(q: BankQuestion): string {
  const out: string[] = [];
  if (q.tags && q.tags.length > 0) out.push(`// ${q.tags.map((t) => `[tag:${t.replace(/[\]\r\n]/g, ' ')}]`).join(' ')}`);
  const head = `::${giftEscape(q.ref)}::[html]${giftEscape(q.stem)}`;
  const feedback = q.explanation ? `####${giftEscape(q.explanation)}` : '';
  if (q.type === 'true_false') {
    const isTrue = q.options[0]?.correct ?? true;
    out.push(`${head}{${isTrue ? 'TRUE' : 'FALSE'}${feedback}}`);
    return out.join('\n');
  }
  out.push(`${head}{`);
  if (q.type === 'single') {
    for (const o of q.options) out.push(`${o.correct ? '=' : '~'}${giftEscape(o.text)}`);
  } else {
    const k = q.options.filter((o) => o.correct).length;
    const right = pct(100 / Math.max(1, k));
    const wrong = q.partialCredit ? pct(-100 / Math.max(1, k)) : '-100';
    for (const o of q.options) out.push(`~%${o.correct ? right : wrong}%${giftEscape(o.text)}`);
  }
  if (feedback) out.push(feedback);
  out.push('}');
  return out.join('\n');
}

export function exportGift(bank: BankFile): Buffer {
  const topics = new Map(bank.topics.map((t) => [t.code, t]));
  const byTopic = new Map<string, BankQuestion[]>();
  for (const q of bank.questions) {
    const list = byTopic.get(q.topic);
    if (list) list.push(q);
    else byTopic.set(q.topic, [q]);
  }
  const parts: string[] = [`// ${bank.subject.code} — ${bank.subject.name} (${bank.format})`];
  for (const [code, qs] of byTopic) {
    const t = topics.get(code);
    parts.push(
      `// ${t ? `${t.code}: ${t.name}` : code}\n$CATEGORY: ${topicPath(code, topics)
        .map((c) => c.replace(/\//g, '//'))
        .join('/')}`,
    );
    for (const q of qs) parts.push(giftQuestion(q));
  }
  return Buffer.from(`${parts.join('\n\n')}\n`, 'utf8');
}
