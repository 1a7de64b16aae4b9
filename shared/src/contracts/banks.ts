import { type Static, Type } from '@sinclair/typebox';
import { DIFFICULTIES, QUESTION_STATUSES } from '../questions/difficulty.js';
import { QUESTION_TYPE_IDS } from '../questions/types.js';
import { lit } from './common.js';

export const DifficultySchema = lit(DIFFICULTIES);
export const StatusSchema = lit(QUESTION_STATUSES);
export const QuestionTypeSchema = lit(QUESTION_TYPE_IDS);

export const SubjectDto = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  questionCount: Type.Integer(),
  approvedCount: Type.Integer(),
});
export type SubjectDto = Static<typeof SubjectDto>;

export const SubjectBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
});
export type SubjectBody = Static<typeof SubjectBody>;

export const TopicDto = Type.Object({
  id: Type.Integer(),
  subjectId: Type.Integer(),
  parentId: Type.Union([Type.Null(), Type.Integer()]),
  code: Type.String(),
  name: Type.String(),
});
export type TopicDto = Static<typeof TopicDto>;

export const TopicBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  parentId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
});
export type TopicBody = Static<typeof TopicBody>;

export const OptionDto = Type.Object({
  id: Type.String(),
  text: Type.String(),
  correct: Type.Boolean(),
  pinned: Type.Optional(Type.Boolean()),
});

/** One version of a question, as staff see it. */
export const QuestionDto = Type.Object({
  id: Type.Integer({ description: 'question id (stable across versions)' }),
  versionId: Type.Integer(),
  version: Type.Integer(),
  subjectId: Type.Integer(),
  ref: Type.String(),
  /** a title from an imported file (GIFT ::title::, Moodle name, QTI title): shown and searched, never a code */
  title: Type.Optional(Type.String()),
  type: QuestionTypeSchema,
  topicId: Type.Integer(),
  difficulty: DifficultySchema,
  stem: Type.String(),
  options: Type.Array(OptionDto),
  partialCredit: Type.Boolean(),
  explanation: Type.String(),
  legalBasis: Type.String(),
  tags: Type.Array(Type.String()),
  status: StatusSchema,
  authorId: Type.Integer(),
  authorName: Type.String(),
  approvedBy: Type.Union([Type.Null(), Type.Integer()]),
  approvedAt: Type.Union([Type.Null(), Type.String()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type QuestionDto = Static<typeof QuestionDto>;

export const QuestionBody = Type.Object({
  type: QuestionTypeSchema,
  topicId: Type.Integer(),
  difficulty: DifficultySchema,
  stem: Type.String({ maxLength: 100000 }),
  options: Type.Array(
    Type.Object({
      text: Type.String({ maxLength: 20000 }),
      correct: Type.Boolean(),
      pinned: Type.Optional(Type.Boolean()),
    }),
    { maxItems: 6 },
  ),
  partialCredit: Type.Optional(Type.Boolean()),
  explanation: Type.Optional(Type.String({ maxLength: 20000 })),
  legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 30 })),
  ref: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type QuestionBody = Static<typeof QuestionBody>;

export const QuestionQuery = Type.Object({
  topicId: Type.Optional(Type.Integer()),
  difficulty: Type.Optional(DifficultySchema),
  status: Type.Optional(StatusSchema),
  type: Type.Optional(QuestionTypeSchema),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export type QuestionQuery = Static<typeof QuestionQuery>;

export const TransitionBody = Type.Object({
  to: StatusSchema,
  comment: Type.Optional(Type.String({ maxLength: 5000 })),
});
export type TransitionBody = Static<typeof TransitionBody>;

export const CommentDto = Type.Object({
  id: Type.Integer(),
  versionId: Type.Integer(),
  version: Type.Integer(),
  userId: Type.Integer(),
  userName: Type.String(),
  kind: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
});
export type CommentDto = Static<typeof CommentDto>;

export const CommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 5000 }) });

/** Topic × difficulty grid of approved question counts. */
export const SummaryDto = Type.Object({
  subjectId: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      topicId: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      counts: Type.Record(Type.String(), Type.Integer()),
      total: Type.Integer(),
    }),
  ),
  totals: Type.Record(Type.String(), Type.Integer()),
  total: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
});
export type SummaryDto = Static<typeof SummaryDto>;

export const IMPORT_FORMATS = ['xlsx', 'csv', 'aiken', 'gift', 'json', 'docx', 'moodlexml', 'qti'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ImportIssueDto = Type.Object({
  row: Type.Integer(),
  column: Type.Optional(Type.String()),
  code: Type.String(),
  message: Type.String(),
  /** 'warning': kept but noted (a candidate kept on record as not eligible, issue 13) */
  severity: lit(['error', 'skipped', 'warning', 'info'] as const),
});

export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  format: lit(IMPORT_FORMATS),
  ok: Type.Boolean({ description: 'true when there is no error; skipped items do not block' }),
  questions: Type.Integer({ description: 'questions understood' }),
  created: Type.Integer(),
  topicsCreated: Type.Integer(),
  errors: Type.Integer(),
  skipped: Type.Integer(),
  issues: Type.Array(ImportIssueDto, { description: 'the first 500 issues in row order' }),
  issueCounts: Type.Record(Type.String(), Type.Integer(), { description: 'issues per code, over all of them' }),
  issuesTotal: Type.Integer({ description: 'issues in all, listed or not' }),
  ms: Type.Number(),
  warnings: Type.Optional(Type.Integer({ description: 'issues kept as warnings (the question is imported)' })),
  valid: Type.Optional(Type.Integer({ description: 'questions without an error: what "valid only" would import' })),
  blocking: Type.Optional(
    Type.Integer({ description: 'errors of the whole file (row 0): no import is possible, not even of the valid questions' }),
  ),
  newTopics: Type.Optional(Type.Integer({ description: 'topics the import creates (the same in the dry run and the import)' })),
  validOnly: Type.Optional(Type.Boolean({ description: 'the board chose to import only the valid questions' })),
  leftOut: Type.Optional(
    Type.Array(Type.Object({ row: Type.Integer(), codes: Type.Array(Type.String()) }), {
      description: 'questions left out by a "valid only" import (row or number, and why)',
    }),
  ),
});
export type ImportReport = Static<typeof ImportReport>;
