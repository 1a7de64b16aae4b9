/**
 * The spreadsheet layout shared by XLSX and CSV: column definitions (Vietnamese headers), the row
 * row writer (bank → grid); the row reader (grid → questions + issues) is gridRead.ts. XLSX and CSV only turn a
 * file into a grid of strings and back; everything about columns and values lives here.
 *
 * Grid: `grid[i]` is sheet row i + 1 (row 1 = header); a missing/undefined entry is an empty row.
 */
import {
  type BankFile,
  type BankOption,
  type BankQuestion,
  type BankTopic,
  DIFFICULTIES,
  DIFFICULTY_LABELS,
  type Difficulty,
  QUESTION_STATUSES,
  type QuestionStatus,
  type QuestionTypeId,
  STATUS_LABELS,
} from '@exam/shared';
import { fold, LabelLookup, REF_MAX, TOPIC_CODE_MAX, trueFalseOptions } from './common.js';

export type Grid = (readonly string[] | undefined)[];

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type OptionKey = 'optA' | 'optB' | 'optC' | 'optD' | 'optE' | 'optF';
export const OPTION_KEYS: readonly OptionKey[] = ['optA', 'optB', 'optC', 'optD', 'optE', 'optF'];

export type ColumnKey =
  | 'ref'
  | 'topic'
  | 'topicName'
  | 'parent'
  | 'type'
  | 'difficulty'
  | 'stem'
  | OptionKey
  | 'correct'
  | 'pinned'
  | 'partialCredit'
  | 'explanation'
  | 'legalBasis'
  | 'tags'
  | 'status';

export interface ColumnDef {
  key: ColumnKey;
  header: string;
  /** A file without this column is rejected (one error on row 1). */
  required: boolean;
  /** What goes in the column — shown on the "Hướng dẫn" sheet. */
  help: string;
  /** Allowed values / format — shown on the "Hướng dẫn" sheet. */
  values: string;
  /** Column width in the XLSX file. */
  width: number;
}

/** Vietnamese labels for the question types, as written in "Loại câu hỏi". */
export const TYPE_LABELS: Record<QuestionTypeId, string> = {
  single: 'Một đáp án',
  multiple: 'Nhiều đáp án',
  true_false: 'Đúng/Sai',
};

export const YES = 'Có';
export const NO = 'Không';

export const TYPE_LOOKUP = new LabelLookup<QuestionTypeId>({
  single: [TYPE_LABELS.single, 'Một đáp án đúng', 'Chọn một'],
  multiple: [TYPE_LABELS.multiple, 'Nhiều đáp án đúng', 'Chọn nhiều'],
  true_false: [TYPE_LABELS.true_false, 'Đúng - Sai', 'Đúng Sai', 'truefalse', 'true/false'],
});
export const DIFFICULTY_LOOKUP = new LabelLookup<Difficulty>({
  nhan_biet: [DIFFICULTY_LABELS.nhan_biet.vi],
  thong_hieu: [DIFFICULTY_LABELS.thong_hieu.vi],
  van_dung: [DIFFICULTY_LABELS.van_dung.vi],
  van_dung_cao: [DIFFICULTY_LABELS.van_dung_cao.vi],
});
export const STATUS_LOOKUP = new LabelLookup<QuestionStatus>({
  draft: [STATUS_LABELS.draft.vi],
  submitted: [STATUS_LABELS.submitted.vi],
  approved: [STATUS_LABELS.approved.vi],
  retired: [STATUS_LABELS.retired.vi],
});
export const BOOL_LOOKUP = new LabelLookup<'yes' | 'no'>({
  yes: [YES, 'x', 'true', '1', 'đúng'],
  no: [NO, 'false', '0', 'sai'],
});

const quoteList = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');
export const DIFFICULTY_VALUES = quoteList(DIFFICULTIES.map((d) => DIFFICULTY_LABELS[d].vi));
export const STATUS_VALUES = quoteList(QUESTION_STATUSES.map((s) => STATUS_LABELS[s].vi));
export const TYPE_VALUES = quoteList(Object.values(TYPE_LABELS));

