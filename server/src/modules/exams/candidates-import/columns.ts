/**
 * The columns of the candidate list ("Danh sách thí sinh"): one definition drives the template, the
 * guide sheet and the reader. Headers are matched ignoring case, diacritics and spacing, and each
 * column accepts a few aliases so that lists kept by hand still import.
 */
import { type ExamKind, RATING_LABELS, RATINGS, type Rating } from '@exam/shared';
import { fold } from '../../banks/formats/common.js';

export type CandidateColumnKey =
  | 'fullName'
  | 'dateOfBirth'
  | 'gender'
  | 'idNumber'
  | 'ethnicity'
  | 'position'
  | 'priority'
  | 'exemptForeignLanguage'
  | 'exemptIt'
  | 'kiemDinhScore'
  | 'kiemDinhDate'
  | 'currentGrade'
  | 'yearsInGrade'
  | 'monthsInExactGrade'
  | 'rating'
  | 'disciplined'
  | 'yearsOfService'
  | 'achievementLevel';

export interface CandidateColumn {
  key: CandidateColumnKey;
  /** Header written in the template; for `position` it depends on the kind (see positionHeader). */
  header: string;
  /** Other headers accepted on import. */
  aliases: readonly string[];
  /** Which kinds of exam have this column. */
  kinds: readonly ExamKind[];
  /** The cell must be filled (for the kinds that have the column). */
  required: boolean;
  width: number;
  /** How to fill it, for the guide sheet. */
  help: string;
  /** Store as text so that Excel keeps leading zeros and does not turn dd/mm/yyyy into a US date. */
  text?: boolean;
}

const ALL: readonly ExamKind[] = ['recruitment', 'promotion', 'assessment', 'title_promotion'];
const PROMOTION: readonly ExamKind[] = ['promotion'];
/** thăng hạng viên chức by review: its tie-break reads achievements and service (NĐ 115/2020 Điều 40 k2) */
const TITLE_PROMOTION: readonly ExamKind[] = ['title_promotion'];

export const YES_TEXT = 'Có';
export const NO_TEXT = 'Không';
export const MALE_TEXT = 'Nam';
export const FEMALE_TEXT = 'Nữ';

/** Header of the position column for each kind of exam. */
export function positionHeader(kind: ExamKind): string {
  switch (kind) {
    case 'promotion':
      return 'Mã ngạch dự thi';
    case 'assessment':
      return 'Mã vị trí dự thi';
    case 'title_promotion':
      return 'Mã hạng chức danh dự xét';
    default:
      return 'Mã vị trí dự tuyển';
  }
}

