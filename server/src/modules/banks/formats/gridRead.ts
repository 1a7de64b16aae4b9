/**
 * The spreadsheet row reader shared by XLSX and CSV: a grid of strings (columns.ts names the
 * columns) → questions, topics and issues, every problem named by row and column.
 *
 * Grid: `grid[i]` is sheet row i + 1 (row 1 = header); a missing/undefined entry is an empty row.
 */
import type { BankOption, BankQuestion, BankTopic, Difficulty, ParsedImport, QuestionStatus, QuestionTypeId } from '@exam/shared';
import {
  BOOL_LOOKUP,
  COLUMN_BY_HEADER,
  COLUMNS,
  type ColumnKey,
  DIFFICULTY_LOOKUP,
  DIFFICULTY_VALUES,
  type Grid,
  headerOf,
  NO,
  OPTION_KEYS,
  STATUS_LOOKUP,
  STATUS_VALUES,
  TYPE_LOOKUP,
  TYPE_VALUES,
  YES,
} from './columns.js';
import {
  canonicalTopic,
  FALSE_TEXT,
  fold,
  Issues,
  isFalseText,
  isTrueText,
  type ParsedQuestion,
  type ParseOptions,
  REF_MAX,
  TOPIC_CODE_MAX,
  TRUE_TEXT,
  trueFalseOptions,
  withSourceRow,
} from './common.js';

type Row = Partial<Record<ColumnKey, string>>;

interface TopicSeen {
  code: string;
  name?: string;
  nameRow?: number;
  parent?: string;
  parentRow?: number;
  order: number;
}

/**
 * Grid → questions, topics and issues. Headers are matched by name (ignoring case and
 * diacritics), not position. Rows with a reader error produce no question; content rules
 * (option count, number of right options, empty stem) are left to the caller's
 * questionType().validateContent so they are reported once.
 */
export function readGrid(grid: Grid, opts: ParseOptions = {}): ParsedImport {
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  const topics = new Map<string, TopicSeen>();

  // header
  const header = grid[0] ?? [];
  const colIndex = new Map<ColumnKey, number>();
  header.forEach((h, i) => {
    const def = COLUMN_BY_HEADER.get(fold(h));
    if (!def) return;
    if (colIndex.has(def.key)) {
      issues.error(1, def.header, 'COLUMN_DUPLICATE', `Cột "${def.header}" xuất hiện nhiều lần trong dòng tiêu đề`);
      return;
    }
    colIndex.set(def.key, i);
  });
  const missing = COLUMNS.filter((c) => c.required && !colIndex.has(c.key));
  for (const c of missing) {
    issues.error(1, c.header, 'COLUMN_MISSING', `Thiếu cột bắt buộc "${c.header}" trong dòng tiêu đề (dòng 1)`);
  }
  if (missing.length > 0) return { topics: [], questions: [], issues: issues.list };
  const cols = [...colIndex.entries()];

  for (let i = 1; i < grid.length; i++) {
    const cells = grid[i];
    if (!cells) continue;
    const rowNo = i + 1;
    const row: Row = {};
    let empty = true;
    for (const [key, idx] of cols) {
      const v = (cells[idx] ?? '').trim();
      if (v !== '') {
        row[key] = v;
        empty = false;
      }
    }
    if (empty) continue;
    readRow(row, rowNo, opts, issues, topics, questions);
  }

  const topicList: BankTopic[] = [];
  for (const t of [...topics.values()].sort((a, b) => a.order - b.order)) {
    if (t.name) topicList.push(canonicalTopic({ code: t.code, name: t.name, parent: t.parent }));
  }
  return { topics: topicList, questions, issues: issues.list };
}

const QUESTION_KEYS: readonly ColumnKey[] = COLUMNS.map((c) => c.key).filter(
  (k) => k !== 'topic' && k !== 'topicName' && k !== 'parent',
);