export const COLUMNS: readonly ColumnDef[] = [
  {
    key: 'ref',
    header: 'Mã câu hỏi',
    required: false,
    help: 'Mã định danh của câu hỏi, không trùng trong môn thi. Để trống thì hệ thống tự đặt mã ROW-<số dòng>.',
    values: `Tối đa ${REF_MAX} ký tự, ví dụ: KTC-0001`,
    width: 14,
  },
  {
    key: 'topic',
    header: 'Mã chuyên đề',
    required: true,
    help: 'Mã chuyên đề mà câu hỏi thuộc về: chuyên đề đã có trong môn thi hoặc được khai báo trong tệp (cột "Tên chuyên đề").',
    values: `Tối đa ${TOPIC_CODE_MAX} ký tự, ví dụ: HP2013-QH`,
    width: 14,
  },
  {
    key: 'topicName',
    header: 'Tên chuyên đề',
    required: false,
    help: 'Điền khi muốn tạo chuyên đề mới; các dòng cùng mã chuyên đề phải cùng tên. Chuyên đề đã có thì có thể để trống.',
    values: 'Văn bản',
    width: 28,
  },
  {
    key: 'parent',
    header: 'Chuyên đề cha',
    required: false,
    help: 'Mã chuyên đề cha (không bắt buộc) khi chuyên đề mới là chuyên đề con.',
    values: 'Mã một chuyên đề khác',
    width: 14,
  },
  {
    key: 'type',
    header: 'Loại câu hỏi',
    required: true,
    help: 'Một đáp án: đúng 1 phương án đúng. Nhiều đáp án: ít nhất 1 phương án đúng. Đúng/Sai: hai phương án "Đúng" và "Sai" (có thể để trống Phương án A, B).',
    values: TYPE_VALUES,
    width: 14,
  },
  {
    key: 'difficulty',
    header: 'Mức độ',
    required: true,
    help: 'Mức độ nhận thức của câu hỏi.',
    values: DIFFICULTY_VALUES,
    width: 13,
  },
  {
    key: 'stem',
    header: 'Nội dung câu hỏi',
    required: true,
    help: 'Nội dung câu hỏi, dạng văn bản thường hoặc HTML (p, b, i, u, ul, ol, li, table, br, img, sup, sub).',
    values: 'Không được để trống',
    width: 50,
  },
  ...OPTION_KEYS.map(
    (key, i): ColumnDef => ({
      key,
      header: `Phương án ${OPTION_LETTERS[i] ?? ''}`,
      required: i < 2,
      help:
        i < 2
          ? `Nội dung phương án ${OPTION_LETTERS[i] ?? ''}.`
          : `Nội dung phương án ${OPTION_LETTERS[i] ?? ''} (không bắt buộc). Các phương án điền liên tục từ A, không bỏ trống ở giữa.`,
      values: 'Văn bản thường hoặc HTML; mỗi câu có từ 2 đến 6 phương án',
      width: 24,
    }),
  ),
  {
    key: 'correct',
    header: 'Đáp án đúng',
    required: true,
    help: 'Chữ cái của (các) phương án đúng, cách nhau bằng dấu phẩy.',
    values: 'Ví dụ: B hoặc A, C. Với câu Đúng/Sai: A (Đúng) hoặc B (Sai)',
    width: 12,
  },
  {
    key: 'pinned',
    header: 'Phương án cố định',
    required: false,
    help: 'Chữ cái của các phương án giữ nguyên vị trí khi đảo phương án (ví dụ "Tất cả các phương án trên").',
    values: 'Ví dụ: D hoặc C, D; để trống nếu không có',
    width: 12,
  },
  {
    key: 'partialCredit',
    header: 'Chấm điểm từng phần',
    required: false,
    help: 'Chỉ dùng cho câu Nhiều đáp án: "Có" thì điểm = (số phương án đúng đã chọn − số phương án sai đã chọn) / số phương án đúng, không âm; "Không" hoặc để trống thì phải chọn đủ và đúng mới có điểm.',
    values: `"${YES}", "${NO}" hoặc để trống`,
    width: 12,
  },
  {
    key: 'explanation',
    header: 'Giải thích',
    required: false,
    help: 'Giải thích đáp án (không bắt buộc).',
    values: 'Văn bản thường hoặc HTML',
    width: 36,
  },
  {
    key: 'legalBasis',
    header: 'Căn cứ pháp lý',
    required: false,
    help: 'Văn bản, điều khoản làm căn cứ cho đáp án (không bắt buộc).',
    values: 'Ví dụ: Điều 69 Hiến pháp năm 2013',
    width: 28,
  },
  {
    key: 'tags',
    header: 'Thẻ',
    required: false,
    help: 'Các thẻ phân loại, cách nhau bằng dấu phẩy (không bắt buộc).',
    values: 'Ví dụ: hiến pháp, quốc hội',
    width: 20,
  },
  {
    key: 'status',
    header: 'Trạng thái',
    required: false,
    help: 'Trạng thái khi nhập (không bắt buộc, mặc định Bản nháp). Chỉ Hội đồng thi được nhập câu đã duyệt hoặc ngừng sử dụng.',
    values: STATUS_VALUES,
    width: 14,
  },
];

