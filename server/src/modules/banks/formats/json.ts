/**
 * The bank file format (`vn-exam-bank/1`, question-banks/FORMAT.md).
 *
 * Import validates against BankFileSchema and reports every schema error with row = question
 * index + 1 (0 for the rest of the file) and column = the JSON path ("options[1].text" inside a
 * question, "subject.code" / "topics[2].name" outside). Questions and topics that are valid on
 * their own are still returned so the caller can report everything in one pass.
 *
 * Export writes keys in FORMAT.md order and leaves out optional fields that are empty or false,
 * so export → import → export is byte-identical.
 */
import {
  BANK_FORMAT,
  type BankFile,
  BankFileSchema,
  BankQuestionSchema,
  type BankTopic,
  BankTopicSchema,
  type ParsedImport,
} from '@exam/shared';
import type { TSchema } from '@sinclair/typebox';
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value';
import { canonicalQuestion, canonicalTopic, decodeUtf8, Issues, type ParsedQuestion } from './common.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "/questions/3/options/1/text" → { row: 4, column: "options[1].text" }. */
function locate(path: string): { row: number; column: string } {
  const parts = path.split('/').slice(1);
  let row = 0;
  if (parts[0] === 'questions' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    row = Number(parts[1]) + 1;
    parts.splice(0, 2);
  }
  let column = '';
  for (const p of parts) column += /^\d+$/.test(p) ? `[${p}]` : column === '' ? p : `.${p}`;
  return { row, column: column || (row > 0 ? '' : '(tệp)') };
}

function allowedValues(schema: TSchema): string[] {
  const anyOf: unknown = schema.anyOf;
  if (!Array.isArray(anyOf)) return [];
  return anyOf.flatMap((s: unknown) => (isRecord(s) && typeof s.const === 'string' ? [s.const] : []));
}

function describe(e: ValueError): { code: string; message: string } {
  const s = e.schema;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return { code: 'JSON_REQUIRED', message: 'Thiếu trường bắt buộc' };
    case ValueErrorType.ObjectAdditionalProperties:
      return { code: 'JSON_UNKNOWN_FIELD', message: 'Trường không có trong định dạng vn-exam-bank/1' };
    case ValueErrorType.String:
      return { code: 'JSON_TYPE', message: 'Phải là chuỗi ký tự' };
    case ValueErrorType.Boolean:
      return { code: 'JSON_TYPE', message: 'Phải là true hoặc false' };
    case ValueErrorType.Array:
      return { code: 'JSON_TYPE', message: 'Phải là một mảng' };
    case ValueErrorType.Object:
      return { code: 'JSON_TYPE', message: 'Phải là một đối tượng' };
    case ValueErrorType.StringMinLength:
      return s.minLength === 1
        ? { code: 'JSON_EMPTY', message: 'Không được để trống' }
        : { code: 'JSON_TOO_SHORT', message: `Phải có ít nhất ${String(s.minLength)} ký tự` };
    case ValueErrorType.StringMaxLength:
      return { code: 'JSON_TOO_LONG', message: `Dài quá ${String(s.maxLength)} ký tự` };
    case ValueErrorType.Literal:
      return { code: 'JSON_VALUE', message: `Phải là "${String(s.const)}"` };
    case ValueErrorType.Union: {
      const values = allowedValues(s);
      return values.length > 0
        ? { code: 'JSON_VALUE', message: `Giá trị ${JSON.stringify(e.value)} không hợp lệ; chỉ dùng: ${values.join(', ')}` }
        : { code: 'JSON_VALUE', message: 'Giá trị không hợp lệ' };
    }
    default:
      return { code: 'JSON_INVALID_VALUE', message: `Giá trị không hợp lệ (${e.message})` };
  }
}

export function parseJson(data: Buffer): ParsedImport {
  const issues = new Issues();
  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  let doc: unknown;
  try {
    doc = JSON.parse(decoded.text);
  } catch (e) {
    issues.error(0, undefined, 'JSON_SYNTAX', `Tệp không phải JSON hợp lệ${e instanceof Error ? ` (${e.message})` : ''}`);
    return { topics: [], questions: [], issues: issues.list };
  }

  const badQuestions = new Set<number>();
  const badTopics = new Set<number>();
  if (!Value.Check(BankFileSchema, doc)) {
    const seen = new Set<string>();
    for (const e of Value.Errors(BankFileSchema, doc)) {
      if (seen.has(e.path)) continue; // one message per place (a missing field also fails its type)
      seen.add(e.path);
      const { row, column } = locate(e.path);
      const { code, message } = describe(e);
      issues.error(row, column || undefined, code, message);
      if (row > 0) badQuestions.add(row - 1);
      const t = /^\/topics\/(\d+)/.exec(e.path);
      if (t) badTopics.add(Number(t[1]));
    }
  }
  if (!isRecord(doc)) return { topics: [], questions: [], issues: issues.list };

  const topics: BankTopic[] = [];
  const topicAt = new Map<string, number>();
  if (Array.isArray(doc.topics)) {
    doc.topics.forEach((t: unknown, i) => {
      if (badTopics.has(i) || !Value.Check(BankTopicSchema, t)) return;
      const prev = topicAt.get(t.code);
      if (prev === undefined) {
        topicAt.set(t.code, i);
        topics.push(canonicalTopic(t));
      } else {
        issues.error(0, `topics[${i}].code`, 'TOPIC_DUPLICATE', `Mã chuyên đề "${t.code}" bị trùng với topics[${prev}]`);
      }
    });
  }

  const questions: ParsedQuestion[] = [];
  if (Array.isArray(doc.questions)) {
    doc.questions.forEach((q: unknown, i) => {
      if (badQuestions.has(i) || !Value.Check(BankQuestionSchema, q)) return;
      questions.push({ ...canonicalQuestion(q), sourceRow: i + 1 });
    });
  }

  const out: ParsedImport = { topics, questions, issues: issues.list };
  const subject = doc.subject;
  if (isRecord(subject) && typeof subject.code === 'string' && typeof subject.name === 'string' && subject.code && subject.name) {
    out.subject = { code: subject.code, name: subject.name };
  }
  return out;
}

export function exportJson(bank: BankFile): Buffer {
  const canonical: BankFile = {
    format: BANK_FORMAT,
    subject: { code: bank.subject.code, name: bank.subject.name },
    topics: bank.topics.map(canonicalTopic),
    questions: bank.questions.map(canonicalQuestion),
  };
  return Buffer.from(`${JSON.stringify(canonical, null, 2)}\n`, 'utf8');
}
