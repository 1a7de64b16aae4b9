export const DIFFICULTIES = ['nhan_biet', 'thong_hieu', 'van_dung', 'van_dung_cao'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const DIFFICULTY_LABELS: Record<Difficulty, { vi: string; en: string }> = {
  nhan_biet: { vi: 'Nhận biết', en: 'Remembering' },
  thong_hieu: { vi: 'Thông hiểu', en: 'Understanding' },
  van_dung: { vi: 'Vận dụng', en: 'Applying' },
  van_dung_cao: { vi: 'Vận dụng cao', en: 'Advanced application' },
};

export function isDifficulty(v: unknown): v is Difficulty {
  return typeof v === 'string' && (DIFFICULTIES as readonly string[]).includes(v);
}

export const QUESTION_STATUSES = ['draft', 'submitted', 'approved', 'retired'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const STATUS_LABELS: Record<QuestionStatus, { vi: string; en: string }> = {
  draft: { vi: 'Bản nháp', en: 'Draft' },
  submitted: { vi: 'Chờ duyệt', en: 'Submitted' },
  approved: { vi: 'Đã duyệt', en: 'Approved' },
  retired: { vi: 'Ngừng sử dụng', en: 'Retired' },
};

/** Allowed workflow moves: from -> to. Edits of approved questions make a new version instead. */
export const STATUS_TRANSITIONS: Record<QuestionStatus, readonly QuestionStatus[]> = {
  draft: ['submitted', 'retired'],
  submitted: ['approved', 'draft', 'retired'],
  approved: ['retired'],
  retired: [],
};
