import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { EXAM_PHASES, ROOM_STATES } from '../lifecycle/index.js';
import { SANCTION_CODES, TIE_BREAK_CRITERIA } from '../rules/types.js';
import { lit, orNull } from './common.js';
import { EXAM_STATUSES } from './exams.js';

/** A value or null, as a schema the serializer and the TypeBox compiler both understand. */
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const PART_STATUSES = [
  'passed',
  'failed',
  'absent',
  'missing',
  'exempt',
  'dropped',
  'not_applicable',
  'barred',
  'cancelled',
  'unconfigured',
] as const;
const RANK_STATUSES = ['selected', 'below_quota', 'tie_pending', 'failed', 'sanction'] as const;

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

export const MarkingRuleDto = Type.Object({ partId: Type.Integer(), ...MarkingRuleBody.properties });
export type MarkingRuleDto = Static<typeof MarkingRuleDto>;

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

export const ScoreEntryReport = Type.Object({ saved: Type.Integer() });
export type ScoreEntryReport = Static<typeof ScoreEntryReport>;

/** One candidate's marks on a part not sat on computer. */
export const MarkDto = Type.Object({
  marker1: nullable(Type.Number()),
  marker2: nullable(Type.Number()),
  /** the board's resolution, when the markers differed too much */
  resolved: nullable(Type.Number()),
  absent: Type.Boolean(),
  /** the score that counts, once known */
  final: nullable(Type.Number()),
  state: lit(['missing', 'partial', 'needs_resolution', 'done', 'absent'] as const),
});
export type MarkDto = Static<typeof MarkDto>;

/** One candidate's marks on a part, as the entry screens list them (GET /api/exams/:id/scores). */
export const CandidateMarksDto = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  roomCode: nullable(Type.String()),
  marks: MarkDto,
});
export type CandidateMarksDto = Static<typeof CandidateMarksDto>;

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

const AttemptScore = Type.Object({ correct: Type.Number(), total: Type.Number(), score: Type.Number(), passed: Type.Boolean() });
export const AttemptScoreChange = Type.Object({
  attemptId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  partName: Type.String(),
  before: AttemptScore,
  after: AttemptScore,
});
export type AttemptScoreChange = Static<typeof AttemptScoreChange>;

export const KeyCorrectionReport = Type.Object({
  correctionId: Type.Integer(),
  versionId: Type.Integer(),
  /** attempts whose paper holds the question */
  affected: Type.Integer(),
  /** of those, the ones whose score changed */
  changed: Type.Array(AttemptScoreChange),
  /** the results had been published and are now open again */
  unpublished: Type.Boolean(),
});
export type KeyCorrectionReport = Static<typeof KeyCorrectionReport>;

export const KeyCorrectionDto = Type.Object({
  id: Type.Integer(),
  versionId: Type.Integer(),
  questionId: Type.Integer(),
  kind: lit(['rekey', 'void'] as const),
  correct: nullable(Type.Array(Type.String())),
  mode: nullable(lit(['full_marks', 'drop'] as const)),
  reason: Type.String(),
  by: Type.String(),
  at: Type.String(),
  affected: Type.Integer(),
  changed: Type.Integer(),
});
export type KeyCorrectionDto = Static<typeof KeyCorrectionDto>;

// ---------- explanations of places (issue 13) ----------

const Localized = Type.Object({ vi: Type.String(), en: Type.String() });

/** The head's decision on a tie, as the formal record cites it. */
export const HeadDecisionRefDto = Type.Object({
  /** "Số 12/QĐ-UBND" */
  decisionNumber: Type.String(),
  /** ISO date the decision was signed */
  decisionDate: Type.String(),
  /** who signed it (name and title) */
  signer: Type.String(),
});
export type HeadDecisionRefDto = Static<typeof HeadDecisionRefDto>;