function readRow(
  row: Row,
  rowNo: number,
  opts: ParseOptions,
  issues: Issues,
  topics: Map<string, TopicSeen>,
  out: ParsedQuestion[],
): void {
  const before = issues.list.length;
  const err = (key: ColumnKey, code: string, message: string) => issues.error(rowNo, headerOf(key), code, message);

  // topic (declared on any row that names it)
  const topic = row.topic ?? opts.defaultTopic;
  if (row.topic !== undefined) noteTopic(row, rowNo, issues, topics);
  // a topic-only row declares a topic and holds no question
  if (row.topic !== undefined && row.topicName !== undefined && QUESTION_KEYS.every((k) => row[k] === undefined)) return;

  const ref = row.ref ?? `ROW-${rowNo}`;
  if (ref.length > REF_MAX) err('ref', 'REF_TOO_LONG', `Mã câu hỏi dài quá ${REF_MAX} ký tự`);
  if (topic === undefined) err('topic', 'TOPIC_REQUIRED', 'Chưa nhập mã chuyên đề');

  let type: QuestionTypeId | undefined;
  if (row.type === undefined) err('type', 'TYPE_REQUIRED', 'Chưa nhập loại câu hỏi');
  else {
    type = TYPE_LOOKUP.get(row.type);
    if (!type) err('type', 'TYPE_INVALID', `Loại câu hỏi "${row.type}" không hợp lệ; chỉ dùng ${TYPE_VALUES}`);
  }

  let difficulty: Difficulty | undefined = opts.defaultDifficulty;
  if (row.difficulty !== undefined) {
    difficulty = DIFFICULTY_LOOKUP.get(row.difficulty);
    if (!difficulty)
      err('difficulty', 'DIFFICULTY_INVALID', `Mức độ "${row.difficulty}" không hợp lệ; chỉ dùng ${DIFFICULTY_VALUES}`);
  } else if (!difficulty) err('difficulty', 'DIFFICULTY_REQUIRED', 'Chưa nhập mức độ');

  let status: QuestionStatus | undefined;
  if (row.status !== undefined) {
    status = STATUS_LOOKUP.get(row.status);
    if (!status) err('status', 'STATUS_INVALID', `Trạng thái "${row.status}" không hợp lệ; chỉ dùng ${STATUS_VALUES}`);
  }

  let partialCredit = false;
  if (row.partialCredit !== undefined) {
    const b = BOOL_LOOKUP.get(row.partialCredit);
    if (!b)
      err(
        'partialCredit',
        'PARTIAL_CREDIT_INVALID',
        `Giá trị "${row.partialCredit}" không hợp lệ; chỉ dùng "${YES}" hoặc "${NO}"`,
      );
    partialCredit = b === 'yes';
  }

  // options
  const texts = OPTION_KEYS.map((k) => row[k]);
  let options: BankOption[] = [];
  if (type === 'true_false') {
    const a = texts[0];
    const b = texts[1];
    if ((a !== undefined && !isTrueText(a)) || (b !== undefined && !isFalseText(b))) {
      err(
        a !== undefined && !isTrueText(a) ? 'optA' : 'optB',
        'TF_OPTIONS_INVALID',
        `Câu hỏi Đúng/Sai chỉ có hai phương án "${TRUE_TEXT}" (A) và "${FALSE_TEXT}" (B); có thể để trống hai cột này`,
      );
    }
    texts.forEach((t, i) => {
      if (i >= 2 && t !== undefined) {
        err(OPTION_KEYS[i] ?? 'optC', 'TF_OPTIONS_INVALID', `Câu hỏi Đúng/Sai không có ${headerOf(OPTION_KEYS[i] ?? 'optC')}`);
      }
    });
    options = trueFalseOptions(true).map((o) => ({ ...o, correct: false }));
  } else {
    const last = texts.reduce((acc, t, i) => (t !== undefined ? i : acc), -1);
    for (let i = 0; i <= last; i++) {
      const t = texts[i];
      if (t === undefined) {
        err(
          OPTION_KEYS[i] ?? 'optA',
          'OPTION_GAP',
          `${headerOf(OPTION_KEYS[i] ?? 'optA')} để trống nhưng ${headerOf(OPTION_KEYS[last] ?? 'optA')} có nội dung; các phương án phải điền liên tục từ A`,
        );
        break;
      }
      options.push({ text: t, correct: false });
    }
  }

  // right answers / pinned options, by letter
  const correct = letterSet(row.correct, 'correct', type === 'true_false', options.length, err);
  if (row.correct === undefined) err('correct', 'CORRECT_REQUIRED', 'Chưa nhập đáp án đúng');
  const pinned = letterSet(row.pinned, 'pinned', false, options.length, err);

  if (issues.list.length > before || !type || !difficulty || topic === undefined) return;
  const q: BankQuestion = {
    ref,
    type,
    topic,
    difficulty,
    stem: row.stem ?? '',
    options: options.map((o, i) =>
      pinned.has(i) ? { ...o, correct: correct.has(i), pinned: true } : { ...o, correct: correct.has(i) },
    ),
  };
  if (partialCredit) q.partialCredit = true;
  if (row.explanation !== undefined) q.explanation = row.explanation;
  if (row.legalBasis !== undefined) q.legalBasis = row.legalBasis;
  if (row.tags !== undefined) {
    const tags = row.tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (tags.length > 0) q.tags = tags;
  }
  if (status) q.status = status;
  out.push(withSourceRow(q, rowNo));
}

