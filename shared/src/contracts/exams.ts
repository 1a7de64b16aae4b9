import type { ImportIssue } from '../bank/bankFile.js';
import type { Blueprint, BlueprintShortfall } from '../paper/blueprint.js';

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

export interface JobDto {
  id: number;
  kind: string;
  examId: number | null;
  status: JobStatus;
  done: number;
  total: number;
  message: string;
  result: unknown;
  createdAt: string;
  finishedAt: string | null;
}
