import type { QuestionTypeId } from '../questions/types.js';
import type { ItemFlag } from '../results/itemAnalysis.js';

/**
 * Item analysis after an exam (phân tích câu hỏi, issue 6): per computer part and per question
 * version on its papers, the facility p, the discrimination index D (upper and lower 27%), the
 * corrected point-biserial, the distractor frequencies; per part Cronbach's α / KR-20. The numbers
 * come from analyzeItems() (shared/src/results/itemAnalysis.ts), whose comment defines them; values
 * that are undefined (no variance, too few candidates) are null. The board's key corrections apply:
 * a re-keyed question is graded with the new key, a question voided with full marks scores 1 for
 * everyone, and a dropped question is left out of the part (listed in `droppedVersionIds`).
 */

/** One option of a question, in the question's own (canonical) order, not a candidate's shuffle. */
export interface ItemDistractorDto {
  /** option id as stored ("A".."F") */
  id: string;
  /** letter by canonical position: A, B, C … */
  letter: string;
  /** the option's text, plain and shortened */
  text: string;
  /** candidates who chose it (for multiple-answer questions: who ticked it) */
  count: number;
  /** part of the key in force (after a re-keying) */
  correct: boolean;
}

export interface ItemAnalysisItemDto {
  versionId: number;
  questionId: number;
  /** the question's version number */
  version: number;
  type: QuestionTypeId;
  /** the stem as plain text, shortened */
  stemText: string;
  /** candidates whose paper held this version */
  candidates: number;
  facility: number | null;
  discrimination: number | null;
  pointBiserial: number | null;
  distractors: ItemDistractorDto[];
  /** candidates who left it unanswered */
  blank: number;
  flags: ItemFlag[];
  /** the key correction in force for this version, if any */
  correction: 'rekey' | 'full_marks' | null;
}

export interface PartItemAnalysisDto {
  partId: number;
  code: string;
  name: string;
  /** candidates analysed (submitted attempts) */
  candidates: number;
  /** every candidate had every item (false with randomised papers drawn from a larger pool) */
  complete: boolean;
  meanTotal: number | null;
  sdTotal: number | null;
  alpha: number | null;
  /** equal to alpha when every item is scored 0/1; null otherwise */
  kr20: number | null;
  /** one entry per distinct question version on the part's papers (dropped ones excluded) */
  items: ItemAnalysisItemDto[];
  /** versions voided with "drop": left out of the analysis */
  droppedVersionIds: number[];
}

export interface ExamItemAnalysisDto {
  examId: number;
  examName: string;
  parts: PartItemAnalysisDto[];
}

/** One exam in which a question was used (seen from the question in the bank). */
export interface QuestionExamItemDto {
  examId: number;
  examName: string;
  partId: number;
  partName: string;
  versionId: number;
  candidates: number;
  facility: number | null;
  discrimination: number | null;
  pointBiserial: number | null;
  flags: ItemFlag[];
}

export interface QuestionItemAnalysisDto {
  questionId: number;
  exams: QuestionExamItemDto[];
}