const COLUMN_BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));
export const COLUMN_BY_HEADER = new Map(COLUMNS.map((c) => [fold(c.header), c]));

export function headerOf(key: ColumnKey): string {
  return COLUMN_BY_KEY.get(key)?.header ?? key;
}

/** The header row in column order. */
export function headerRow(): string[] {
  return COLUMNS.map((c) => c.header);
}

// ---------------------------------------------------------------- writer

/**
 * Bank → grid (header row first). Every question row repeats its topic's name and parent so a
 * row is self-contained; topics no question uses (e.g. parent topics) get a topic-only row at the
 * top (only "Mã chuyên đề", "Tên chuyên đề", "Chuyên đề cha" filled) so they survive a round trip.
 * Options beyond F cannot be written (the bank allows at most 6).
 */
export function writeGrid(bank: Pick<BankFile, 'topics' | 'questions'>): string[][] {
  const topics = new Map(bank.topics.map((t) => [t.code, t]));
  const used = new Set(bank.questions.map((q) => q.topic));
  const grid: string[][] = [headerRow()];
  for (const t of bank.topics) {
    if (used.has(t.code)) continue;
    grid.push(
      COLUMNS.map((c) =>
        c.key === 'topic' ? t.code : c.key === 'topicName' ? t.name : c.key === 'parent' ? (t.parent ?? '') : '',
      ),
    );
  }
  for (const q of bank.questions) grid.push(questionRow(q, topics.get(q.topic)));
  return grid;
}

function letters(options: readonly BankOption[], pick: (o: BankOption) => boolean): string {
  return options.flatMap((o, i) => (pick(o) ? [OPTION_LETTERS[i] ?? ''] : [])).join(', ');
}

function questionRow(q: BankQuestion, topic: BankTopic | undefined): string[] {
  const cell = (key: ColumnKey): string => {
    switch (key) {
      case 'ref':
        return q.ref;
      case 'topic':
        return q.topic;
      case 'topicName':
        return topic?.name ?? '';
      case 'parent':
        return topic?.parent ?? '';
      case 'type':
        return TYPE_LABELS[q.type];
      case 'difficulty':
        return DIFFICULTY_LABELS[q.difficulty].vi;
      case 'stem':
        return q.stem;
      case 'correct':
        return letters(q.options, (o) => o.correct);
      case 'pinned':
        return letters(q.options, (o) => !!o.pinned);
      case 'partialCredit':
        return q.partialCredit ? YES : '';
      case 'explanation':
        return q.explanation ?? '';
      case 'legalBasis':
        return q.legalBasis ?? '';
      case 'tags':
        return (q.tags ?? []).join(', ');
      case 'status':
        return q.status ? STATUS_LABELS[q.status].vi : '';
      default:
        return q.options[OPTION_KEYS.indexOf(key)]?.text ?? '';
    }
  };
  return COLUMNS.map((c) => cell(c.key));
}

// ---------------------------------------------------------------- template & guide

