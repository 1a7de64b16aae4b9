import { type Static, Type } from '@sinclair/typebox';
import type { PartStatus, RankStatus, SanctionCode, TieBreakCriterion } from '../rules/types.js';
import { lit, orNull } from './common.js';

/**
 * Scoring, ranking and results (issue 6). Computer parts are scored from the attempts; other parts
 * (written, interview, đề án …) from markers' entries. Ranking uses the exam's regulation profile.
 */

// ---------- marking of parts not sat on computer ----------

/**
 * How a part is marked. The regulations found do not say how two markers' scores combine
 * (vn-exam-rules.md: Ban chấm thi NOT FOUND), so the board sets it per exam part.
 */
export const MarkingRuleBody = Type.Object({
  /** independent markers per paper */
  markers: Type.Union([Type.Literal(1), Type.Literal(2)]),
  /** two scores further apart than this (in points) go to the board to resolve */
  maxDifference: Type.Number({ minimum: 0, maximum: 100 }),
  /** how two scores within the difference combine */
  combine: lit(['average'] as const),
});
export type MarkingRuleBody = Static<typeof MarkingRuleBody>;

export interface MarkingRuleDto extends MarkingRuleBody {
  partId: number;
}

export const DEFAULT_MARKING_RULE: MarkingRuleBody = { markers: 1, maxDifference: 0, combine: 'average' };

/**
 * A batch of one marker's scores for a part, typed twice (double entry): each row's `score` must
 * equal `scoreAgain`. The batch is all-or-nothing with a row-level report. `score: null` = absent.
 */
export const ScoreEntryBody = Type.Object({
  partId: Type.Integer({ minimum: 1 }),
  /** 1 or 2: the marker; 0: the board's resolution of a difference (needs a reason) */
  marker: Type.Integer({ minimum: 0, maximum: 2 }),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
  /**
   * The board accepts marks for candidates who did not sit or did not pass the round before (which the
   * profile makes a condition); needs a reason, written to the audit log for each such candidate.
   */
  overridePreviousRound: Type.Optional(Type.Boolean()),
  rows: Type.Array(
    Type.Object({
      number: Type.String({ minLength: 1, maxLength: 32 }),
      // one type list: an anyOf let the validator turn a mark of 0 into null (absent), issue 13
      score: orNull('number'),
      scoreAgain: orNull('number'),
    }),
    { minItems: 1, maxItems: 20000 },
  ),
});
export type ScoreEntryBody = Static<typeof ScoreEntryBody>;

export interface ScoreEntryIssue {
  /** 1-based row of the batch */
  row: number;
  number: string;
  code: 'UNKNOWN_CANDIDATE' | 'MISMATCH' | 'OUT_OF_RANGE' | 'NOT_A_NUMBER' | 'DUPLICATE' | 'NOT_NEEDED' | 'PREVIOUS_ROUND';
  message: string;
}

export interface ScoreEntryReport {
  saved: number;
}

/** One candidate's marks on a part not sat on computer. */
export interface MarkDto {
  marker1: number | null;
  marker2: number | null;
  /** the board's resolution, when the markers differed too much */
  resolved: number | null;
  absent: boolean;
  /** the score that counts, once known */
  final: number | null;
  state: 'missing' | 'partial' | 'needs_resolution' | 'done' | 'absent';
}

/** One candidate's marks on a part, as the entry screens list them (GET /api/exams/:id/scores). */
export interface CandidateMarksDto {
  candidateId: number;
  number: string;
  fullName: string;
  roomCode: string | null;
  marks: MarkDto;
}

// ---------- key corrections ----------

export const KeyCorrectionBody = Type.Object({
  /** the question version whose key is wrong */
  versionId: Type.Integer({ minimum: 1 }),
  kind: lit(['rekey', 'void'] as const),
  /** rekey: the correct option ids */
  correct: Type.Optional(Type.Array(Type.String({ maxLength: 8 }), { minItems: 1, maxItems: 6 })),
  /** void: everyone gets the mark, or the question is dropped from the total */
  mode: Type.Optional(lit(['full_marks', 'drop'] as const)),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
});
export type KeyCorrectionBody = Static<typeof KeyCorrectionBody>;

export interface AttemptScoreChange {
  attemptId: number;
  number: string;
  fullName: string;
  partName: string;
  before: { correct: number; total: number; score: number; passed: boolean };
  after: { correct: number; total: number; score: number; passed: boolean };
}

export interface KeyCorrectionReport {
  correctionId: number;
  versionId: number;
  /** attempts whose paper holds the question */
  affected: number;
  /** of those, the ones whose score changed */
  changed: AttemptScoreChange[];
  /** the results had been published and are now open again */
  unpublished: boolean;
}

export interface KeyCorrectionDto {
  id: number;
  versionId: number;
  questionId: number;
  kind: 'rekey' | 'void';
  correct: string[] | null;
  mode: 'full_marks' | 'drop' | null;
  reason: string;
  by: string;
  at: string;
  affected: number;
  changed: number;
}

// ---------- results ----------

export interface ResultPartDto {
  partId: number;
  code: string;
  name: string;
  round: number;
  mode: string;
  role: 'counted' | 'condition';
  status: PartStatus;
  /** on the part's scale, after sanctions */
  score: number | null;
  scoreScale: number;
  correct: number | null;
  total: number | null;
  /** parts not sat on computer */
  marks: MarkDto | null;
}

