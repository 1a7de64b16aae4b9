import type { CandidateQuestionView, ChoiceAnswer, ContentIssue, QuestionContent, QuestionTypeId } from './types.js';

/**
 * A question type: how it is answered (input kind the client renders), how its content and a
 * candidate's answer are validated, and how an answer is graded. Adding a type (ordering,
 * matching, short answer, essay) means adding one entry here and, if it needs a new input kind,
 * the candidate's renderer in client/src/candidate/exam/QuestionCard.tsx and the board's editor in
 * client/src/board/pages/QuestionEditorPage.tsx.
 */
export interface QuestionTypeDef {
  id: QuestionTypeId;
  label: { vi: string; en: string };
  /** Which renderer the client uses. */
  inputKind: 'radio' | 'checkbox';
  minOptions: number;
  maxOptions: number;
  /** Whether option order may be shuffled for candidates (pinned options never move). */
  shuffleOptions: boolean;
  validateContent(q: QuestionContent): ContentIssue[];
  /** Is `answer` a well-formed response to this question? */
  isValidAnswer(q: QuestionContent | CandidateQuestionView, answer: unknown): answer is ChoiceAnswer;
  /** Score in [0, 1]. */
  grade(q: QuestionContent, answer: ChoiceAnswer | null | undefined): number;
  toCandidateView(q: QuestionContent): CandidateQuestionView;
}

const OPTION_IDS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export function optionIdAt(index: number): string {
  return OPTION_IDS[index] ?? `O${index + 1}`;
}

function baseIssues(q: QuestionContent, def: Pick<QuestionTypeDef, 'minOptions' | 'maxOptions'>): ContentIssue[] {
  const issues: ContentIssue[] = [];
  if (!q.stem || stripTags(q.stem).trim() === '') {
    issues.push({ field: 'stem', code: 'STEM_EMPTY', message: 'Nội dung câu hỏi không được để trống' });
  }
  if (q.options.length < def.minOptions || q.options.length > def.maxOptions) {
    issues.push({
      field: 'options',
      code: 'OPTION_COUNT',
      message: `Số phương án phải từ ${def.minOptions} đến ${def.maxOptions} (hiện có ${q.options.length})`,
    });
  }
  q.options.forEach((o, i) => {
    if (stripTags(o.text).trim() === '' && !/<img/i.test(o.text)) {
      issues.push({
        field: `options[${i}]`,
        code: 'OPTION_EMPTY',
        message: `Phương án ${optionIdAt(i)} không được để trống`,
      });
    }
  });
  const ids = new Set(q.options.map((o) => o.id));
  if (ids.size !== q.options.length) {
    issues.push({ field: 'options', code: 'OPTION_ID_DUPLICATE', message: 'Mã phương án bị trùng' });
  }
  return issues;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

function chosenSet(q: { options: { id: string }[] }, answer: unknown): Set<string> | null {
  if (!Array.isArray(answer)) return null;
  const valid = new Set(q.options.map((o) => o.id));
  const s = new Set<string>();
  for (const a of answer) {
    if (typeof a !== 'string' || !valid.has(a)) return null;
    s.add(a);
  }
  if (s.size !== answer.length) return null;
  return s;
}

function candidateView(q: QuestionContent): CandidateQuestionView {
  return { type: q.type, stem: q.stem, options: q.options.map((o) => ({ id: o.id, text: o.text })) };
}

const single: QuestionTypeDef = {
  id: 'single',
  label: { vi: 'Một đáp án đúng', en: 'Single choice' },
  inputKind: 'radio',
  minOptions: 2,
  maxOptions: 6,
  shuffleOptions: true,
  validateContent(q) {
    const issues = baseIssues(q, this);
    const correct = q.options.filter((o) => o.correct).length;
    if (correct !== 1) {
      issues.push({
        field: 'options',
        code: 'CORRECT_COUNT',
        message: `Câu hỏi một đáp án phải có đúng 1 phương án đúng (hiện có ${correct})`,
      });
    }
    return issues;
  },
  isValidAnswer(q, answer): answer is ChoiceAnswer {
    const s = chosenSet(q, answer);
    return s !== null && s.size <= 1;
  },
  grade(q, answer) {
    if (answer?.length !== 1) return 0;
    return q.options.find((o) => o.id === answer[0])?.correct ? 1 : 0;
  },
  toCandidateView: candidateView,
};

const multiple: QuestionTypeDef = {
  id: 'multiple',
  label: { vi: 'Nhiều đáp án đúng', en: 'Multiple choice' },
  inputKind: 'checkbox',
  minOptions: 2,
  maxOptions: 6,
  shuffleOptions: true,
  validateContent(q) {
    const issues = baseIssues(q, this);
    const correct = q.options.filter((o) => o.correct).length;
    if (correct < 1) {
      issues.push({
        field: 'options',
        code: 'CORRECT_COUNT',
        message: 'Câu hỏi nhiều đáp án phải có ít nhất 1 phương án đúng',
      });
    }
    return issues;
  },
  isValidAnswer(q, answer): answer is ChoiceAnswer {
    return chosenSet(q, answer) !== null;
  },
  /**
   * All-or-nothing by default. With partial credit: (right chosen − wrong chosen) / number of
   * right options, never below 0, so ticking every box earns nothing.
   */
  grade(q, answer) {
    if (!answer || answer.length === 0) return 0;
    const chosen = new Set(answer);
    const correctIds = q.options.filter((o) => o.correct).map((o) => o.id);
    const rightChosen = correctIds.filter((id) => chosen.has(id)).length;
    const wrongChosen = [...chosen].filter((id) => !correctIds.includes(id)).length;
    if (!q.partialCredit) return rightChosen === correctIds.length && wrongChosen === 0 ? 1 : 0;
    return Math.max(0, (rightChosen - wrongChosen) / correctIds.length);
  },
  toCandidateView: candidateView,
};

const trueFalse: QuestionTypeDef = {
  ...single,
  id: 'true_false',
  label: { vi: 'Đúng/Sai', en: 'True/false' },
  minOptions: 2,
  maxOptions: 2,
  shuffleOptions: false,
  validateContent(q) {
    return single.validateContent.call(this, q);
  },
};

export const QUESTION_TYPES: Record<QuestionTypeId, QuestionTypeDef> = {
  single,
  multiple,
  true_false: trueFalse,
};

export function questionType(id: QuestionTypeId): QuestionTypeDef {
  return QUESTION_TYPES[id];
}

export function isQuestionTypeId(v: unknown): v is QuestionTypeId {
  return typeof v === 'string' && v in QUESTION_TYPES;
}