/** The example rows of the downloadable template (one per question type). */
export function templateBank(): Pick<BankFile, 'topics' | 'questions'> {
  return {
    topics: [
      { code: 'HP2013', name: 'Bộ máy nhà nước theo Hiến pháp 2013' },
      { code: 'HP2013-QH', name: 'Quốc hội', parent: 'HP2013' },
    ],
    questions: [
      {
        ref: 'VD-0001',
        type: 'single',
        topic: 'HP2013-QH',
        difficulty: 'nhan_biet',
        stem: 'Cơ quan nào là cơ quan đại biểu cao nhất của Nhân dân?',
        options: [
          { text: 'Chính phủ', correct: false },
          { text: 'Quốc hội', correct: true },
          { text: 'Tòa án nhân dân tối cao', correct: false },
          { text: 'Tất cả các phương án trên', correct: false, pinned: true },
        ],
        explanation: 'Điều 69 Hiến pháp năm 2013: Quốc hội là cơ quan đại biểu cao nhất của Nhân dân.',
        legalBasis: 'Điều 69 Hiến pháp năm 2013',
        tags: ['hiến pháp', 'quốc hội'],
        status: 'draft',
      },
      {
        ref: 'VD-0002',
        type: 'multiple',
        topic: 'HP2013-QH',
        difficulty: 'thong_hieu',
        stem: 'Những cơ quan nào sau đây do Quốc hội thành lập?',
        options: [
          { text: 'Hội đồng bầu cử quốc gia', correct: true },
          { text: 'Kiểm toán nhà nước', correct: true },
          { text: 'Ủy ban nhân dân cấp tỉnh', correct: false },
          { text: 'Hội đồng nhân dân cấp tỉnh', correct: false },
        ],
        partialCredit: true,
        legalBasis: 'Điều 70 Hiến pháp năm 2013',
        status: 'draft',
      },
      {
        ref: 'VD-0003',
        type: 'true_false',
        topic: 'HP2013-QH',
        difficulty: 'nhan_biet',
        stem: 'Nhiệm kỳ của mỗi khóa Quốc hội là 5 năm.',
        options: trueFalseOptions(true),
        legalBasis: 'Điều 71 Hiến pháp năm 2013',
      },
    ],
  };
}

export const GUIDE_SHEET = 'Hướng dẫn';

/** Rows of the "Hướng dẫn" sheet: one per column, then general notes. */
export function guideGrid(): string[][] {
  const rows: string[][] = [['Cột', 'Bắt buộc', 'Ý nghĩa', 'Giá trị cho phép']];
  for (const c of COLUMNS) rows.push([c.header, c.required ? 'Có' : 'Không', c.help, c.values]);
  rows.push([]);
  rows.push(['Lưu ý chung']);
  for (const note of [
    'Dòng 1 là dòng tiêu đề; các cột được nhận theo tên (không phân biệt chữ hoa, chữ thường, dấu), thứ tự cột có thể thay đổi.',
    'Mỗi dòng tiếp theo là một câu hỏi; dòng trống được bỏ qua. Xóa các dòng ví dụ (mã VD-...) trước khi nhập.',
    'Dòng chỉ điền "Mã chuyên đề", "Tên chuyên đề" (và "Chuyên đề cha") dùng để khai báo chuyên đề mà không kèm câu hỏi.',
    'Câu hỏi Đúng/Sai: Phương án A là "Đúng", Phương án B là "Sai"; Đáp án đúng là A hoặc B.',
    'Tệp CSV: mã hóa UTF-8, phân cách bằng dấu phẩy, dòng đầu là tiêu đề như tệp Excel.',
    'Mọi lỗi được báo theo số dòng và tên cột; không câu hỏi nào được nhập khi tệp còn lỗi.',
  ]) {
    rows.push([note]);
  }
  return rows;
}

/** Allowed values for drop-down lists in the XLSX template, by column key. */
export function dropdownValues(): Partial<Record<ColumnKey, string[]>> {
  return {
    type: Object.values(TYPE_LABELS),
    difficulty: DIFFICULTIES.map((d) => DIFFICULTY_LABELS[d].vi),
    partialCredit: [YES, NO],
    status: QUESTION_STATUSES.map((s) => STATUS_LABELS[s].vi),
  };
}
