import { type Static, Type } from '@sinclair/typebox';
import type { ImportIssue } from '../bank/bankFile.js';
import type { Blueprint, BlueprintShortfall } from '../paper/blueprint.js';
import type { OverrideDiff } from '../rules/overrides.js';
import type { RegulationProfile } from '../rules/types.js';
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

// ---- the rest of the exams routes (issue 16: a response schema on every route) ----
// Type.Unsafe keeps the DTO interfaces above as the static types; the schemas name every field,
// because Fastify's serializer drops any field a response schema does not name.

const EntityIdSchema = Type.Union([Type.Integer(), Type.String()]);
const LocalizedTextSchema = Type.Object({ vi: Type.String(), en: Type.String() });

const BlueprintSchema = Type.Object({
  cells: Type.Array(
    Type.Object({
      topicId: Type.Union([Type.Null(), EntityIdSchema]),
      difficulty: Type.String(),
      count: Type.Integer(),
    }),
  ),
});

/** A part of an exam (GET /api/exams/:id, PUT /api/exam-parts/:id). */
export const ExamPartSchema = Type.Unsafe<ExamPartDto>(
  Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    subjectId: orNull('integer'),
    mode: Type.String(),
    round: Type.Integer(),
    questionCount: orNull('integer'),
    durationMin: orNull('integer'),
    scoreScale: Type.Number(),
    passRule: Type.Unknown(),
    role: Type.String(),
    coefficient: orNull('number'),
    exemptibleBy: Type.Array(Type.String()),
    blueprint: BlueprintSchema,
    sortOrder: Type.Integer(),
    bankVersion: orNull('string'),
    papers: Type.Integer(),
  }),
);

/** A candidate on the exam's list (GET /api/exams/:id/candidates). */
export const CandidateSchema = Type.Unsafe<CandidateDto>(
  Type.Object({
    id: Type.Integer(),
    number: Type.String(),
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    gender: Type.String(),
    idNumber: Type.String(),
    ethnicity: Type.String(),
    positionId: Type.Integer(),
    positionCode: Type.String(),
    positionName: Type.String(),
    priorityCategory: orNull('string'),
    exemptions: Type.Array(Type.String()),
    hasPin: Type.Boolean(),
    roomName: orNull('string'),
    seatNo: orNull('integer'),
  }),
);

const ImportIssueSchema = Type.Object({
  row: Type.Integer(),
  column: Type.Optional(Type.String()),
  code: Type.String(),
  message: Type.String(),
  severity: Type.String(),
});

/** The report of a candidate import, dry run or not (POST /api/exams/:id/candidates/import). */
export const CandidateImportReportSchema = Type.Unsafe<CandidateImportReport>(
  Type.Object({
    dryRun: Type.Boolean(),
    ok: Type.Boolean(),
    rows: Type.Integer(),
    created: Type.Integer(),
    errors: Type.Integer(),
    issues: Type.Array(ImportIssueSchema),
    issueCounts: Type.Record(Type.String(), Type.Integer()),
    issuesTotal: Type.Integer(),
    ms: Type.Number(),
  }),
);

const PartCheckSchema = Type.Object({
  partId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  questionCount: Type.Integer(),
  poolSize: Type.Integer(),
  multiple: Type.Number(),
  shortfalls: Type.Array(
    Type.Object({
      cellIndex: Type.Integer(),
      cell: BlueprintSchema.properties.cells.items,
      needed: Type.Integer(),
      available: Type.Integer(),
      message: Type.String(),
    }),
  ),
  problems: Type.Array(Type.String()),
});

/** The blueprint check of every computer part against the bank (GET /api/exams/:id/blueprint-check). */
export const BlueprintCheckSchema = Type.Unsafe<{ ok: boolean; multiple: number; parts: PartCheckDto[] }>(
  Type.Object({ ok: Type.Boolean(), multiple: Type.Number(), parts: Type.Array(PartCheckSchema) }),
);

/**
 * A regulation profile (GET /api/profiles/:id): the rules as data, public and key-free. Its
 * top-level fields are named; the nested rule tables (parts, priority, tie-break, choices …) pass as
 * they are (additionalProperties), their shape being RegulationProfile in rules/types.ts.
 */
export const RegulationProfileSchema = Type.Unsafe<RegulationProfile>(
  Type.Object(
    {
      id: Type.String(),
      name: LocalizedTextSchema,
      kind: Type.String(),
      legalBasis: Type.String(),
      effective: Type.Object({
        from: orNull('string'),
        to: orNull('string'),
        note: Type.Optional(Type.String()),
      }),
      parts: Type.Array(Type.Object({ id: Type.String() }, { additionalProperties: true })),
      gaps: Type.Array(Type.String()),
    },
    { additionalProperties: true },
  ),
);

/** A profile as listed (GET /api/profiles). */
export const ProfileSummarySchema = Type.Object({
  id: Type.String(),
  name: LocalizedTextSchema,
  kind: Type.String(),
  legalBasis: Type.String(),
  effective: Type.Object({ from: orNull('string'), to: orNull('string'), note: Type.Optional(Type.String()) }),
  parts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: LocalizedTextSchema,
      round: Type.Integer(),
      mode: orNull('string'),
      questionCount: orNull('integer'),
      durationMin: orNull('integer'),
    }),
  ),
  gaps: Type.Array(Type.String()),
});

const OverrideDiffSchema = Type.Unsafe<OverrideDiff>(
  Type.Object({
    path: Type.String(),
    change: lit(['changed', 'added', 'removed']),
    old: Type.Unknown(),
    new: Type.Unknown(),
  }),
);

/** One exam with its set-up (GET /api/exams/:id): never the secret. */
export const ExamDetailSchema = Type.Object({
  ...ExamListItemSchema.properties,
  /** the board's overrides of the profile (deep-partial profile) */
  overrides: Type.Unknown(),
  overridden: Type.Array(OverrideDiffSchema),
  parts: Type.Array(ExamPartSchema),
  positions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      quota: Type.Integer(),
      grade: orNull('string'),
      candidates: Type.Integer(),
    }),
  ),
  rooms: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      location: Type.String(),
      seats: Type.Integer(),
      seatsPerRow: Type.Integer(),
    }),
  ),
  sittings: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      startsAt: Type.String(),
      partIds: Type.Array(Type.Integer()),
      assigned: Type.Integer(),
    }),
  ),
  /** candidates on the list */
  candidates: Type.Integer(),
  profileGaps: Type.Array(Type.String()),
});
