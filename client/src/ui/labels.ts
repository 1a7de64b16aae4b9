import {
  DIFFICULTY_LABELS,
  type Difficulty,
  QUESTION_TYPES,
  type QuestionStatus,
  type QuestionTypeId,
  ROLE_LABELS,
  type Role,
  STATUS_LABELS,
} from '@exam/shared';
import { useUi } from '../stores/ui';

/** Labels of shared enums (roles, difficulty, status, question type) in the UI language. */
export function useLabels() {
  const lang = useUi((s) => s.language);
  return {
    role: (r: Role) => ROLE_LABELS[r][lang],
    difficulty: (d: Difficulty) => DIFFICULTY_LABELS[d][lang],
    status: (s: QuestionStatus) => STATUS_LABELS[s][lang],
    type: (t: QuestionTypeId) => QUESTION_TYPES[t].label[lang],
  };
}
