import { type Static, Type } from '@sinclair/typebox';
import { lit } from '../contracts/common.js';
import { DIFFICULTIES, QUESTION_STATUSES } from '../questions/difficulty.js';
import { QUESTION_TYPE_IDS } from '../questions/types.js';

export const BANK_FORMAT = 'vn-exam-bank/1';

export const BankOptionSchema = Type.Object(
  {
    text: Type.String(),
    correct: Type.Boolean(),
    pinned: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const BankQuestionSchema = Type.Object(
  {
    ref: Type.String({ minLength: 1, maxLength: 64 }),
    /** display title from another platform (GIFT ::title::, Moodle name, QTI title); not a code */
    title: Type.Optional(Type.String({ maxLength: 255 })),
    type: lit(QUESTION_TYPE_IDS),
    topic: Type.String({ minLength: 1 }),
    difficulty: lit(DIFFICULTIES),
    stem: Type.String(),
    options: Type.Array(BankOptionSchema),
    partialCredit: Type.Optional(Type.Boolean()),
    explanation: Type.Optional(Type.String()),
    legalBasis: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    status: Type.Optional(lit(QUESTION_STATUSES)),
  },
  { additionalProperties: false },
);

export const BankTopicSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1 }),
    parent: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const BankFileSchema = Type.Object(
  {
    format: Type.Literal(BANK_FORMAT),
    subject: Type.Object(
      { code: Type.String({ minLength: 1, maxLength: 32 }), name: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
    topics: Type.Array(BankTopicSchema),
    questions: Type.Array(BankQuestionSchema),
  },
  { additionalProperties: false },
);

export type BankOption = Static<typeof BankOptionSchema>;
export type BankQuestion = Static<typeof BankQuestionSchema>;
export type BankTopic = Static<typeof BankTopicSchema>;
export type BankFile = Static<typeof BankFileSchema>;

/** A problem found while reading an import file: where (row/line and column) and what. */
export interface ImportIssue {
  /** 1-based row (spreadsheet/CSV, header = row 1) or line (Aiken/GIFT) or question index (JSON). */
  row: number;
  column?: string;
  code: string;
  message: string;
  /** 'warning': kept but noted (a candidate kept on record as not eligible, issue 13); 'info': how the row was read (e.g. which key convention a Word question used) */
  severity: 'error' | 'skipped' | 'warning' | 'info';
}

/** What a format reader gives back: the questions it understood plus every issue. */
export interface ParsedImport {
  topics: BankTopic[];
  questions: (BankQuestion & { sourceRow: number })[];
  issues: ImportIssue[];
  /** Subject named inside the file (JSON bank files only). */
  subject?: { code: string; name: string };
}