/** How this row compares with its neighbour in the group of equal totals. */
export const TieStepDto = Type.Object({
  otherCandidateId: Type.Integer(),
  otherNumber: Type.String(),
  /** 'above': this row is placed above the other; 'below': under it; 'tied': still equal */
  direction: lit(['above', 'below', 'tied'] as const),
  /** the first criterion of the chain that separates them; null while they are still equal */
  criterion: nullable(lit(TIE_BREAK_CRITERIA)),
  /** this row's and the other's value of that criterion, as printed */
  value: nullable(Localized),
  otherValue: nullable(Localized),
  /** the head's decision, when that is what separated them */
  decision: nullable(HeadDecisionRefDto),
});
export type TieStepDto = Static<typeof TieStepDto>;

export const TieExplanationDto = Type.Object({
  /** the common total */
  total: Type.Number(),
  /** every candidate with that total, in rank order */
  candidateIds: Type.Array(Type.Integer()),
  numbers: Type.Array(Type.String()),
  steps: Type.Array(TieStepDto),
});
export type TieExplanationDto = Static<typeof TieExplanationDto>;

const EXPLANATION_KINDS = ['total', 'conditions', 'priority', 'tie', 'outcome'] as const;
export type ExplanationKind = (typeof EXPLANATION_KINDS)[number];

export const ExplanationLineDto = Type.Object({ kind: lit(EXPLANATION_KINDS), vi: Type.String(), en: Type.String() });
export type ExplanationLineDto = Static<typeof ExplanationLineDto>;

export const RowExplanationDto = Type.Object({
  lines: Type.Array(ExplanationLineDto),
  tie: nullable(TieExplanationDto),
});
export type RowExplanationDto = Static<typeof RowExplanationDto>;

// ---------- results ----------

export const ResultPartDto = Type.Object({
  partId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  round: Type.Integer(),
  mode: Type.String(),
  role: lit(['counted', 'condition'] as const),
  status: lit(PART_STATUSES),
  /** on the part's scale, after sanctions */
  score: nullable(Type.Number()),
  scoreScale: Type.Number(),
  correct: nullable(Type.Number()),
  total: nullable(Type.Number()),
  /** parts not sat on computer */
  marks: nullable(MarkDto),
});
export type ResultPartDto = Static<typeof ResultPartDto>;

export const ResultRowDto = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  dateOfBirth: Type.String(),
  roomCode: nullable(Type.String()),
  parts: Type.Array(ResultPartDto),
  conditionsMet: Type.Boolean(),
  baseScore: nullable(Type.Number()),
  priorityPoints: Type.Number(),
  priorityCode: nullable(Type.String()),
  total: nullable(Type.Number()),
  rank: nullable(Type.Integer()),
  selected: Type.Boolean(),
  status: lit(RANK_STATUSES),
  /** why not selected (failed part X, below quota, sanction), Vietnamese */
  reason: nullable(Type.String()),
  /** the same reason in English (English mode); absent in results published before it existed */
  reasonEn: Type.Optional(nullable(Type.String())),
  reasons: Type.Array(Type.String()),
  reasonsEn: Type.Optional(Type.Array(Type.String())),
  warnings: Type.Array(Type.String()),
  warningsEn: Type.Optional(Type.Array(Type.String())),
  tieGroup: nullable(Type.Integer()),
  sanctions: Type.Array(lit(SANCTION_CODES)),
  /** why the row has its place, in plain Vietnamese and English (issue 13) */
  explanation: RowExplanationDto,
});
export type ResultRowDto = Static<typeof ResultRowDto>;

export const TieDecisionDto = Type.Object({
  /** candidates in the order the head decided */
  candidateIds: Type.Array(Type.Integer()),
  reason: Type.String(),
  /** the user who recorded it */
  by: Type.String(),
  at: Type.String(),
  /** the formal record (null for decisions recorded before it was required) */
  ref: nullable(HeadDecisionRefDto),
});
export type TieDecisionDto = Static<typeof TieDecisionDto>;

export const TiedGroupDto = Type.Object({
  rank: Type.Number(),
  candidateIds: Type.Array(Type.Integer()),
  /** quota seats left for the group */
  seats: Type.Integer(),
  decision: nullable(TieDecisionDto),
});
export type TiedGroupDto = Static<typeof TiedGroupDto>;

