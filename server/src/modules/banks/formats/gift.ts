/**
 * GIFT, read the way Moodle reads it: question/format/gift/format.php (readquestions +
 * readquestion) is the reference, step by step:
 *  - questions are separated by blank lines; whole-line `//` comments are dropped (Moodle 4's
 *    `// [id:…]` and `// [tag:…]` in them give the ref and the tags);
 *  - escapes `\\ \: \# \= \{ \} \~ \n` are replaced by placeholders first and restored last, so an
 *    unescaped ":" in a stem is just a colon (only a leading `::title::` is a title);
 *  - `$CATEGORY: path` sets the category of the questions that follow;
 *  - the answer block is the text between the first `{` and the first `}`; text after it makes a
 *    "missing word" stem (`_____`); `####` in it starts the general feedback (→ explanation);
 *  - the type is decided as Moodle decides it: no braces → description, empty → essay, `#` first
 *    → numerical, a `~` → multiple choice, `=` with `->` → matching, T/F/TRUE/FALSE → true/false,
 *    else short answer. Multiple choice and true/false are imported; every other type is reported
 *    as skipped with its line, never as an error.
 * Multiple choice with an `=` answer is single choice (right = the `=` answers); without one it is
 * multiple answer (right = positive weight `~%50%`), with partial credit when a wrong answer weighs
 * between −100 % and 0 %.
 * A title is a title (kept for display and search), never the ref: the ref is the `[id:…]`, else
 * generated from the content (stable across imports, unique in the file). Categories become
 * nested topics with generated short codes (CategoryTopics), matched by name to the subject's
 * topics; a question before any $CATEGORY needs ParseOptions.defaultTopic.
 *
 * Export: all three types, `// [id:ref]`, `::title::` when there is one, one $CATEGORY per topic
 * (the path of topic names), text as [html] with GIFT special characters escaped.
 */
import type { BankFile, BankOption, BankQuestion, ParsedImport } from '@exam/shared';
import {
  CategoryTopics,
  categorySegments,
  decodeUtf8,
  Issues,
  type ParsedQuestion,
  type ParseOptions,
  RefMaker,
  topicPath,
  trueFalseOptions,
  withSourceRow,
} from './common.js';

const SKIPPED_TYPES: Record<string, string> = {
  description: 'mô tả (Description)',
  essay: 'tự luận (Essay)',
  numerical: 'số (Numerical)',
  match: 'ghép nối (Matching)',
  shortanswer: 'trả lời ngắn (Short answer)',
};

// Moodle's escapedchar_pre / escapedchar_post, with private-use characters as placeholders
const ESCAPES: [string, string, string][] = [
  ['\\:', '\uE001', ':'],
  ['\\#', '\uE002', '#'],
  ['\\=', '\uE003', '='],
  ['\\{', '\uE004', '{'],
  ['\\}', '\uE005', '}'],
  ['\\~', '\uE006', '~'],
  ['\\n', '\uE007', '\n'],
];
const BACKSLASH = '\uE000';

function escapedPre(s: string): string {
  let out = s.split('\\\\').join(BACKSLASH);
  for (const [esc, ph] of ESCAPES) out = out.split(esc).join(ph);
  return out.split(BACKSLASH).join('\\');
}

function escapedPost(s: string): string {
  let out = s;
  for (const [, ph, ch] of ESCAPES) out = out.split(ph).join(ch);
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Moodle's parse_text_with_format: a leading [html] / [moodle] / [plain] / [markdown]. */
function withFormat(raw: string): string {
  const m = /^\s*\[(html|moodle|plain|markdown)\]/.exec(raw);
  const text = escapedPost((m ? raw.slice(m[0].length) : raw).trim());
  if (m && (m[1] === 'plain' || m[1] === 'markdown')) return text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c);
  return text;
}

/** Moodle's commentparser: the text before the first "#" (the rest is per-answer feedback, not kept). */
function answerText(answer: string): string {
  const hash = answer.indexOf('#');
  return hash >= 0 ? answer.slice(0, hash) : answer;
}

const WEIGHT = /^%(-?)\s*([0-9]{1,3}(?:\.[0-9]*)?)%/;

interface Block {
  /** line of the first line that is not a comment */
  line: number;
  lines: string[];
  comments: string[];
}

function blocks(src: string): Block[] {
  const out: Block[] = [];
  let cur: Block | undefined;
  src.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      cur = undefined;
      return;
    }
    if (!cur) {
      cur = { line: 0, lines: [], comments: [] };
      out.push(cur);
    }
    if (line.startsWith('//')) {
      cur.comments.push(line);
      return;
    }
    if (cur.line === 0) cur.line = i + 1;
    cur.lines.push(line);
  });
  return out.filter((b) => b.lines.length > 0);
}

