import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { QUESTION_TYPE_IDS } from '../questions/types.js';
import { lit } from './common.js';

/**
 * Item analysis after an exam (phân tích câu hỏi, issue 6): per computer part and per question
 * version on its papers, the facility p, the discrimination index D (upper and lower 27%), the
 * corrected point-biserial, the distractor frequencies; per part Cronbach's α / KR-20. The numbers
 * come from analyzeItems() (shared/src/results/itemAnalysis.ts), whose comment defines them; values
 * that are undefined (no variance, too few candidates) are null. The board's key corrections apply:
 * a re-keyed question is graded with the new key, a question voided with full marks scores 1 for
 * everyone, and a dropped question is left out of the part (listed in `droppedVersionIds`).
 */

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** ItemFlag of shared/src/results/itemAnalysis.ts */
const Flags = Type.Array(lit(['negative_discrimination', 'facility_low', 'facility_high'] as const));

/** One option of a question, in the question's own (canonical) order, not a candidate's shuffle. */
export const ItemDistractorDto = Type.Object({
  /** option id as stored ("A".."F") */
  id: Type.String(),
  /** letter by canonical position: A, B, C … */
  letter: Type.String(),
  /** the option's text, plain and shortened */
  text: Type.String(),
  /** candidates who chose it (for multiple-answer questions: who ticked it) */
  count: Type.Integer(),
  /** part of the key in force (after a re-keying) */
  correct: Type.Boolean(),
});
export type ItemDistractorDto = Static<typeof ItemDistractorDto>;

export const ItemAnalysisItemDto = Type.Object({
  versionId: Type.Integer(),
  questionId: Type.Integer(),
  /** the question's version number */
  version: Type.Integer(),
  type: lit(QUESTION_TYPE_IDS),
  /** the stem as plain text, shortened */
  stemText: Type.String(),
  /** candidates whose paper held this version */
  candidates: Type.Integer(),
  facility: nullable(Type.Number()),
  discrimination: nullable(Type.Number()),
  pointBiserial: nullable(Type.Number()),
  distractors: Type.Array(ItemDistractorDto),
  /** candidates who left it unanswered */
  blank: Type.Integer(),
  flags: Flags,
  /** the key correction in force for this version, if any */
  correction: nullable(lit(['rekey', 'full_marks'] as const)),
});
export type ItemAnalysisItemDto = Static<typeof ItemAnalysisItemDto>;

export const PartItemAnalysisDto = Type.Object({
  partId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  /** candidates analysed (submitted attempts) */
  candidates: Type.Integer(),
  /** every candidate had every item (false with randomised papers drawn from a larger pool) */
  complete: Type.Boolean(),
  meanTotal: nullable(Type.Number()),
  sdTotal: nullable(Type.Number()),
  alpha: nullable(Type.Number()),
  /** equal to alpha when every item is scored 0/1; null otherwise */
  kr20: nullable(Type.Number()),
  /** one entry per distinct question version on the part's papers (dropped ones excluded) */
  items: Type.Array(ItemAnalysisItemDto),
  /** versions voided with "drop": left out of the analysis */
  droppedVersionIds: Type.Array(Type.Integer()),
});
export type PartItemAnalysisDto = Static<typeof PartItemAnalysisDto>;

export const ExamItemAnalysisDto = Type.Object({
  examId: Type.Integer(),
  examName: Type.String(),
  parts: Type.Array(PartItemAnalysisDto),
});
export type ExamItemAnalysisDto = Static<typeof ExamItemAnalysisDto>;

/** One exam in which a question was used (seen from the question in the bank). */
export const QuestionExamItemDto = Type.Object({
  examId: Type.Integer(),
  examName: Type.String(),
  partId: Type.Integer(),
  partName: Type.String(),
  versionId: Type.Integer(),
  candidates: Type.Integer(),
  facility: nullable(Type.Number()),
  discrimination: nullable(Type.Number()),
  pointBiserial: nullable(Type.Number()),
  flags: Flags,
});
export type QuestionExamItemDto = Static<typeof QuestionExamItemDto>;

export const QuestionItemAnalysisDto = Type.Object({
  questionId: Type.Integer(),
  exams: Type.Array(QuestionExamItemDto),
});
export type QuestionItemAnalysisDto = Static<typeof QuestionItemAnalysisDto>;