export const CANDIDATE_COLUMNS: readonly CandidateColumn[] = [
  {
    key: 'fullName',
    header: 'Họ và tên',
    aliases: ['Họ tên', 'Họ và tên thí sinh'],
    kinds: ALL,
    required: true,
    width: 28,
    help: 'Họ, chữ đệm và tên của thí sinh, viết có dấu.',
  },
  {
    key: 'dateOfBirth',
    header: 'Ngày sinh',
    aliases: ['Ngày tháng năm sinh', 'Ngày, tháng, năm sinh'],
    kinds: ALL,
    required: true,
    width: 13,
    help: 'Ghi theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/09/1995. Cũng nhận ô kiểu ngày của Excel hoặc yyyy-mm-dd.',
    text: true,
  },
  {
    key: 'gender',
    header: 'Giới tính',
    aliases: [],
    kinds: ALL,
    required: true,
    width: 10,
    help: `Ghi "${MALE_TEXT}" hoặc "${FEMALE_TEXT}".`,
  },
  {
    key: 'idNumber',
    header: 'Số CCCD/CMND',
    aliases: ['Số CCCD', 'Số CMND', 'CCCD', 'CMND', 'Số định danh cá nhân', 'Số CCCD/CMND/Định danh'],
    kinds: ALL,
    required: true,
    width: 16,
    help: 'Số căn cước (12 chữ số) hoặc chứng minh nhân dân (9 chữ số). Không trùng nhau trong danh sách.',
    text: true,
  },
  {
    key: 'ethnicity',
    header: 'Dân tộc',
    aliases: [],
    kinds: ALL,
    required: false,
    width: 10,
    help: 'Tên dân tộc, ví dụ Kinh, Tày, Thái. Để trống được hiểu là Kinh.',
  },
  {
    key: 'position',
    header: 'Mã vị trí dự tuyển',
    aliases: [
      'Mã vị trí dự tuyển',
      'Mã ngạch dự thi',
      'Mã vị trí dự thi',
      'Mã vị trí',
      'Mã ngạch',
      'Vị trí dự tuyển',
      'Ngạch dự thi',
    ],
    kinds: ALL,
    required: true,
    width: 16,
    help: 'Mã trong bảng mã vị trí dưới đây. Để trống chỉ khi kỳ thi có đúng một vị trí.',
    text: true,
  },
  {
    key: 'priority',
    header: 'Đối tượng ưu tiên',
    aliases: ['Ưu tiên', 'Đối tượng ưu tiên (mã)', 'Mã đối tượng ưu tiên'],
    kinds: ALL,
    required: false,
    width: 20,
    help: 'Mã hoặc tên đối tượng trong bảng "Đối tượng ưu tiên" dưới đây; để trống nếu không có. Thuộc nhiều đối tượng thì ghi các mã cách nhau bởi dấu chấm phẩy (;); chỉ đối tượng được cộng điểm cao nhất được ghi nhận.',
  },
  {
    key: 'exemptForeignLanguage',
    header: 'Miễn thi ngoại ngữ',
    aliases: ['Miễn ngoại ngữ'],
    kinds: ALL,
    required: false,
    width: 12,
    help: `"${YES_TEXT}" hoặc "${NO_TEXT}"; để trống là ${NO_TEXT}.`,
  },
  {
    key: 'exemptIt',
    header: 'Miễn thi tin học',
    aliases: ['Miễn tin học'],
    kinds: ALL,
    required: false,
    width: 12,
    help: `"${YES_TEXT}" hoặc "${NO_TEXT}"; để trống là ${NO_TEXT}.`,
  },
  {
    key: 'kiemDinhScore',
    header: 'Điểm kiểm định',
    aliases: ['Kết quả kiểm định'],
    kinds: ALL,
    required: false,
    width: 12,
    help: 'Kết quả kiểm định chất lượng đầu vào (nếu có): số câu đúng/tổng số câu, ví dụ 62/100 hoặc 45/80; ghi một số (ví dụ 62) được hiểu là số câu đúng trên 100 câu. Ghi kèm "Ngày kiểm định".',
    text: true,
  },
  {
    key: 'kiemDinhDate',
    header: 'Ngày kiểm định',
    aliases: ['Ngày có kết quả kiểm định'],
    kinds: ALL,
    required: false,
    width: 13,
    help: 'Ngày có kết quả kiểm định (dd/mm/yyyy). Kết quả phải còn hiệu lực vào ngày thi.',
    text: true,
  },
  {
    key: 'currentGrade',
    header: 'Ngạch hiện giữ',
    aliases: ['Mã ngạch hiện giữ', 'Ngạch đang giữ'],
    kinds: PROMOTION,
    required: true,
    width: 12,
    help: 'Mã ngạch đang giữ: 01.001 (Chuyên viên cao cấp), 01.002 (Chuyên viên chính), 01.003 (Chuyên viên), 01.004 (Cán sự), 01.005 (Nhân viên), hoặc mã một ngạch tương đương có trong bảng ngạch tương đương của kỳ thi.',
    text: true,
  },
  {
    key: 'yearsInGrade',
    header: 'Thời gian giữ ngạch (kể cả tương đương)',
    aliases: ['Số năm giữ ngạch', 'Thời gian giữ ngạch'],
    kinds: PROMOTION,
    required: true,
    width: 16,
    help: 'Thời gian giữ ngạch hiện giữ hoặc ngạch tương đương (không kể thời gian tập sự), ghi số năm và số tháng, ví dụ 9 năm 6 tháng (không ghi số năm thập phân).',
    text: true,
  },
  {
    key: 'monthsInExactGrade',
    header: 'Thời gian giữ ngạch hiện giữ',
    aliases: ['Số năm giữ ngạch hiện giữ', 'Thời gian giữ đúng ngạch hiện giữ'],
    kinds: PROMOTION,
    required: true,
    width: 14,
    help: 'Riêng thời gian giữ đúng ngạch đang giữ (ví dụ ngạch Chuyên viên khi thi lên Chuyên viên chính), ghi số năm và số tháng, ví dụ 1 năm 2 tháng.',
    text: true,
  },
  {
    key: 'rating',
    header: 'Xếp loại năm trước',
    aliases: ['Xếp loại chất lượng năm trước', 'Xếp loại'],
    kinds: PROMOTION,
    required: true,
    width: 28,
    help: `Kết quả xếp loại chất lượng năm liền trước: ${[...RATINGS]
      .reverse()
      .map((r) => `"${RATING_LABELS[r].vi}"`)
      .join(', ')}.`,
  },
  {
    key: 'disciplined',
    header: 'Đang bị kỷ luật',
    aliases: ['Đang bị xử lý kỷ luật'],
    kinds: PROMOTION,
    required: true,
    width: 10,
    help: `"${YES_TEXT}" nếu đang trong thời gian bị xử lý kỷ luật hoặc đang bị điều tra, truy tố, xét xử; ngược lại "${NO_TEXT}".`,
  },
  {
    key: 'yearsOfService',
    header: 'Thời gian công tác',
    aliases: ['Số năm công tác'],
    kinds: [...PROMOTION, ...TITLE_PROMOTION],
    required: false,
    width: 14,
    help: 'Tổng thời gian công tác (dùng khi xét điểm bằng nhau, tính theo tháng), ghi số năm và số tháng, ví dụ 12 năm 7 tháng.',
    text: true,
  },
  {
    key: 'achievementLevel',
    header: 'Mức thành tích (Hội đồng xếp)',
    aliases: ['Mức thành tích', 'Thành tích'],
    kinds: TITLE_PROMOTION,
    required: false,
    width: 14,
    help: 'Mức thành tích trong hoạt động nghề nghiệp được cấp có thẩm quyền công nhận, do Hội đồng xếp (số nguyên từ 0, cao hơn là thành tích cao hơn); dùng khi số viên chức nhiều hơn chỉ tiêu (NĐ 115/2020 Điều 40 khoản 2 điểm a, sửa bởi NĐ 85/2023). Để trống nếu không có.',
  },
];

/** The columns of a kind of exam, in template order, with the position header for that kind. */
export function columnsFor(kind: ExamKind): CandidateColumn[] {
  return CANDIDATE_COLUMNS.filter((c) => c.kinds.includes(kind)).map((c) =>
    c.key === 'position'
      ? {
          ...c,
          header: positionHeader(kind),
          help:
            kind === 'promotion'
              ? `Mã trong bảng "${positionHeader(kind)}" dưới đây (hoặc mã ngạch dự thi, ví dụ 01.002, khi chỉ một mục có ngạch đó). Để trống chỉ khi kỳ thi có đúng một mục.`
              : `Mã trong bảng "${positionHeader(kind)}" dưới đây. Để trống chỉ khi kỳ thi có đúng một vị trí.`,
        }
      : c,
  );
}

/** Folded header (and alias) → column key, for every column of every kind. */
export const HEADER_LOOKUP: ReadonlyMap<string, CandidateColumnKey> = new Map(
  CANDIDATE_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [fold(h), c.key] as const)),
);

/** Ratings, best first, for the template's drop-down. */
export const RATING_CHOICES: readonly Rating[] = [...RATINGS].reverse();
