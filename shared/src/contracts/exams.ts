import { type Static, Type } from '@sinclair/typebox';
import type { ImportIssue } from '../bank/bankFile.js';
import type { Blueprint, BlueprintShortfall } from '../paper/blueprint.js';
import { lit, orNull } from './common.js';

/** Exam statuses, in their order: draft → ready → running → finished → published. */
export const EXAM_STATUSES = ['draft', 'ready', 'running', 'finished', 'published'] as const;
export type ExamStatus = (typeof EXAM_STATUSES)[number];

export interface ExamPartDto {
  id: number;
  code: string;
  name: string;
  subjectId: number | null;
  mode: string;
  round: number;
  questionCount: number | null;
  durationMin: number | null;
  scoreScale: number;
  passRule: unknown;
  role: string;
  coefficient: number | null;
  exemptibleBy: string[];
  blueprint: Blueprint;
  sortOrder: number;
  bankVersion: string | null;
  /** papers generated for this part */
  papers: number;
}

export interface CandidateDto {
  id: number;
  number: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  idNumber: string;
  ethnicity: string;
  positionId: number;
  positionCode: string;
  positionName: string;
  priorityCategory: string | null;
  exemptions: string[];
  /** a PIN has been issued (it is never shown again) */
  hasPin: boolean;
  /** room of the first sitting the candidate is seated in */
  roomName: string | null;
  seatNo: number | null;
}

export interface CandidateImportReport {
  dryRun: boolean;
  ok: boolean;
  rows: number;
  created: number;
  errors: number;
  /** the first 500 issues in row order */
  issues: ImportIssue[];
  /** issues per code, over all of them */
  issueCounts: Record<string, number>;
  /** issues in all, listed or not */
  issuesTotal: number;
  ms: number;
}

export interface PartCheckDto {
  partId: number;
  code: string;
  name: string;
  questionCount: number;
  poolSize: number;
  multiple: number;
  shortfalls: BlueprintShortfall[];
  problems: string[];
}

export interface GeneratedPartDto {
  partId: number;
  papers: number;
  regenerated: number;
  minOverlap: number | null;
  maxOverlap: number | null;
}

export type JobStatus = 'running' | 'done' | 'failed';

/** A background job and its progress (GET /api/jobs/:id). */
export type JobDto = Static<typeof JobSchema>;

// ---- response schemas of the exams routes (issue 16: a contract on every route) ----

/** An exam as listed: every column but the secret and the overrides JSON. */
export const ExamListItemSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  /** one of EXAM_KINDS */
  kind: Type.String(),
  profileId: Type.String(),
  organisingBody: Type.String(),
  status: lit(EXAM_STATUSES),
  examDate: orNull('string'),
  /** IANA zone of every time typed or read for this exam */
  timeZone: Type.String(),
  applicationDeadline: orNull('string'),
  profileOutOfForceReason: orNull('string'),
  frozenAt: orNull('string'),
  createdAt: Type.String(),
});
export type ExamListItem = Static<typeof ExamListItemSchema>;

/** The id of a row just created (201). */
export const CreatedId = Type.Object({ id: Type.Integer() });
/** A background job just started (202); poll GET /api/jobs/:id. */
export const JobStarted = Type.Object({ jobId: Type.Integer() });

export const AssignResultSchema = Type.Object({
  assigned: Type.Integer(),
  /** seats given per room name */
  perRoom: Type.Record(Type.String(), Type.Integer()),
});
export type AssignResult = Static<typeof AssignResultSchema>;

export const JobSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  examId: orNull('integer'),
  status: lit(['running', 'done', 'failed']),
  done: Type.Integer(),
  total: Type.Integer(),
  message: Type.String(),
  result: Type.Unknown(),
  createdAt: Type.String(),
  finishedAt: orNull('string'),
});

export const PaperVerification = Type.Object({
  match: Type.Boolean(),
  storedDigest: Type.String(),
  regeneratedDigest: Type.String(),
  attempt: Type.Integer(),
  bankVersion: Type.String(),
});
export type PaperVerification = Static<typeof PaperVerification>;

/** A file answer (PDF or XLSX), declared by its content type. */

/** A position (vị trí việc làm / ngạch dự thi) after an edit. */
export const PositionSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  quota: Type.Integer(),
  grade: orNull('string'),
});

/** A grade the exam counts as an administrative grade, with the document that says so (issue 13). */
export const GradeEquivalenceSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  equivalentTo: Type.String(),
  source: Type.String(),
});
