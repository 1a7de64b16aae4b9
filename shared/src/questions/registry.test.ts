import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES, questionType } from './registry.js';
import type { QuestionContent } from './types.js';

const single: QuestionContent = {
  type: 'single',
  stem: '<p>2 + 2 = ?</p>',
  options: [
    { id: 'A', text: '3', correct: false },
    { id: 'B', text: '4', correct: true },
    { id: 'C', text: '5', correct: false },
  ],
};
const multiple: QuestionContent = {
  type: 'multiple',
  stem: 'Chọn các số chẵn',
  options: [
    { id: 'A', text: '2', correct: true },
    { id: 'B', text: '3', correct: false },
    { id: 'C', text: '4', correct: true },
    { id: 'D', text: '5', correct: false },
  ],
};

describe('question types', () => {
  it('single: one right option scores 1, anything else 0', () => {
    const t = questionType('single');
    expect(t.grade(single, ['B'])).toBe(1);
    expect(t.grade(single, ['A'])).toBe(0);
    expect(t.grade(single, [])).toBe(0);
    expect(t.grade(single, null)).toBe(0);
    expect(t.isValidAnswer(single, ['B'])).toBe(true);
    expect(t.isValidAnswer(single, ['A', 'B'])).toBe(false);
    expect(t.isValidAnswer(single, ['Z'])).toBe(false);
    expect(t.isValidAnswer(single, 'B')).toBe(false);
  });

  it('multiple: all-or-nothing by default', () => {
    const t = questionType('multiple');
    expect(t.grade(multiple, ['A', 'C'])).toBe(1);
    expect(t.grade(multiple, ['C', 'A'])).toBe(1);
    expect(t.grade(multiple, ['A'])).toBe(0);
    expect(t.grade(multiple, ['A', 'C', 'D'])).toBe(0);
  });

  it('multiple with partial credit: (right − wrong) / right, never below 0', () => {
    const t = questionType('multiple');
    const q = { ...multiple, partialCredit: true };
    expect(t.grade(q, ['A'])).toBe(0.5);
    expect(t.grade(q, ['A', 'C'])).toBe(1);
    expect(t.grade(q, ['A', 'C', 'D'])).toBe(0.5);
    expect(t.grade(q, ['A', 'B', 'C', 'D'])).toBe(0);
    expect(t.grade(q, ['B'])).toBe(0);
    expect(t.isValidAnswer(q, ['A', 'A'])).toBe(false);
  });

  it('true/false has exactly two options and is not shuffled', () => {
    const t = questionType('true_false');
    expect(t.shuffleOptions).toBe(false);
    const q: QuestionContent = {
      type: 'true_false',
      stem: 'Quốc hội có nhiệm kỳ 5 năm',
      options: [
        { id: 'A', text: 'Đúng', correct: true },
        { id: 'B', text: 'Sai', correct: false },
      ],
    };
    expect(t.validateContent(q)).toEqual([]);
    expect(t.grade(q, ['A'])).toBe(1);
    expect(t.validateContent({ ...q, options: [...q.options, { id: 'C', text: 'Không rõ', correct: false }] })[0]?.code).toBe(
      'OPTION_COUNT',
    );
  });

  it('validates content with Vietnamese messages', () => {
    const issues = questionType('single').validateContent({
      ...single,
      stem: '<p> </p>',
      options: single.options.map((o) => ({ ...o, correct: true })),
    });
    expect(issues.map((i) => i.code)).toEqual(['STEM_EMPTY', 'CORRECT_COUNT']);
    expect(issues[1]?.message).toContain('phải có đúng 1 phương án đúng');
  });

  it('the candidate view carries no answer key', () => {
    for (const t of Object.values(QUESTION_TYPES)) {
      const view = t.toCandidateView(multiple);
      expect(JSON.stringify(view)).not.toContain('correct');
    }
  });
});
