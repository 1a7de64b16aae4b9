/**
 * The database-free part of a question-bank import: read the file, clean every question (HTML
 * sanitized, NUL characters removed, content rules), check refs, topics and statuses against what
 * the bank already holds. Runs in the import process (imports/worker.ts), so a large or
 * hostile file never holds the event loop that serves the candidates' answers.
 */
import { createHash } from 'node:crypto';
import {
  type BankQuestion,
  type BankTopic,
  type ChoiceOption,
  type Difficulty,
  DifficultySchema,
  type ImportFormat,
  type ImportIssue,
  OptionDto,
  optionIdAt,
  type QuestionTypeId,
  QuestionTypeSchema,
  questionType,
  StatusSchema,
  searchKey,
} from '@exam/shared';
import { type Static, Type } from '@sinclair/typebox';
import type { ParsedQuestion } from './formats/common.js';
import { parseImport } from './formats/index.js';
import { type StoredImage, sanitizeRichText } from './sanitize.js';

/** Content of a version after normalizing, sanitizing and validating. */
export interface CleanContent {
  type: QuestionTypeId;
  topicId: number;
  difficulty: Difficulty;
  stem: string;
  options: ChoiceOption[];
  partialCredit: boolean;
  explanation: string;
  legalBasis: string;
  tags: string[];
}

export interface BankImportInput {
  format: ImportFormat;
  data: Uint8Array;
  defaultTopic?: string;
  defaultDifficulty?: Difficulty;
  maxRows: number;
  subjectCode: string;
  /** topic codes and question refs the subject already has */
  existingTopics: string[];
  /** the subject's topics with names and parents: category paths (GIFT, Moodle XML) are matched by name */
  existingTopicTree?: BankTopic[];
  existingRefs: string[];
  /** board or admin: may import approved or retired questions */
  board: boolean;
  /** a dry run needs only the report: the cleaned questions are not sent back */
  keepReady: boolean;
}

/**
 * A checked question ready to write, as the import process hands it over (JSON in `readyChunks`):
 * the writer checks each chunk against this schema once when it decodes it (importWrite.ts).
 */
export const ReadyQuestionSchema = Type.Object({
  ref: Type.String(),
  title: Type.String(),
  topic: Type.String(),
  status: StatusSchema,
  content: Type.Object({
    type: QuestionTypeSchema,
    difficulty: DifficultySchema,
    stem: Type.String(),
    options: Type.Array(OptionDto),
    partialCredit: Type.Boolean(),
    explanation: Type.String(),
    legalBasis: Type.String(),
    tags: Type.Array(Type.String()),
  }),
  searchText: Type.String(),
});
export type ReadyQuestion = Static<typeof ReadyQuestionSchema>;

export interface BankImportPrepared {
  questions: number;
  issues: ImportIssue[];
  newTopics: BankTopic[];
  /**
   * the questions to write as UTF-8 JSON arrays of ReadyQuestion, IMPORT_WRITE_CHUNK per chunk (none for a
   * dry run): bytes, so the worker can hand them over without copying and the writer decodes one at a time
   */
  readyChunks: Uint8Array[];
  readyCount: number;
  images: StoredImage[];
  /** SHA-256 of the JSON of every question to write, in order (the audit entry names it) */
  contentSha256: string;
}

/** Every string of a parsed question in Unicode NFC (decomposed Vietnamese from some editors and Macs). */
function nfcQuestion(q: ParsedQuestion): ParsedQuestion {
  const n = (s: string) => s.normalize('NFC');
  const out: ParsedQuestion = {
    ...q,
    ref: n(q.ref),
    topic: n(q.topic),
    stem: n(q.stem),
    options: q.options.map((o) => ({ ...o, text: n(o.text) })),
  };
  if (q.title !== undefined) out.title = n(q.title);
  if (q.explanation !== undefined) out.explanation = n(q.explanation);
  if (q.legalBasis !== undefined) out.legalBasis = n(q.legalBasis);
  if (q.tags !== undefined) out.tags = q.tags.map(n);
  return out;
}

function nfcTopic(t: BankTopic): BankTopic {
  const out: BankTopic = { code: t.code.normalize('NFC'), name: t.name.normalize('NFC') };
  if (t.parent !== undefined) out.parent = t.parent.normalize('NFC');
  return out;
}

/** An apostrophe at the start of a cell is Excel's "text" marker, never part of the question. */
const LEADING_APOSTROPHE = /^(\s*(?:<[^>]+>\s*)*)['\u2018\u2019](?!['\u2018\u2019])/;

