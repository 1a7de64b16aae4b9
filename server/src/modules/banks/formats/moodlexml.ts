/**
 * Moodle XML (Moodle's own question format), read with fast-xml-parser.
 *
 * Import:
 *  - `category` questions: the path ("$course$/top/A/B") becomes nested topics (CategoryTopics:
 *    matched by name to the subject's topics, else created with the category's idnumber when it
 *    is a clean code, else a short generated code);
 *  - `multichoice`: `<single>` true → single (right = fraction 100), false → multiple (right =
 *    positive fraction; partial credit when a wrong answer weighs between −100 and 0);
 *  - `truefalse` → true_false;
 *  - `<name>` → title (shown and searched; not the ref unless it equals the idnumber);
 *    `<idnumber>` → ref, else a ref generated from the content; `<generalfeedback>` → explanation;
 *    `<tags>` → tags;
 *  - files: `@@PLUGINFILE@@/name` in the text and the `<file name encoding="base64">` beside it
 *    become images in the image store; a file that is not an image is reported as a warning;
 *  - every other type (essay, shortanswer, numerical, matching, cloze, description…) is reported
 *    as skipped with its type and name. Questions are numbered in the report by the line of
 *    their `<question>` element.
 * Fields Moodle has no place for travel as tags with the prefix `vn-exam:` (difficulty, legal
 * basis, status, pinned options), so that our export → import gives back an equal bank.
 *
 * Export: one category per topic (path of topic names, idnumber = topic code), then its questions;
 * the images a text shows travel with it as Moodle writes them (`@@PLUGINFILE@@/<sha256>.png` and a
 * base64 `<file>`), so the file imports into Moodle and back here with the same image bytes.
 */
import {
  type BankFile,
  type BankOption,
  type BankQuestion,
  DIFFICULTIES,
  type Difficulty,
  optionIdAt,
  type ParsedImport,
  QUESTION_STATUSES,
  type QuestionStatus,
} from '@exam/shared';
import { XMLParser } from 'fast-xml-parser';
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
import { asBuffer, type ExportImages, imageFileName, relinkImages } from './exportImages.js';
import {
  asArray,
  cdata,
  elementLines,
  imageDataUri,
  isRecord,
  plainToHtml,
  str,
  xmlEscape,
  xmlSyntaxError,
} from './xmlCommon.js';

const TAG_PREFIX = 'vn-exam:';
const SKIPPED: Record<string, string> = {
  essay: 'tự luận (essay)',
  shortanswer: 'trả lời ngắn (shortanswer)',
  numerical: 'số (numerical)',
  matching: 'ghép nối (matching)',
  multianswer: 'điền khuyết (cloze)',
  description: 'mô tả (description)',
  calculated: 'tính toán (calculated)',
  ddwtos: 'kéo thả (ddwtos)',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['question', 'answer', 'file', 'tag'].includes(name),
  // callbacks get the path matcher, not its string: building that string for every tag costs a fifth of the parse
  jPath: false,
});

