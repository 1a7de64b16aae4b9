import type { Difficulty } from './difficulty.js';

/** One option of a choice question. `id` is stable across shuffles ("A".."F" at authoring time). */
export interface ChoiceOption {
  id: string;
  text: string;
  correct: boolean;
  pinned?: boolean;
}

export const QUESTION_TYPE_IDS = ['single', 'multiple', 'true_false'] as const;
export type QuestionTypeId = (typeof QUESTION_TYPE_IDS)[number];

/** What a question holds, independent of the bank bookkeeping around it. */
export interface QuestionContent {
  type: QuestionTypeId;
  stem: string;
  options: ChoiceOption[];
  partialCredit?: boolean;
}

/** The candidate-facing view: no `correct` flags. */
export interface CandidateOption {
  id: string;
  text: string;
}
export interface CandidateQuestionView {
  type: QuestionTypeId;
  stem: string;
  options: CandidateOption[];
}

/** A candidate's response to a choice question: the ids of the chosen options. */
export type ChoiceAnswer = string[];

export interface ContentIssue {
  field: string;
  code: string;
  message: string;
}

export interface QuestionMeta {
  difficulty: Difficulty;
}