/**
 * Warnings that do not block the question (issue 18): a stray leading apostrophe (removed in
 * spreadsheets, where it is Excel's text marker; only reported elsewhere) and two options with
 * the same text.
 */
function apostropheAndDuplicates(
  q: ParsedQuestion,
  format: ImportFormat,
  warn: (row: number, column: string, code: string, message: string) => void,
): ParsedQuestion {
  const sheet = format === 'xlsx' || format === 'csv';
  const fix = (text: string, column: string): string => {
    if (!LEADING_APOSTROPHE.test(text)) return text;
    warn(
      q.sourceRow,
      column,
      'LEADING_APOSTROPHE',
      sheet
        ? 'Ô bắt đầu bằng dấu nháy đơn (ký hiệu "văn bản" của Excel); dấu nháy đã được bỏ'
        : 'Nội dung bắt đầu bằng dấu nháy đơn; hãy kiểm tra đó có phải ký tự thừa không',
    );
    return sheet ? text.replace(LEADING_APOSTROPHE, '$1') : text;
  };
  const out: ParsedQuestion = {
    ...q,
    stem: fix(q.stem, sheet ? 'Nội dung câu hỏi' : 'stem'),
    options: q.options.map((o, i) => ({
      ...o,
      text: fix(o.text, sheet ? `Phương án ${optionIdAt(i)}` : `options[${i}]`),
    })),
  };
  const seen = new Map<string, number>();
  out.options.forEach((o, i) => {
    const key = searchKey(o.text.normalize('NFC'));
    if (key === '') return;
    const prev = seen.get(key);
    if (prev === undefined) {
      seen.set(key, i);
      return;
    }
    warn(
      q.sourceRow,
      sheet ? `Phương án ${optionIdAt(i)}` : `options[${i}]`,
      'OPTION_DUPLICATE',
      `Phương án ${optionIdAt(i)} trùng nội dung với phương án ${optionIdAt(prev)}`,
    );
  });
  return out;
}

/** Questions per write transaction (importWrite.ts): short enough that answers never wait long for the lock. */
export const IMPORT_WRITE_CHUNK = 25;

/** NUL characters (never part of a question; stored, they cut the text short in other programs). */
const NUL = new RegExp(String.fromCharCode(0), 'g');

function cleanTags(tags: string[] | undefined): string[] {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    const v = t.replace(NUL, '').trim();
    if (v) seen.add(v);
  }
  return [...seen];
}

/** Turns authoring input (API body or an imported row) into clean question content. */
export function normalizeContent(
  body: Pick<BankQuestion, 'type' | 'difficulty' | 'stem' | 'options' | 'partialCredit' | 'explanation' | 'legalBasis' | 'tags'>,
  images: StoredImage[],
): Omit<CleanContent, 'topicId'> {
  const text = (s: string) => sanitizeRichText(s.replace(NUL, ''), images);
  return {
    type: body.type,
    difficulty: body.difficulty,
    stem: text(body.stem),
    options: body.options.map((o, i) => {
      const opt: ChoiceOption = { id: optionIdAt(i), text: text(o.text), correct: o.correct };
      if (o.pinned) opt.pinned = true;
      return opt;
    }),
    partialCredit: body.type === 'multiple' && !!body.partialCredit,
    explanation: text(body.explanation ?? ''),
    legalBasis: (body.legalBasis ?? '').replace(NUL, '').trim(),
    tags: cleanTags(body.tags),
  };
}

export function versionSearchText(ref: string, c: Pick<CleanContent, 'stem' | 'options' | 'tags'>): string {
  return searchKey(`${ref} ${c.stem} ${c.options.map((o) => o.text).join(' ')} ${c.tags.join(' ')}`);
}

/** Spreadsheet column a content problem belongs to, so import reports point at the cell. */
function columnFor(format: ImportFormat, field: string, code: string): string {
  if (format !== 'xlsx' && format !== 'csv') return field;
  if (field === 'stem') return 'Nội dung câu hỏi';
  const m = /^options\[(\d+)\]$/.exec(field);
  if (m) return `Phương án ${optionIdAt(Number(m[1]))}`;
  if (field === 'options') return code === 'CORRECT_COUNT' ? 'Đáp án đúng' : 'Phương án A';
  return field;
}