export const PositionResultDto = Type.Object({
  positionId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  quota: Type.Integer(),
  rows: Type.Array(ResultRowDto),
  tiedGroups: Type.Array(TiedGroupDto),
  selected: Type.Integer(),
});
export type PositionResultDto = Static<typeof PositionResultDto>;

export const ResultsPublicationDto = Type.Object({ publishedAt: Type.String(), by: Type.String(), sha256: Type.String() });
export type ResultsPublicationDto = Static<typeof ResultsPublicationDto>;

export const ResultsBlockerDto = Type.Object({
  code: lit([
    'SCORES_MISSING',
    'NEEDS_RESOLUTION',
    'TIES_PENDING',
    'PARTS_UNSAT',
    'SITTINGS_NOT_SEALED',
    'PART_NOT_SCHEDULED',
  ] as const),
  count: Type.Integer(),
  message: Type.String(),
});

export const ExamResultsDto = Type.Object({
  examId: Type.Integer(),
  examName: Type.String(),
  examCode: Type.String(),
  profileId: Type.String(),
  /** frozen once published (the rows are the published snapshot) */
  published: nullable(ResultsPublicationDto),
  positions: Type.Array(PositionResultDto),
  /** what blocks publication */
  blockers: Type.Array(ResultsBlockerDto),
  computedAt: Type.String(),
});
export type ExamResultsDto = Static<typeof ExamResultsDto>;

/** GET /api/exams/:id/lifecycle: the response contract of ExamLifecycleDto (shared/src/lifecycle). */
export const ExamLifecycleResponse = Type.Object({
  status: lit(EXAM_STATUSES),
  phase: lit(EXAM_PHASES),
  timeZone: Type.String(),
  sittings: Type.Array(
    Type.Object({
      sittingId: Type.Integer(),
      name: Type.String(),
      startsAt: Type.String(),
      state: lit(ROOM_STATES),
      rooms: Type.Array(Type.Object({ roomId: Type.Integer(), roomCode: Type.String(), state: lit(ROOM_STATES) })),
    }),
  ),
  next: Type.Array(Type.Object({ action: Type.String(), allowed: Type.Boolean(), reason: nullable(Localized) })),
});

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
export const ResultLookupDto = Type.Object({
  examName: Type.String(),
  number: Type.String(),
  fullName: Type.String(),
  positionName: Type.String(),
  parts: Type.Array(
    Type.Object({ name: Type.String(), status: lit(PART_STATUSES), score: nullable(Type.Number()), scoreScale: Type.Number() }),
  ),
  total: nullable(Type.Number()),
  priorityPoints: Type.Number(),
  rank: nullable(Type.Integer()),
  selected: Type.Boolean(),
  reason: nullable(Type.String()),
  /** the same reason in English; absent in results published before it existed */
  reasonEn: Type.Optional(nullable(Type.String())),
  /** why the candidate has this place (issue 13) */
  explanation: RowExplanationDto,
  publishedAt: Type.String(),
});
export type ResultLookupDto = Static<typeof ResultLookupDto>;

// ---------- statistics ----------

export const HistogramDto = Type.Object({
  partId: Type.Integer(),
  name: Type.String(),
  scoreScale: Type.Number(),
  /** bins of equal width from 0 to the scale; the last bin includes the maximum */
  bins: Type.Array(Type.Object({ from: Type.Number(), to: Type.Number(), count: Type.Integer() })),
  mean: nullable(Type.Number()),
  passRate: nullable(Type.Number()),
});
export type HistogramDto = Static<typeof HistogramDto>;

export const PassRateDto = Type.Object({
  key: Type.String(),
  label: Type.String(),
  candidates: Type.Integer(),
  passed: Type.Integer(),
  rate: nullable(Type.Number()),
});
export type PassRateDto = Static<typeof PassRateDto>;

export const ResultsStatsDto = Type.Object({
  histograms: Type.Array(HistogramDto),
  byRoom: Type.Array(PassRateDto),
  byPosition: Type.Array(PassRateDto),
});
export type ResultsStatsDto = Static<typeof ResultsStatsDto>;
