import { type Static, Type } from '@sinclair/typebox';
import type { RankStatus } from '../rules/types.js';
import { lit } from './common.js';

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

export interface ReviewSettingsDto {
  /** null until the board sets them */
  settings: ReviewSettingsBody | null;
  /** publication the window runs from, and the last day requests are accepted */
  publishedOn: string | null;
  lastDay: string | null;
  /** why these are set by the board (NOT FOUND in the law) */
  note: string;
  /** which parts can be reviewed, and why computer parts cannot */
  computerParts: string;
}

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

export type ReviewStatus = 'open' | 'assigned' | 'marked' | 'republished';

export interface ReviewRequestDto {
  id: number;
  candidateId: number;
  number: string;
  fullName: string;
  partId: number;
  partName: string;
  requestedOn: string;
  note: string | null;
  status: ReviewStatus;
  reviewers: { id: number; name: string }[];
  marks: { reviewer1: number | null; reviewer2: number | null };
  /** the mark before the review, the reviewers' mark and the one that stands */
  original: number | null;
  review: number | null;
  final: number | null;
  /** the publication version that carries the outcome */
  republishedVersion: number | null;
}

export interface ResultChangeDto {
  candidateId: number;
  number: string;
  fullName: string;
  positionCode: string;
  before: { total: number | null; rank: number | null; selected: boolean; status: RankStatus };
  after: { total: number | null; rank: number | null; selected: boolean; status: RankStatus };
}

export interface RepublicationReportDto {
  version: number;
  reason: string;
  previousSha256: string;
  sha256: string;
  publishedAt: string;
  requestIds: number[];
  /** every candidate whose total, rank, selection or status changed */
  changes: ResultChangeDto[];
}

export interface PublicationVersionDto {
  version: number;
  sha256: string;
  previousSha256: string | null;
  publishedAt: string;
  by: string;
  revokedAt: string | null;
  revokedReason: string | null;
  report: RepublicationReportDto | null;
}

/** A staff member who may be assigned to review a request; those who entered its marks may not. */
export const ReviewerOptionDto = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  /** entered a mark of this paper: not allowed as a reviewer */
  markedPaper: Type.Boolean(),
});
export type ReviewerOptionDto = Static<typeof ReviewerOptionDto>;
