import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { lit } from './common.js';

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const RANK_STATUSES = ['selected', 'below_quota', 'tie_pending', 'failed', 'sanction'] as const;

/**
 * Phúc khảo (issue 13): a candidate's request to re-mark a paper not sat on computer, recorded by the
 * board; two reviewers who did not mark it; their marks typed twice; the rule for which mark stands;
 * the results republished as a new version with a before/after report and both SHA-256s.
 *
 * The law found gives no deadline for requests nor says which mark stands (vn-exam-rules.md:
 * "Deadline NOT FOUND"), so the board sets both per exam before accepting requests.
 */
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

export const REVIEW_MARK_RULES = ['review', 'higher'] as const;
export type ReviewMarkRule = (typeof REVIEW_MARK_RULES)[number];

export const ReviewSettingsBody = Type.Object({
  /** days after the publication date during which requests are accepted */
  windowDays: Type.Integer({ minimum: 1, maximum: 180 }),
  /** 'review': the reviewers' mark stands (higher or lower); 'higher': the higher of the original and the review */
  markRule: lit(REVIEW_MARK_RULES),
});
export type ReviewSettingsBody = Static<typeof ReviewSettingsBody>;

export const ReviewSettingsDto = Type.Object({
  /** null until the board sets them */
  settings: nullable(ReviewSettingsBody),
  /** publication the window runs from, and the last day requests are accepted */
  publishedOn: nullable(Type.String()),
  lastDay: nullable(Type.String()),
  /** why these are set by the board (NOT FOUND in the law) */
  note: Type.String(),
  /** which parts can be reviewed, and why computer parts cannot */
  computerParts: Type.String(),
});
export type ReviewSettingsDto = Static<typeof ReviewSettingsDto>;

export const ReviewRequestBody = Type.Object({
  /** số báo danh */
  number: Type.String({ minLength: 1, maxLength: 32 }),
  partId: Type.Integer({ minimum: 1 }),
  /** the date the request was received */
  requestedOn: IsoDate,
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type ReviewRequestBody = Static<typeof ReviewRequestBody>;

export const ReviewAssignBody = Type.Object({
  reviewer1: Type.Integer({ minimum: 1 }),
  reviewer2: Type.Integer({ minimum: 1 }),
});
export type ReviewAssignBody = Static<typeof ReviewAssignBody>;

/** One reviewer's mark, typed twice. */
export const ReviewMarkBody = Type.Object({
  reviewer: Type.Union([Type.Literal(1), Type.Literal(2)]),
  score: Type.Number(),
  scoreAgain: Type.Number(),
});
export type ReviewMarkBody = Static<typeof ReviewMarkBody>;

export const RepublishBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) });
export type RepublishBody = Static<typeof RepublishBody>;

export const REVIEW_STATUSES = ['open', 'assigned', 'marked', 'republished'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const ReviewRequestDto = Type.Object({
  id: Type.Integer(),
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  partId: Type.Integer(),
  partName: Type.String(),
  requestedOn: Type.String(),
  note: nullable(Type.String()),
  status: lit(REVIEW_STATUSES),
  reviewers: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  marks: Type.Object({ reviewer1: nullable(Type.Number()), reviewer2: nullable(Type.Number()) }),
  /** the mark before the review, the reviewers' mark and the one that stands */
  original: nullable(Type.Number()),
  review: nullable(Type.Number()),
  final: nullable(Type.Number()),
  /** the publication version that carries the outcome */
  republishedVersion: nullable(Type.Integer()),
});
export type ReviewRequestDto = Static<typeof ReviewRequestDto>;

const ResultPlace = Type.Object({
  total: nullable(Type.Number()),
  rank: nullable(Type.Integer()),
  selected: Type.Boolean(),
  status: lit(RANK_STATUSES),
});

export const ResultChangeDto = Type.Object({
  candidateId: Type.Integer(),
  number: Type.String(),
  fullName: Type.String(),
  positionCode: Type.String(),
  before: ResultPlace,
  after: ResultPlace,
});
export type ResultChangeDto = Static<typeof ResultChangeDto>;

export const RepublicationReportDto = Type.Object({
  version: Type.Integer(),
  reason: Type.String(),
  previousSha256: Type.String(),
  sha256: Type.String(),
  publishedAt: Type.String(),
  requestIds: Type.Array(Type.Integer()),
  /** every candidate whose total, rank, selection or status changed */
  changes: Type.Array(ResultChangeDto),
});
export type RepublicationReportDto = Static<typeof RepublicationReportDto>;

export const PublicationVersionDto = Type.Object({
  version: Type.Integer(),
  sha256: Type.String(),
  previousSha256: nullable(Type.String()),
  publishedAt: Type.String(),
  by: Type.String(),
  revokedAt: nullable(Type.String()),
  revokedReason: nullable(Type.String()),
  report: nullable(RepublicationReportDto),
});
export type PublicationVersionDto = Static<typeof PublicationVersionDto>;

/** A staff member who may be assigned to review a request; those who entered its marks may not. */
export const ReviewerOptionDto = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  /** entered a mark of this paper: not allowed as a reviewer */
  markedPaper: Type.Boolean(),
});
export type ReviewerOptionDto = Static<typeof ReviewerOptionDto>;