export async function prepareBankImport(input: BankImportInput): Promise<BankImportPrepared> {
  const { format } = input;
  const data = Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
  const parsed = await parseImport(format, data, {
    defaultTopic: input.defaultTopic?.normalize('NFC'),
    defaultDifficulty: input.defaultDifficulty,
    maxRows: input.maxRows,
    existingTopics: input.existingTopicTree,
  });
  const issues: ImportIssue[] = [...parsed.issues];
  const warn = (row: number, column: string, code: string, message: string) =>
    issues.push({ row, column, code, message, severity: 'warning' });
  parsed.topics = parsed.topics.map(nfcTopic);
  parsed.questions = parsed.questions.map((q) => apostropheAndDuplicates(nfcQuestion(q), format, warn));
  const err = (row: number, column: string | undefined, code: string, message: string) =>
    issues.push(
      column === undefined ? { row, code, message, severity: 'error' } : { row, column, code, message, severity: 'error' },
    );
  const xl = format === 'xlsx' || format === 'csv';
  const topicCol = xl ? 'Mã chuyên đề' : 'topic';
  const refCol = xl ? 'Mã câu hỏi' : 'ref';
  const statusCol = xl ? 'Trạng thái' : 'status';

  if (parsed.subject && parsed.subject.code.toUpperCase() !== input.subjectCode) {
    err(
      0,
      'subject.code',
      'SUBJECT_MISMATCH',
      `Tệp là ngân hàng môn "${parsed.subject.code}", không phải môn "${input.subjectCode}" đang chọn`,
    );
  }

  // topics: existing, plus those the file defines
  const existing = new Set(input.existingTopics);
  const newTopics: BankTopic[] = [];
  for (const t of parsed.topics) {
    if (existing.has(t.code)) continue;
    if (!newTopics.some((n) => n.code === t.code)) newTopics.push(t);
  }
  const knownCodes = new Set([...existing, ...newTopics.map((t) => t.code)]);
  for (const t of newTopics) {
    if (t.parent && !knownCodes.has(t.parent)) {
      err(0, 'topics', 'TOPIC_PARENT_UNKNOWN', `Chuyên đề "${t.code}" có chuyên đề cha "${t.parent}" không tồn tại`);
    }
  }

  // questions
  const existingRefs = new Set(input.existingRefs);
  const seenRefs = new Map<string, number>();
  const images: StoredImage[] = [];
  const ready: ReadyQuestion[] = [];
  let readyCount = 0;
  for (const q of parsed.questions) {
    const row = q.sourceRow;
    let bad = false;
    if (!knownCodes.has(q.topic)) {
      err(row, topicCol, 'TOPIC_UNKNOWN', `Chuyên đề "${q.topic}" chưa có trong môn thi và không được khai báo trong tệp`);
      bad = true;
    }
    const prev = seenRefs.get(q.ref);
    if (prev !== undefined) {
      err(row, refCol, 'REF_DUPLICATE', `Mã câu hỏi "${q.ref}" bị trùng với dòng ${prev}`);
      bad = true;
    } else if (existingRefs.has(q.ref)) {
      err(row, refCol, 'REF_EXISTS', `Mã câu hỏi "${q.ref}" đã có trong ngân hàng`);
      bad = true;
    }
    seenRefs.set(q.ref, row);
    const status = q.status ?? 'draft';
    if ((status === 'approved' || status === 'retired') && !input.board) {
      err(row, statusCol, 'STATUS_NOT_ALLOWED', 'Chỉ Hội đồng thi được nhập câu hỏi ở trạng thái đã duyệt hoặc ngừng sử dụng');
      bad = true;
    }
    const content = normalizeContent(q, images);
    for (const issue of questionType(content.type).validateContent(content)) {
      err(row, columnFor(format, issue.field, issue.code), issue.code, issue.message);
      bad = true;
    }
    if (bad) continue;
    readyCount++;
    if (input.keepReady)
      ready.push({
        ref: q.ref,
        title: (q.title ?? '').trim(),
        topic: q.topic,
        status,
        content,
        searchText: versionSearchText(q.ref, content),
      });
  }
  const readyChunks: Uint8Array[] = [];
  const digest = createHash('sha256');
  const utf8 = new TextEncoder();
  for (let i = 0; i < ready.length; i += IMPORT_WRITE_CHUNK) {
    const bytes = utf8.encode(JSON.stringify(ready.slice(i, i + IMPORT_WRITE_CHUNK)));
    readyChunks.push(bytes);
    digest.update(bytes);
  }
  return {
    questions: parsed.questions.length,
    issues: issues.sort((a, b) => a.row - b.row),
    newTopics,
    readyChunks,
    readyCount,
    images: input.keepReady ? images : [],
    contentSha256: digest.digest('hex'),
  };
}