/** The `<text>` of a Moodle text field, as HTML, with its files resolved. */
function fieldHtml(field: unknown, warn: (msg: string) => void): string {
  if (!isRecord(field)) return str(field).trim();
  const format = str(field['@_format']);
  let text = str(field.text).trim();
  if (format === 'plain_text' || format === 'markdown') text = plainToHtml(text);
  const files = new Map<string, string | null>();
  for (const f of asArray(field.file)) {
    if (!isRecord(f)) continue;
    const name = str(f['@_name']);
    const data = str(f['#text']).replace(/\s+/g, '');
    files.set(name, str(f['@_encoding']) === 'base64' ? imageDataUri(Buffer.from(data, 'base64')) : null);
  }
  return text.replace(/@@PLUGINFILE@@\/([^"'\s)>]+)/g, (_m, raw: string) => {
    let name = raw;
    try {
      name = decodeURIComponent(raw);
    } catch {
      // a name that is not URL-encoded is used as it is
    }
    const uri = files.get(name) ?? files.get(raw);
    if (uri) return uri;
    warn(
      files.has(name) || files.has(raw)
        ? `Tệp "${name}" không phải ảnh PNG, JPEG, GIF hoặc WebP nên không được giữ lại`
        : `Tệp "${name}" được nhắc đến nhưng không có trong tệp XML`,
    );
    return '';
  });
}

function difficultyOf(v: string): Difficulty | undefined {
  return DIFFICULTIES.find((d) => d === v);
}
function statusOf(v: string): QuestionStatus | undefined {
  return QUESTION_STATUSES.find((s) => s === v);
}

export function parseMoodleXml(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  const text = decoded.text;
  const syntax = xmlSyntaxError(text);
  if (syntax) {
    issues.error(0, undefined, 'XML_SYNTAX', `Tệp XML không hợp lệ ở dòng ${syntax.line}: ${syntax.message}`);
    return { topics: [], questions: [], issues: issues.list };
  }
  const doc: unknown = parser.parse(text);
  const quiz = isRecord(doc) ? doc.quiz : undefined;
  if (!isRecord(quiz)) {
    issues.error(0, undefined, 'MOODLE_XML_INVALID', 'Tệp không phải Moodle XML (không có phần tử <quiz>)');
    return { topics: [], questions: [], issues: issues.list };
  }
  const lines = elementLines(text, 'question');
  const cats = new CategoryTopics(opts.existingTopics);
  const refs = new RefMaker('MXML');
  let topic = opts.defaultTopic;

  asArray(quiz.question).forEach((node, index) => {
    const line = lines[index] ?? index + 1;
    if (!isRecord(node)) return;
    const type = str(node['@_type']);
    if (type === 'category') {
      const cat = isRecord(node.category) ? node.category : {};
      const path = categorySegments(str(cat.text));
      const idnumber = str(node.idnumber).trim() || undefined;
      topic = path.length
        ? cats.codeFor(
            path,
            path.map((_p, i) => (i === path.length - 1 ? idnumber : undefined)),
          )
        : opts.defaultTopic;
      return;
    }
    const name = str(isRecord(node.name) ? node.name.text : node.name).trim();
    if (type !== 'multichoice' && type !== 'truefalse') {
      issues.skipped(
        line,
        undefined,
        'MOODLE_UNSUPPORTED_TYPE',
        `Câu hỏi "${name}" dạng ${SKIPPED[type] ?? type} không được hỗ trợ, đã bỏ qua`,
      );
      return;
    }
    const warn = (msg: string) => issues.list.push({ row: line, code: 'MOODLE_FILE_DROPPED', message: msg, severity: 'warning' });
    const tags: string[] = [];
    let difficulty = opts.defaultDifficulty;
    let legalBasis = '';
    let status: QuestionStatus | undefined;
    const pinned = new Set<string>();
    const tagsNode = isRecord(node.tags) ? node.tags : {};
    for (const t of asArray(tagsNode.tag)) {
      const v = str(isRecord(t) ? t.text : t).trim();
      if (!v.startsWith(TAG_PREFIX)) {
        if (v) tags.push(v);
        continue;
      }
      const [key, ...rest] = v.slice(TAG_PREFIX.length).split('=');
      const value = rest.join('=');
      if (key === 'muc-do') difficulty = difficultyOf(value) ?? difficulty;
      else if (key === 'can-cu') legalBasis = value;
      else if (key === 'trang-thai') status = statusOf(value);
      else if (key === 'co-dinh') for (const l of value.split(',')) pinned.add(l.trim());
      else tags.push(v);
    }
    if (!topic) {
      issues.error(
        line,
        'topic',
        'TOPIC_REQUIRED',
        'Câu hỏi không thuộc nhóm (category) nào; hãy chọn chuyên đề mặc định khi nhập',
      );
      return;
    }
    if (!difficulty) {
      issues.error(
        line,
        'difficulty',
        'DIFFICULTY_REQUIRED',
        'Tệp Moodle XML không ghi mức độ; hãy chọn mức độ mặc định khi nhập',
      );
      return;
    }
    const stem = fieldHtml(node.questiontext, warn);
    const answers = asArray(node.answer).filter(isRecord);
    const fraction = (a: Record<string, unknown>) => Number(str(a['@_fraction']) || '0');
    let q: BankQuestion;
    if (type === 'truefalse') {
      const right = answers.find((a) => fraction(a) > 0);
      const isTrue = str(right?.text).trim().toLowerCase() === 'true';
      q = { ref: '', type: 'true_false', topic, difficulty, stem, options: trueFalseOptions(isTrue) };
    } else {
      const single = str(node.single).trim().toLowerCase() !== 'false' && str(node.single).trim() !== '0';
      let partial = false;
      const options: BankOption[] = answers.map((a, i) => {
        const f = fraction(a);
        if (f < 0 && f > -100) partial = true;
        const o: BankOption = { text: fieldHtml(a, warn), correct: single ? f >= 99.9 : f > 0 };
        if (pinned.has(optionIdAt(i))) o.pinned = true;
        return o;
      });
      q = { ref: '', type: single ? 'single' : 'multiple', topic, difficulty, stem, options };
      if (!single && partial) q.partialCredit = true;
    }
    const idnumber = str(node.idnumber).trim();
    q.ref = refs.make(q, idnumber || undefined);
    if (name && name !== q.ref) q.title = name.slice(0, 255);
    const explanation = fieldHtml(node.generalfeedback, warn);
    if (explanation) q.explanation = explanation;
    if (legalBasis) q.legalBasis = legalBasis;
    if (tags.length) q.tags = tags;
    if (status) q.status = status;
    questions.push(withSourceRow(q, line));
  });
  return { topics: cats.created, questions, issues: issues.list };
}

// ---------------------------------------------------------------- export

/**
 * A text and the images it shows as Moodle writes them (question/format/xml/format.php, write_files):
 * `@@PLUGINFILE@@/name` in the text and `<file name path="/" encoding="base64">` beside it.
 */
function textAndFiles(html: string, images: ExportImages | undefined): string {
  const r = relinkImages(html, images, (img) => `@@PLUGINFILE@@/${imageFileName(img.id, img.mime)}`);
  const files = r.used.map(
    (img) =>
      `<file name="${imageFileName(img.id, img.mime)}" path="/" encoding="base64">${asBuffer(img.bytes).toString('base64')}</file>`,
  );
  return `<text>${r.html ? cdata(r.html) : ''}</text>${files.join('')}`;
}

function textField(tag: string, html: string, images: ExportImages | undefined): string {
  return `<${tag} format="html">${textAndFiles(html, images)}</${tag}>`;
}

function pct(n: number): string {
  return String(Number(n.toFixed(5)));
}

function moodleQuestion(q: BankQuestion, images: ExportImages | undefined): string {
  const out: string[] = [];
  out.push(`  <question type="${q.type === 'true_false' ? 'truefalse' : 'multichoice'}">`);
  out.push(`    <name><text>${xmlEscape(q.title || q.ref)}</text></name>`);
  out.push(`    ${textField('questiontext', q.stem, images)}`);
  out.push(`    ${textField('generalfeedback', q.explanation ?? '', images)}`);
  out.push('    <defaultgrade>1.0000000</defaultgrade>');
  out.push(`    <penalty>${q.type === 'true_false' ? '1.0000000' : '0.3333333'}</penalty>`);
  out.push('    <hidden>0</hidden>');
  out.push(`    <idnumber>${xmlEscape(q.ref)}</idnumber>`);
  if (q.type === 'true_false') {
    const isTrue = q.options[0]?.correct ?? true;
    out.push(
      `    <answer fraction="${isTrue ? 100 : 0}" format="moodle_auto_format"><text>true</text><feedback format="html"><text></text></feedback></answer>`,
    );
    out.push(
      `    <answer fraction="${isTrue ? 0 : 100}" format="moodle_auto_format"><text>false</text><feedback format="html"><text></text></feedback></answer>`,
    );
  } else {
    const single = q.type === 'single';
    const k = Math.max(1, q.options.filter((o) => o.correct).length);
    out.push(`    <single>${single ? 'true' : 'false'}</single>`);
    out.push('    <shuffleanswers>true</shuffleanswers>');
    out.push('    <answernumbering>ABCD</answernumbering>');
    for (const o of q.options) {
      const f = single ? (o.correct ? '100' : '0') : o.correct ? pct(100 / k) : q.partialCredit ? pct(-100 / k) : '-100';
      out.push(
        `    <answer fraction="${f}" format="html">${textAndFiles(o.text, images)}<feedback format="html"><text></text></feedback></answer>`,
      );
    }
  }
  const tags = [...(q.tags ?? [])];
  tags.push(`${TAG_PREFIX}muc-do=${q.difficulty}`);
  if (q.legalBasis) tags.push(`${TAG_PREFIX}can-cu=${q.legalBasis}`);
  if (q.status) tags.push(`${TAG_PREFIX}trang-thai=${q.status}`);
  const pinned = q.options.flatMap((o, i) => (o.pinned ? [optionIdAt(i)] : []));
  if (pinned.length) tags.push(`${TAG_PREFIX}co-dinh=${pinned.join(',')}`);
  out.push(`    <tags>${tags.map((t) => `<tag><text>${xmlEscape(t)}</text></tag>`).join('')}</tags>`);
  out.push('  </question>');
  return out.join('\n');
}

export function exportMoodleXml(bank: BankFile, images?: ExportImages): Buffer {
  const topics = new Map(bank.topics.map((t) => [t.code, t]));
  const byTopic = new Map<string, BankQuestion[]>();
  // parents before children, so that a child's path finds its parent by name (and keeps its code)
  const depth = (code: string) => topicPath(code, topics).length;
  for (const t of [...bank.topics].sort((a, b) => depth(a.code) - depth(b.code))) byTopic.set(t.code, []);
  for (const q of bank.questions) {
    const list = byTopic.get(q.topic);
    if (list) list.push(q);
    else byTopic.set(q.topic, [q]);
  }
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${xmlEscape(`${bank.subject.code} — ${bank.subject.name}`)} -->`,
    '<quiz>',
  ];
  for (const [code, qs] of byTopic) {
    const path = topicPath(code, topics).map((c) => (topics.get(c)?.name ?? c).replace(/\//g, '//'));
    parts.push('  <question type="category">');
    parts.push(`    <category><text>${xmlEscape(`$course$/top/${path.join('/')}`)}</text></category>`);
    parts.push(`    <info format="html"><text></text></info>`);
    parts.push(`    <idnumber>${xmlEscape(code)}</idnumber>`);
    parts.push('  </question>');
    for (const q of qs) parts.push(moodleQuestion(q, images));
  }
  parts.push('</quiz>');
  return Buffer.from(`${parts.join('\n')}\n`, 'utf8');
}