export function parseGift(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  const cats = new CategoryTopics(opts.existingTopics);
  const refs = new RefMaker('GIFT');
  let topic = opts.defaultTopic;

  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  for (const b of blocks(decoded.text)) {
    const line = b.line;
    let text = escapedPre(b.lines.join('\n')).trim();

    if (text.startsWith('$CATEGORY:')) {
      const path = categorySegments(escapedPost(text.slice('$CATEGORY:'.length).trim()));
      topic = path.length ? cats.codeFor(path) : opts.defaultTopic;
      continue;
    }

    let title: string | undefined;
    if (text.startsWith('::')) {
      text = text.slice(2);
      const end = text.indexOf('::');
      if (end >= 0) {
        title = escapedPost(text.slice(0, end)).trim();
        text = text.slice(end + 2).trim();
      }
    }

    const open = text.indexOf('{');
    const close = text.indexOf('}');
    let type: string;
    let answers = '';
    let stemRaw = text;
    let feedback = '';
    if (open < 0 && close < 0) {
      type = 'description';
    } else if (open < 0 || close < 0 || close < open) {
      issues.error(line, undefined, 'GIFT_BRACE', `Câu hỏi ở dòng ${line} thiếu dấu "{" hoặc "}" bao phần đáp án`);
      continue;
    } else {
      answers = text.slice(open + 1, close).trim();
      stemRaw = text.endsWith('}')
        ? text.slice(0, open) + text.slice(close + 1)
        : `${text.slice(0, open)}_____${text.slice(close + 1)}`;
      const gf = answers.lastIndexOf('####');
      if (gf >= 0) {
        feedback = answers.slice(gf + 4);
        answers = answers.slice(0, gf).trim();
      }
      if (answers === '') type = 'essay';
      else if (answers.startsWith('#')) type = 'numerical';
      else if (answers.includes('~')) type = 'multichoice';
      else if (answers.includes('=') && answers.includes('->')) type = 'match';
      else {
        const tf = answers.indexOf('#') > 0 ? answers.slice(0, answers.indexOf('#')).trim() : answers;
        type = ['T', 'TRUE', 'F', 'FALSE'].includes(tf) ? 'truefalse' : 'shortanswer';
      }
    }
    if (type !== 'multichoice' && type !== 'truefalse') {
      issues.skipped(
        line,
        undefined,
        'GIFT_UNSUPPORTED_TYPE',
        `Câu hỏi${title ? ` "${title}"` : ''} ở dòng ${line} dạng ${SKIPPED_TYPES[type] ?? type} không được hỗ trợ, đã bỏ qua`,
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

    const stem = withFormat(stemRaw);
    let q: BankQuestion;
    if (type === 'truefalse') {
      const v = answerText(answers).trim();
      q = {
        ref: '',
        type: 'true_false',
        topic,
        difficulty: opts.defaultDifficulty,
        stem,
        options: trueFalseOptions(v === 'T' || v === 'TRUE'),
      };
    } else {
      const single = answers.includes('=');
      const parts = answers.split('=').join('~=').split('~');
      if ((parts[0] ?? '').trim() === '') parts.shift();
      let partial = false;
      const options: BankOption[] = parts.map((raw) => {
        let a = raw.trim();
        let weight = 0;
        if (a.startsWith('=')) {
          weight = 100;
          a = a.slice(1);
        } else {
          const m = WEIGHT.exec(a);
          if (m) {
            weight = Number(`${m[1]}${m[2]}`);
            a = a.slice(m[0].length);
          }
        }
        if (weight < 0 && weight > -100) partial = true;
        return { text: withFormat(answerText(a)), correct: single ? weight === 100 : weight > 0 };
      });
      q = { ref: '', type: single ? 'single' : 'multiple', topic, difficulty: opts.defaultDifficulty, stem, options };
      if (!single && partial) q.partialCredit = true;
    }
    const meta = b.comments.join(' ');
    const id = /\[id:([^\]]*)\]/.exec(meta)?.[1];
    const tags = [...meta.matchAll(/\[tag:([^\]]*)\]/g)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
    q.ref = refs.make(q, id);
    if (title) q.title = title.slice(0, 255);
    const explanation = withFormat(feedback);
    if (explanation) q.explanation = explanation;
    if (tags.length > 0) q.tags = tags;
    questions.push(withSourceRow(q, line));
  }
  return { topics: cats.created, questions, issues: issues.list };
}

// ---------------------------------------------------------------- export

/** Escape GIFT special characters and keep the text on one line. */
export function giftEscape(s: string): string {
  return s.replace(/[\\~=#{}:]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
}

function pct(n: number): string {
  return String(Number(n.toFixed(5)));
}

function giftQuestion(q: BankQuestion): string {
  const out: string[] = [];
  const meta = [`[id:${q.ref.replace(/[\]\r\n]/g, ' ')}]`, ...(q.tags ?? []).map((t) => `[tag:${t.replace(/[\]\r\n]/g, ' ')}]`)];
  out.push(`// ${meta.join(' ')}`);
  const head = `${q.title ? `::${giftEscape(q.title)}::` : ''}[html]${giftEscape(q.stem)}`;
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
        .map((c) => (topics.get(c)?.name ?? c).replace(/\//g, '//'))
        .join('/')}`,
    );
    for (const q of qs) parts.push(giftQuestion(q));
  }
  return Buffer.from(`${parts.join('\n\n')}\n`, 'utf8');
}