/** "A, C" / "AC" / "a;c" → option indexes. For Đúng/Sai also "Đúng"/"Sai". */
function letterSet(
  value: string | undefined,
  key: 'correct' | 'pinned',
  trueFalse: boolean,
  optionCount: number,
  err: (key: ColumnKey, code: string, message: string) => void,
): Set<number> {
  const out = new Set<number>();
  if (value === undefined) return out;
  const prefix = key === 'correct' ? 'CORRECT' : 'PINNED';
  const header = headerOf(key);
  if (trueFalse && (isTrueText(value) || isFalseText(value))) {
    out.add(isTrueText(value) ? 0 : 1);
    return out;
  }
  for (const token of value.split(/[\s,;]+/)) {
    const t = token.replace(/[.)]$/, '');
    if (t === '') continue;
    if (!/^[a-f]+$/i.test(t)) {
      err(
        key,
        `${prefix}_INVALID`,
        `${header} "${value}" không hợp lệ; ghi chữ cái phương án (A–F), cách nhau bằng dấu phẩy, ví dụ "A, C"`,
      );
      return new Set();
    }
    for (const ch of t.toUpperCase()) {
      const i = ch.charCodeAt(0) - 65;
      if (i >= optionCount) {
        err(
          key,
          `${prefix}_OPTION_EMPTY`,
          `${header} "${ch}" trỏ tới phương án đang để trống (${headerOf(OPTION_KEYS[i] ?? 'optA')})`,
        );
        return new Set();
      }
      out.add(i);
    }
  }
  return out;
}

function noteTopic(row: Row, rowNo: number, issues: Issues, topics: Map<string, TopicSeen>): void {
  const code = row.topic ?? '';
  const topicHeader = headerOf('topic');
  if (code.length > TOPIC_CODE_MAX) {
    issues.error(rowNo, topicHeader, 'TOPIC_CODE_TOO_LONG', `Mã chuyên đề dài quá ${TOPIC_CODE_MAX} ký tự`);
    return;
  }
  let t = topics.get(code);
  if (!t) {
    t = { code, order: topics.size };
    topics.set(code, t);
  }
  if (row.topicName !== undefined) {
    if (t.name === undefined) {
      t.name = row.topicName;
      t.nameRow = rowNo;
    } else if (t.name !== row.topicName) {
      issues.error(
        rowNo,
        headerOf('topicName'),
        'TOPIC_NAME_CONFLICT',
        `Chuyên đề "${code}" có tên "${row.topicName}" khác với tên "${t.name}" đã ghi ở dòng ${t.nameRow ?? ''}`,
      );
    }
  }
  if (row.parent !== undefined) {
    if (row.parent === code) {
      issues.error(rowNo, headerOf('parent'), 'TOPIC_PARENT_SELF', `Chuyên đề "${code}" không thể là chuyên đề cha của chính nó`);
    } else if (t.parent === undefined) {
      t.parent = row.parent;
      t.parentRow = rowNo;
    } else if (t.parent !== row.parent) {
      issues.error(
        rowNo,
        headerOf('parent'),
        'TOPIC_PARENT_CONFLICT',
        `Chuyên đề "${code}" có chuyên đề cha "${row.parent}" khác với "${t.parent}" đã ghi ở dòng ${t.parentRow ?? ''}`,
      );
    }
  }
}
