/**
 * Regulation profiles as data.
 *
 * A profile encodes one regulation (decree + quy chế) as plain JSON-able data: the parts of the exam,
 * how they are scored and passed, how the total is formed, priority points, the tie-break chain,
 * sanctions, delivery rules and (for promotion) eligibility. The pure functions in logic.ts are driven
 * only by this data, and an exam may override any value (overrides.ts).
 *
 * Facts come only from ../shared/reference/vn-exam-rules.md; profiles cite its [S#] tags. Where the
 * reference marks a fact NOT FOUND or UNVERIFIED the field is `null` (never an invented default) and
 * the profile's `gaps` list names it, so the board must fill it in before relying on it.
 */

export interface LocalizedText {
  vi: string;
  en: string;
}

/**
 * `title_promotion`: thăng hạng chức danh nghề nghiệp viên chức by review (xét thăng hạng, NĐ 115/2020
 * as amended by NĐ 85/2023): no paper is sat; the council checks each file and ranks within the quota.
 */
export const EXAM_KINDS = ['recruitment', 'promotion', 'assessment', 'title_promotion'] as const;
export type ExamKind = (typeof EXAM_KINDS)[number];

/**
 * How a part is sat. `paper_mc` is multiple choice on answer sheets (NĐ 138/2020 allows paper when
 * computers are unavailable [S1]); `project` is a đề án; `oral` covers a defence or an oral exam.
 */
export const PART_MODES = ['computer_mc', 'paper_mc', 'written', 'interview', 'project', 'practical', 'oral'] as const;
export type PartMode = (typeof PART_MODES)[number];

/** Subject hint: KTC kiến thức chung, NN ngoại ngữ, TH tin học, NVCN nghiệp vụ chuyên ngành, CM chuyên môn, KD kiểm định. */
export const SUBJECT_HINTS = ['KTC', 'NN', 'TH', 'NVCN', 'CM', 'KD'] as const;
export type SubjectHint = (typeof SUBJECT_HINTS)[number];

/** What a candidate may be exempted by: foreign-language degree, IT degree, a valid kiểm định result. */
export const EXEMPTION_CODES = ['foreign_language', 'it', 'kiem_dinh'] as const;
export type ExemptionCode = (typeof EXEMPTION_CODES)[number];

export const EXEMPTION_LABELS: Record<ExemptionCode, LocalizedText> = {
  foreign_language: { vi: 'Miễn thi ngoại ngữ', en: 'Exempt from foreign language' },
  it: { vi: 'Miễn thi tin học', en: 'Exempt from IT' },
  kiem_dinh: { vi: 'Có kết quả kiểm định chất lượng đầu vào', en: 'Holds an entry-quality (kiểm định) result' },
};

/** Administrative ranks (ngạch) and their codes, TT 02/2021 Điều 3 [S59]. */
export const GRADE_CODES = ['01.001', '01.002', '01.003', '01.004', '01.005'] as const;
export type GradeCode = (typeof GRADE_CODES)[number];

export const CIVIL_SERVICE_GRADES: Record<GradeCode, { short: string; name: LocalizedText }> = {
  '01.001': { short: 'CVCC', name: { vi: 'Chuyên viên cao cấp', en: 'Senior principal specialist' } },
  '01.002': { short: 'CVC', name: { vi: 'Chuyên viên chính', en: 'Principal specialist' } },
  '01.003': { short: 'CV', name: { vi: 'Chuyên viên', en: 'Specialist' } },
  '01.004': { short: 'CS', name: { vi: 'Cán sự', en: 'Officer' } },
  '01.005': { short: 'NV', name: { vi: 'Nhân viên', en: 'Staff' } },
};

export function isGradeCode(v: unknown): v is GradeCode {
  return typeof v === 'string' && (GRADE_CODES as readonly string[]).includes(v);
}

/** Tie-break criteria, applied in the order a profile lists them after the total. */
export const TIE_BREAK_CRITERIA = [
  'round2_score',
  'written_score',
  'kiem_dinh_exempt',
  'kiem_dinh_score',
  'ktc_correct',
  'nvcn_written',
  'nvcn_mc',
  'achievement',
  'female',
  'ethnic_minority',
  'older',
  'longer_service',
  'head_decides',
] as const;
export type TieBreakCriterion = (typeof TIE_BREAK_CRITERIA)[number];