export interface ResultRowDto {
  candidateId: number;
  number: string;
  fullName: string;
  dateOfBirth: string;
  roomCode: string | null;
  parts: ResultPartDto[];
  conditionsMet: boolean;
  baseScore: number | null;
  priorityPoints: number;
  priorityCode: string | null;
  total: number | null;
  rank: number | null;
  selected: boolean;
  status: RankStatus;
  /** why not selected (failed part X, below quota, sanction), Vietnamese */
  reason: string | null;
  /** the same reason in English (English mode) */
  reasonEn: string | null;
  reasons: string[];
  reasonsEn: string[];
  warnings: string[];
  warningsEn: string[];
  tieGroup: number | null;
  sanctions: SanctionCode[];
  /** why the row has its place, in plain Vietnamese and English (issue 13) */
  explanation: RowExplanationDto;
}

// ---------- explanations of places (issue 13) ----------

/** The head's decision on a tie, as the formal record cites it. */
export interface HeadDecisionRefDto {
  /** "Số 12/QĐ-UBND" */
  decisionNumber: string;
  /** ISO date the decision was signed */
  decisionDate: string;
  /** who signed it (name and title) */
  signer: string;
}

/** How this row compares with its neighbour in the group of equal totals. */
export interface TieStepDto {
  otherCandidateId: number;
  otherNumber: string;
  /** 'above': this row is placed above the other; 'below': under it; 'tied': still equal */
  direction: 'above' | 'below' | 'tied';
  /** the first criterion of the chain that separates them; null while they are still equal */
  criterion: TieBreakCriterion | null;
  /** this row's and the other's value of that criterion, as printed */
  value: { vi: string; en: string } | null;
  otherValue: { vi: string; en: string } | null;
  /** the head's decision, when that is what separated them */
  decision: HeadDecisionRefDto | null;
}

export interface TieExplanationDto {
  /** the common total */
  total: number;
  /** every candidate with that total, in rank order */
  candidateIds: number[];
  numbers: string[];
  steps: TieStepDto[];
}

export type ExplanationKind = 'total' | 'conditions' | 'priority' | 'tie' | 'outcome';

export interface ExplanationLineDto {
  kind: ExplanationKind;
  vi: string;
  en: string;
}

export interface RowExplanationDto {
  lines: ExplanationLineDto[];
  tie: TieExplanationDto | null;
}

export interface TieDecisionDto {
  /** candidates in the order the head decided */
  candidateIds: number[];
  reason: string;
  /** the user who recorded it */
  by: string;
  at: string;
  /** the formal record (null for decisions recorded before it was required) */
  ref: HeadDecisionRefDto | null;
}

export interface TiedGroupDto {
  rank: number;
  candidateIds: number[];
  /** quota seats left for the group */
  seats: number;
  decision: TieDecisionDto | null;
}

export interface PositionResultDto {
  positionId: number;
  code: string;
  name: string;
  quota: number;
  rows: ResultRowDto[];
  tiedGroups: TiedGroupDto[];
  selected: number;
}

export interface ResultsPublicationDto {
  publishedAt: string;
  by: string;
  sha256: string;
}

export interface ExamResultsDto {
  examId: number;
  examName: string;
  examCode: string;
  profileId: string;
  /** frozen once published (the rows are the published snapshot) */
  published: ResultsPublicationDto | null;
  positions: PositionResultDto[];
  /** what blocks publication */
  blockers: {
    code: 'SCORES_MISSING' | 'NEEDS_RESOLUTION' | 'TIES_PENDING' | 'PARTS_UNSAT' | 'SITTINGS_NOT_SEALED' | 'PART_NOT_SCHEDULED';
    count: number;
    message: string;
  }[];
  computedAt: string;
}

export const TieDecisionBody = Type.Object({
  positionId: Type.Integer({ minimum: 1 }),
  /** every candidate of one tied group, in the decided order */
  candidateIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 1000 }),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
  /** the head's decision: its number ("15/QĐ-UBND"), date (YYYY-MM-DD) and signer */
  decisionNumber: Type.String({ minLength: 1, maxLength: 100 }),
  decisionDate: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  signer: Type.String({ minLength: 1, maxLength: 200 }),
});
export type TieDecisionBody = Static<typeof TieDecisionBody>;

export const PublishBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) });

export const ResultLookupBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 32 }),
  pin: Type.String({ minLength: 4, maxLength: 12 }),
});
export type ResultLookupBody = Static<typeof ResultLookupBody>;

/** What a candidate sees of their published result. */
export interface ResultLookupDto {
  examName: string;
  number: string;
  fullName: string;
  positionName: string;
  parts: { name: string; status: PartStatus; score: number | null; scoreScale: number }[];
  total: number | null;
  priorityPoints: number;
  rank: number | null;
  selected: boolean;
  reason: string | null;
  /** the same reason in English */
  reasonEn: string | null;
  /** why the candidate has this place (issue 13) */
  explanation: RowExplanationDto;
  publishedAt: string;
}

// ---------- statistics ----------

export interface HistogramDto {
  partId: number;
  name: string;
  scoreScale: number;
  /** bins of equal width from 0 to the scale; the last bin includes the maximum */
  bins: { from: number; to: number; count: number }[];
  mean: number | null;
  passRate: number | null;
}

export interface PassRateDto {
  key: string;
  label: string;
  candidates: number;
  passed: number;
  rate: number | null;
}

export interface ResultsStatsDto {
  histograms: HistogramDto[];
  byRoom: PassRateDto[];
  byPosition: PassRateDto[];
}