/** Criteria whose value is read from part scores; the profile names the parts (`tieBreak.partSources`). */
export const PART_SOURCED_CRITERIA = ['written_score', 'ktc_correct', 'nvcn_written', 'nvcn_mc'] as const;
export type PartSourcedCriterion = (typeof PART_SOURCED_CRITERIA)[number];

export const TIE_BREAK_LABELS: Record<TieBreakCriterion, LocalizedText> = {
  round2_score: { vi: 'Điểm vòng 2 cao hơn', en: 'Higher round-2 score' },
  written_score: { vi: 'Điểm thi viết cao hơn', en: 'Higher written score' },
  kiem_dinh_exempt: {
    vi: 'Có kết quả kiểm định và được miễn vòng 1',
    en: 'Holds a kiểm định result and was exempted from round 1',
  },
  kiem_dinh_score: { vi: 'Kết quả kiểm định cao hơn', en: 'Higher kiểm định result' },
  ktc_correct: { vi: 'Nhiều câu trả lời đúng hơn ở phần Kiến thức chung vòng 1', en: 'More correct general-knowledge answers' },
  nvcn_written: { vi: 'Điểm thi viết nghiệp vụ chuyên ngành cao hơn', en: 'Higher NVCN written score' },
  nvcn_mc: { vi: 'Điểm thi trắc nghiệm nghiệp vụ chuyên ngành cao hơn', en: 'Higher NVCN multiple-choice score' },
  achievement: {
    vi: 'Có thành tích cao hơn trong hoạt động nghề nghiệp được cấp có thẩm quyền công nhận',
    en: 'Higher professional achievements recognised by a competent authority',
  },
  female: { vi: 'Người dự thi là nữ', en: 'Candidate is a woman' },
  ethnic_minority: { vi: 'Người dự thi là người dân tộc thiểu số', en: 'Candidate is from an ethnic minority' },
  older: { vi: 'Người dự thi nhiều tuổi hơn (theo ngày sinh)', en: 'Older candidate (by date of birth)' },
  longer_service: { vi: 'Người có thời gian công tác dài hơn', en: 'Longer service' },
  head_decides: { vi: 'Người đứng đầu cơ quan quyết định', en: 'The head of the agency decides' },
};

export const SANCTION_CODES = ['khien_trach', 'canh_cao', 'dinh_chi', 'huy_ket_qua'] as const;
export type SanctionCode = (typeof SANCTION_CODES)[number];

export const SANCTION_LABELS: Record<SanctionCode, LocalizedText> = {
  khien_trach: { vi: 'Khiển trách', en: 'Reprimand' },
  canh_cao: { vi: 'Cảnh cáo', en: 'Warning' },
  dinh_chi: { vi: 'Đình chỉ thi', en: 'Suspension from the exam' },
  huy_ket_qua: { vi: 'Hủy kết quả thi', en: 'Results cancelled' },
};

/** Annual quality rating of a civil servant, lowest first. */
export const RATINGS = ['khong_hoan_thanh', 'hoan_thanh', 'tot', 'xuat_sac'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<Rating, LocalizedText> = {
  khong_hoan_thanh: { vi: 'Không hoàn thành nhiệm vụ', en: 'Did not complete duties' },
  hoan_thanh: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed duties' },
  tot: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Completed duties well' },
  xuat_sac: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Completed duties excellently' },
};

export const TIMING_MODES = ['fixed_window', 'individual'] as const;
/** `fixed_window`: the clock runs from the scheduled start for everyone (TT 22/2025); `individual`: from each start. */
export type TimingMode = (typeof TIMING_MODES)[number];

/**
 * Pass rule of one part; thresholds are inclusive (exactly 50% passes).
 * `min_percent`: score / scoreScale × 100 ≥ percent (for MC: correct / total). `min_score`: score ≥ score.
 */
export type PassRule = { kind: 'min_percent'; percent: number } | { kind: 'min_score'; score: number } | { kind: 'none' };

export interface NumberRange {
  min: number;
  max: number;
}

/** One part (phần thi / môn thi) of a profile. */
export interface ProfilePart {
  /** Stable id, unique in the profile; overrides match parts by it. */
  id: string;
  name: LocalizedText;
  subject: SubjectHint;
  /** Round number (vòng), 1-based. Single-round regimes put every part in round 1. */
  round: number;
  /** null: the regulation does not say how it is sat (NOT FOUND / UNVERIFIED); the board must choose. */
  mode: PartMode | null;
  /** Number of questions, for multiple-choice parts; null if not MC or not fixed. */
  questionCount: number | null;
  /** Allowed range when the regulation gives one instead of a fixed count. */
  questionCountRange?: NumberRange;
  durationMin: number | null;
  durationRange?: NumberRange;
  /** The duration is a ceiling ("không quá"), not a fixed length. */
  durationIsMaximum?: boolean;
  /** Preparation time allowed before an interview, in minutes. */
  prepMaxMin?: number | null;
  /** Points the part is marked out of: 100, or the question count when the score is the number correct. */
  scoreScale: number;
  passRule: PassRule;
  /** `counted`: added to the total (× coefficient); `condition`: must be passed, not added. */
  role: 'counted' | 'condition';
  /** Hệ số. null where the regulation gives none (a counted part with null blocks the total until set). */
  coefficient: number | null;
  /** Exemptions that skip this part. */
  exemptibleBy: ExemptionCode[];
  /** When the part is dropped altogether. */
  droppedWhen: {
    /** Dropped when the part is sat on computer (tin học under NĐ 138/2020 [S1]). */
    onComputer?: boolean;
    /** Dropped when the position needs no foreign language (NĐ 116/2024 [S14]). */
    foreignLanguageNotRequired?: boolean;
    note?: string;
  } | null;
  /** Only for these ranks (position grade or target grade); null: every rank. */
  appliesToGrades: GradeCode[] | null;
  /** The part is one option of a board (or candidate) choice, e.g. the round-2 format. */
  choice: { choiceId: string; options: string[] } | null;
  note?: string;
  source: string;
}

/** A choice the board makes for an exam (or a candidate, when `perCandidate`), e.g. the round-2 format. */
export interface ProfileChoice {
  id: string;
  label: LocalizedText;
  options: { id: string; label: LocalizedText }[];
  /** null: not decided by the regulation; the board must select one. */
  selected: string | null;
  /** Candidates may carry their own selection (e.g. the kiểm định level). */
  perCandidate?: boolean;
  source: string;
}

/** A minimum on a sum of scores, checked after the part pass rules. */
export interface MinScoreRule {
  /** `base`: Σ coefficient × score over counted parts, before priority; `round2`: the same over round-2 parts. */
  of: 'base' | 'round2';
  min: number;
  /** Only for these ranks; null: all. */
  grades: GradeCode[] | null;
  source: string;
}

export interface TotalRule {
  /**
   * Priority points added to: `total` (Σ of all counted parts, NĐ 24/2010), `round2` (the round-2 score,
   * NĐ 138/2020 and later), or null (not added).
   */
  priorityAddedTo: 'total' | 'round2' | null;
  /** Maximum of the base score before priority, when the regulation states it (400 under NĐ 24/2010). */
  maxBeforePriority: number | null;
  minScores: MinScoreRule[];
  /**
   * `review`: no part is sat or marked (xét thăng hạng viên chức, NĐ 115/2020 Điều 40 as amended by
   * NĐ 85/2023): every candidate whose file is approved passes with a total of 0 and the places within
   * the quota go by the tie-break chain alone. Absent or `scores`: the total is formed from the parts.
   */
  basis?: 'scores' | 'review';
  source: string;
}

export interface PriorityCategory {
  code: string;
  label: LocalizedText;
  points: number;
  source: string;
}

export interface PriorityRule {
  categories: PriorityCategory[];
  /** Only the single highest category counts (every regime in the reference). */
  combine: 'highest_only';
  source: string;
}

export interface TieBreakRule {
  /** Applied in order after the ranking total; ends in 'head_decides' where the regulation says so. */
  chain: TieBreakCriterion[];
  /** Parts whose scores feed the part-based criteria (summed when several apply). */
  partSources: Partial<Record<PartSourcedCriterion, string[]>>;
  source: string;
}

export interface SanctionRule {
  code: SanctionCode;
  label: LocalizedText;
  /** Grounds, as the quy chế lists them. */
  grounds: string | null;
  /** Percent of that part's score deducted; null: NOT FOUND in the regulation (no deduction is applied). */
  deductionPercent: number | null;
  /** That paper is cancelled (scored 0). */
  paperCancelled: boolean | null;
  /** The candidate may not sit the remaining parts. */
  barsLaterParts: boolean | null;
  /** The candidate's whole result is cancelled. */
  cancelsResult: boolean | null;
  /** A practice seen in the field, recorded for information only; never applied. */
  practiceExample?: string;
  source: string;
}

/** How late a candidate may still be admitted, by paper length. */
export interface LateAdmissionRule {
  /** The first band containing the paper's duration applies. Bounds are inclusive; null: open. */
  bands: { paperMinAtLeast: number | null; paperMinAtMost: number | null; maxLateMin: number }[];
  /** Durations no band covers. */
  otherwise: 'chair_decides' | 'not_admitted' | null;
  source: string;
}

export interface ServiceTimeRule {
  targetGrade: GradeCode;
  /** Ranks the candidate may hold now; null: any lower rank. */
  fromGrades: GradeCode[] | null;
  /** Years in the current rank or equivalent; null: NOT FOUND. */
  minYears: number | null;
  /** Of which, years in exactly the rank below; null: not required or NOT FOUND. */
  minYearsInExactGrade: number | null;
  excludesProbation: boolean | null;
  /** The reference calls the source weak. */
  weakSource?: boolean;
  source: string;
}

export interface EligibilityRule {
  serviceTime: ServiceTimeRule[];
  /** Minimum rating for the last `years` years (consecutive); null: not configured. */
  rating: { min: Rating; years: number } | null;
  noDiscipline: boolean | null;
  /** Conditions the board checks from documents; listed for the screen, not evaluated here. */
  otherConditions: LocalizedText[];
  source: string;
}

export interface RoundDef {
  round: number;
  name: LocalizedText;
}

export interface RegulationProfile {
  id: string;
  name: LocalizedText;
  kind: ExamKind;
  /** The legal basis as text (decrees, circulars, articles). */
  legalBasis: string;
  /** [S#] tags of the reference used by this profile. */
  sources: string[];
  /**
   * The dates the profile governs (ISO, inclusive); null where the reference gives none. `note` explains
   * a transition that moves an end date (NĐ 170/2025 Điều 70 for nd116-2024).
   */
  effective: { from: string | null; to: string | null; note?: string };
  /** Ranks the profile covers (promotion: target ranks); null: not restricted. */
  targetGrades: GradeCode[] | null;
  rounds: RoundDef[];
  parts: ProfilePart[];
  choices: ProfileChoice[];
  total: TotalRule;
  priority: PriorityRule;
  tieBreak: TieBreakRule;
  sanctions: SanctionRule[];
  timingMode: TimingMode | null;
  /** The paper is submitted automatically when time is up. */
  autoSubmit: boolean | null;
  /** Computer results are shown to the candidate right after the paper. */
  showResultImmediately: boolean | null;
  /** A printed result sheet is signed by each candidate (TT 22/2025). */
  resultSheetSigned: boolean | null;
  /** No re-marking (phúc khảo) of computer round-1 results. */
  noPhucKhaoComputerRound1: boolean | null;
  lateAdmission: LateAdmissionRule | null;
  /** The question bank must hold at least this multiple of the questions needed (TT 06/2020 Điều 19: 3). */
  bankMultiple: number | null;
  /** Months a kiểm định result stays valid (NĐ 06/2023 Điều 10 k1: 24); null where kiểm định does not apply. */
  kiemDinhValidityMonths: number | null;
  /**
   * The date the kiểm định validity is counted to: the deadline for receiving applications (hạn nhận
   * phiếu đăng ký dự tuyển, NĐ 116/2024) or the exam date; null where kiểm định does not apply.
   */
  kiemDinhValidAt?: 'application_deadline' | 'exam_date' | null;
  /**
   * The minimum kiểm định result (percent correct) the recruiting body requires for the exemption;
   * null: no requirement set. NĐ 116/2024 lets the recruiting body set it; it is an exam setting.
   */
  kiemDinhMinPercent?: number | null;
  /**
   * Sessions a person whose result was cancelled may not register for, counted from the cancellation
   * (NĐ 06/2023 Điều 10 k4 c: "Người bị hủy bỏ kết quả kiểm định không được đăng ký dự kiểm định trong
   * một kỳ kiểm định tiếp theo": 1). Absent or null: no bar stated.
   */
  cancellationBarsSessions?: number | null;
  /**
   * Partly right multiple-answer questions earn a fraction of a point. Every official profile says
   * false: computer MC parts count "số câu trả lời đúng" (the number of correct answers), and a partly
   * right answer is not a correct answer. Only the custom profile may turn it on, outside the regulations.
   */
  partialCredit: boolean;
  /** Results may be carried over to a later exam (bảo lưu). */
  resultsCarryOver: boolean | null;
  eligibility: EligibilityRule | null;
  /** NOT FOUND / UNVERIFIED items the board must settle, in words. */
  gaps: string[];
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs of the logic functions.

/** A part's raw result: number correct of total (MC), or a score on the part's scale. */
export type PartResultInput = { correct: number; total: number } | { score: number };

export interface PartScoreInput {
  partId: string;
  correct?: number;
  total?: number;
  score?: number;
  /** Did not sit the part. */
  absent?: boolean;
}

export interface SanctionRecord {
  partId: string;
  code: SanctionCode;
}

export interface KiemDinhRecord {
  /** ISO date of the result. */
  resultDate: string;
  correct: number;
  total: number;
  passed: boolean;
}

export interface ProfileCandidate {
  id: string;
  gender?: 'female' | 'male' | null;
  ethnicMinority?: boolean;
  /** ISO date. */
  birthDate?: string | null;
  serviceMonths?: number | null;
  /** The position's rank (recruitment) or the target rank (promotion). */
  grade?: GradeCode | null;
  priorityCodes?: readonly string[];
  exemptions?: readonly ExemptionCode[];
  kiemDinh?: KiemDinhRecord | null;
  /** false when the position needs no foreign language. */
  foreignLanguageRequired?: boolean;
  /** Per-candidate selections of `perCandidate` choices. */
  choices?: Readonly<Record<string, string>>;
  sanctions?: readonly SanctionRecord[];
  /** Order recorded by the head for a tie the chain left open (1 = first). */
  headDecisionOrder?: number | null;
  /**
   * The level of the candidate's professional achievements recognised by a competent authority, as the
   * council ranks them (higher is better), for the tie-break `achievement` (NĐ 85/2023 khoản 20 Điều 1,
   * Điều 40 k2 a of NĐ 115/2020). The decree gives no scale: the council records a number per candidate.
   */
  achievementLevel?: number | null;
}

export interface PromotionCandidate {
  currentGrade: GradeCode | null;
  targetGrade: GradeCode | null;
  /** Years in the current rank or equivalent, probation excluded. */
  yearsInGrade: number | null;
  /** Years in exactly the rank below the target. */
  yearsInExactGrade?: number | null;
  /** Annual ratings, most recent last. */
  ratings: readonly Rating[];
  underDiscipline: boolean | null;
}

export type EligibilityIssueCode =
  | 'target_grade_not_offered'
  | 'current_grade'
  | 'years_in_grade'
  | 'years_in_exact_grade'
  | 'rating'
  | 'discipline'
  | 'data_missing'
  | 'rule_unset';

export interface EligibilityIssue {
  code: EligibilityIssueCode;
  message: string;
  /** false for a rule the profile leaves unset: shown to the board, not a failure. */
  blocking: boolean;
}

export type PartStatus =
  | 'passed'
  | 'failed'
  | 'absent'
  | 'missing'
  | 'exempt'
  | 'dropped'
  | 'not_applicable'
  | 'barred'
  | 'cancelled'
  | 'unconfigured';

export interface PartOutcome {
  partId: string;
  name: LocalizedText;
  round: number;
  role: 'counted' | 'condition';
  status: PartStatus;
  /** On the part's scale, before sanctions. */
  rawScore: number | null;
  /** On the part's scale, after sanctions. */
  score: number | null;
  scoreScale: number;
  correct: number | null;
  /** score × coefficient, for counted parts that were sat. */
  weighted: number | null;
  passed: boolean;
  sanctions: SanctionCode[];
  exemptedBy: ExemptionCode | null;
}

export type ReasonCode =
  | 'part_failed'
  | 'part_absent'
  | 'score_missing'
  | 'invalid_score'
  | 'barred'
  | 'paper_cancelled'
  | 'result_cancelled'
  | 'min_score'
  | 'config_incomplete'
  | 'kiem_dinh_invalid'
  | 'unknown_priority'
  | 'unknown_sanction'
  | 'deduction_unset'
  | 'invalid_data'
  /** the candidate's eligibility record says not eligible (issue 13) */
  | 'not_eligible';

export interface ResultReason {
  code: ReasonCode;
  partId?: string;
  /** Vietnamese, shown first */
  message: string;
  /** the same in English, shown in English mode */
  messageEn: string;
}

export interface TieBreakValues {
  round2Score: number | null;
  writtenScore: number | null;
  kiemDinhExempt: boolean;
  kiemDinhScore: number | null;
  ktcCorrect: number | null;
  nvcnWritten: number | null;
  nvcnMc: number | null;
  /** The council's achievement level (see ProfileCandidate.achievementLevel); null: none recorded. */
  achievement: number | null;
  female: boolean;
  ethnicMinority: boolean;
  birthDate: string | null;
  serviceMonths: number | null;
  headDecisionOrder: number | null;
}

export interface CandidateResult {
  candidateId: string;
  grade: GradeCode | null;
  parts: PartOutcome[];
  /** Every condition part passed, exempted or dropped. */
  conditionsMet: boolean;
  /** Σ coefficient × score over counted parts, before priority. */
  baseScore: number | null;
  round2Score: number | null;
  priorityPoints: number;
  priorityCode: string | null;
  /** The ranking total; null when the profile or the scores are incomplete. */
  total: number | null;
  passed: boolean;
  cancelled: boolean;
  /** Why the candidate does not pass (Vietnamese). */
  reasons: ResultReason[];
  /** Points the board should look at that do not by themselves fail the candidate. */
  warnings: ResultReason[];
  tie: TieBreakValues;
}

export type RankStatus = 'selected' | 'below_quota' | 'tie_pending' | 'failed' | 'sanction';

export interface RankRow {
  candidateId: string;
  /** Competition rank among passing candidates (1, 2, 2, 4); null when not passing. */
  rank: number | null;
  total: number | null;
  selected: boolean;
  status: RankStatus;
  /** Vietnamese reason when not selected. */
  reason: string | null;
  /** The same reason in English. */
  reasonEn: string | null;
  /** What placed this candidate below the one ranked just above: 'total' or a tie-break criterion. */
  decidedBy: 'total' | TieBreakCriterion | null;
  /** Index into `tiedGroups` when the chain left this candidate tied. */
  tieGroup: number | null;
}

export interface TiedGroup {
  rank: number;
  candidateIds: string[];
  /** Seats of the quota left for this group. */
  seats: number;
  /** The group straddles the quota: the head must decide (marked, never guessed). */
  needsHeadDecision: boolean;
}

export interface RankingResult {
  quota: number;
  selectedCount: number;
  /** Passing candidates in rank order, then the others in input order. */
  rows: RankRow[];
  tiedGroups: TiedGroup[];
}
