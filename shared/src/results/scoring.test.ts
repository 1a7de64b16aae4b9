import { describe, expect, it } from 'vitest';
import { questionType } from '../questions/registry.js';
import type { ChoiceAnswer, QuestionTypeId } from '../questions/types.js';
import { partPassed } from '../rules/logic.js';
import type { PassRule } from '../rules/types.js';
import {
  affectedAttempts,
  correctionFor,
  correctionIssues,
  gradeQuestions,
  type KeyCorrection,
  type KeyCorrections,
  type ScoringQuestion,
  scoreAttempt,
  scoreChanged,
} from './scoring.js';

function q(
  versionId: number,
  type: QuestionTypeId,
  key: string[],
  ids = ['A', 'B', 'C', 'D'],
  partialCredit = false,
): ScoringQuestion {
  return {
    versionId,
    type,
    stem: `Câu ${versionId}`,
    options: ids.map((id) => ({ id, text: id, correct: key.includes(id) })),
    partialCredit,
  };
}

const pct50: PassRule = { kind: 'min_percent', percent: 50 };
const part60 = { scoreScale: 60, passRule: pct50 };
/** A part under the custom profile with partial credit turned on (outside the regulations). */
const part60Partial = { ...part60, partialCredit: true };
const answers = (list: (string[] | null)[]) => new Map(list.flatMap((a, i) => (a ? [[i + 1, a] as [number, ChoiceAnswer]] : [])));

/**
 * What DeliveryService.submit() computed before issue 12, copied verbatim: the question's own
 * partialCredit flag is honoured, which is what scoreAttempt still does under a profile that allows
 * partial credit (the custom one).
 */
function serviceSubmit(questions: ScoringQuestion[], ans: Map<number, ChoiceAnswer>, scoreScale: number, passRule: PassRule) {
  let correct = 0;
  for (let i = 0; i < questions.length; i++) correct += questionType(questions[i]!.type).grade(questions[i]!, ans.get(i + 1));
  const total = questions.length;
  const score = total ? Math.round(((correct * scoreScale) / total) * 100) / 100 : 0;
  const passed = partPassed({ passRule, scoreScale }, { correct, total });
  return { correct, total, score, passed };
}

// Paper: 1 single (key A), 2 multiple with partial credit (key A, C), 3 true/false (key B), 4 single (key D).
const paper = [
  q(101, 'single', ['A']),
  q(102, 'multiple', ['A', 'C'], ['A', 'B', 'C', 'D'], true),
  q(103, 'true_false', ['B'], ['A', 'B']),
  q(104, 'single', ['D']),
];

describe('issue 12, error 1: official profiles count "số câu trả lời đúng", never partial credit', () => {
  // NĐ 138/2020 Điều 8 k1: "Kết quả thi vòng 1 được xác định theo số câu trả lời đúng cho từng phần
  // thi …, nếu trả lời đúng từ 50% số câu hỏi trở lên cho từng phần thi thì người dự tuyển được thi
  // tiếp vòng 2" [S18] (lawnet 67370). A multiple-answer question with one of its three right options
  // ticked is not a correct answer. 29 fully right + three such questions = 29 correct of 60 = 48.3%:
  // a fail. Before the fix the question's partialCredit flag gave ⅓ each, 30 of 60, a pass.
  const paper60 = [
    ...Array.from({ length: 29 }, (_v, i) => q(i + 1, 'single', ['A'])),
    ...[30, 31, 32].map((v) => q(v, 'multiple', ['A', 'B', 'C'], ['A', 'B', 'C', 'D'], true)),
    ...Array.from({ length: 28 }, (_v, i) => q(33 + i, 'single', ['A'])),
  ];
  const ans = (no: number) => (no <= 29 ? ['A'] : no <= 32 ? ['A'] : ['B']);

  it('29 of 60 fully right plus three ⅓-right multiple-answer questions: 29 correct, 29 points, fails 50%', () => {
    expect(scoreAttempt(paper60, ans, part60)).toEqual({ correct: 29, total: 60, score: 29, passed: false });
    expect(gradeQuestions(paper60, ans).slice(29, 32)).toEqual([0, 0, 0]);
  });

  it('a fully right multiple-answer question still counts 1', () => {
    expect(gradeQuestions(paper, answers([null, ['A', 'C'], null, null]))).toEqual([0, 1, 0, 0]);
  });
});

describe('scoreAttempt under the custom profile with partial credit (outside the regulations) = the old delivery formula', () => {
  it('worked example: 1 + ½ + 0 + 1 = 2.5 of 4 on a 60-point scale → 37.5, passes 50%', () => {
    // Q1 A right (1); Q2 only A ticked of A, C → (1 − 0)/2 = ½; Q3 blank (0); Q4 D right (1).
    const ans = answers([['A'], ['A'], null, ['D']]);
    expect(gradeQuestions(paper, ans, undefined, true)).toEqual([1, 0.5, 0, 1]);
    expect(scoreAttempt(paper, ans, part60Partial)).toEqual({ correct: 2.5, total: 4, score: 37.5, passed: true });
    // The same sheet under an official profile: Q2 is not a correct answer.
    expect(scoreAttempt(paper, ans, part60)).toEqual({ correct: 2, total: 4, score: 30, passed: true });
  });

  it('partial credit never goes below 0: A, B, D ticked on key A, C → (1 − 2)/2 → 0', () => {
    expect(gradeQuestions(paper, answers([null, ['A', 'B', 'D'], null, null]), undefined, true)).toEqual([0, 0, 0, 0]);
  });

  it('matches the service formula on many answer sheets, including rounding to 2 decimals', () => {
    const sheets: (string[] | null)[][] = [
      [['A'], ['A', 'C'], ['B'], ['D']],
      [['B'], ['C'], ['A'], null],
      [null, null, null, null],
      [['A'], ['A', 'B'], ['B'], ['C']],
      [['A'], ['C'], ['A'], ['D']],
    ];
    for (const scale of [60, 30, 100, 7]) {
      for (const s of sheets) {
        const ans = answers(s);
        expect(scoreAttempt(paper, ans, { scoreScale: scale, passRule: pct50, partialCredit: true })).toEqual(
          serviceSubmit(paper, ans, scale, pct50),
        );
      }
    }
    // 1.5/4 × 7 = 2.625 → 2.63
    expect(
      scoreAttempt(paper, answers([['A'], ['C'], null, null]), { scoreScale: 7, passRule: pct50, partialCredit: true }).score,
    ).toBe(2.63);
    // 1/4 × 7 = 1.75 where only whole answers count.
    expect(scoreAttempt(paper, answers([['A'], ['C'], null, null]), { scoreScale: 7, passRule: pct50 }).score).toBe(1.75);
  });

  it('custom profile: exactly 50% with partial credit passes: 29 right + three ⅓ credits = 30 of 60 (float 29.999999999999996)', () => {
    const paper60 = [
      ...Array.from({ length: 29 }, (_v, i) => q(i + 1, 'single', ['A'])),
      ...[30, 31, 32].map((v) => q(v, 'multiple', ['A', 'B', 'C'], ['A', 'B', 'C', 'D'], true)),
      ...Array.from({ length: 28 }, (_v, i) => q(33 + i, 'single', ['A'])),
    ];
    const ans = (no: number) => (no <= 29 ? ['A'] : no <= 32 ? ['A'] : ['B']); // ⅓ on each multiple, then wrong
    const r = scoreAttempt(paper60, ans, part60Partial);
    expect(r.correct).toBeCloseTo(30, 12);
    expect(r.score).toBe(30);
    expect(r.passed).toBe(true);
    expect(r).toEqual({ ...serviceSubmit(paper60, new Map(paper60.map((_x, i) => [i + 1, ans(i + 1)])), 60, pct50) });
  });

  it('answers may come from a lookup function', () => {
    const fromFn = scoreAttempt(paper, (no) => (no === 1 ? ['A'] : undefined), part60);
    expect(fromFn).toEqual({ correct: 1, total: 4, score: 15, passed: false });
  });
});

describe('key corrections', () => {
  const sheet = answers([['B'], ['A', 'C'], null, ['D']]); // Q1 wrong (B), Q2 right, Q3 blank, Q4 right

  it('rekey: Q1 key A → B turns the B answer from 0 into 1', () => {
    expect(scoreAttempt(paper, sheet, part60)).toEqual({ correct: 2, total: 4, score: 30, passed: true });
    const fix = new Map<number, KeyCorrection>([[101, { kind: 'rekey', correct: ['B'] }]]);
    expect(gradeQuestions(paper, sheet, fix)).toEqual([1, 1, 0, 1]);
    expect(scoreAttempt(paper, sheet, part60, fix)).toEqual({ correct: 3, total: 4, score: 45, passed: true });
    // A candidate who had answered A loses the point.
    expect(gradeQuestions(paper, answers([['A'], null, null, null]), fix)[0]).toBe(0);
  });

  it('rekey a single-answer question to two ids: either answer earns the point', () => {
    const fix = { 101: { kind: 'rekey', correct: ['A', 'B'] } } satisfies KeyCorrections;
    expect(gradeQuestions(paper, answers([['A']]), fix)[0]).toBe(1);
    expect(gradeQuestions(paper, answers([['B']]), fix)[0]).toBe(1);
    expect(gradeQuestions(paper, answers([['C']]), fix)[0]).toBe(0);
  });

  it('custom profile: rekey a multiple-answer question keeps its partial credit: key A, C → A, C, D; A + C ticked gives 2/3', () => {
    const fix = new Map<number, KeyCorrection>([[102, { kind: 'rekey', correct: ['A', 'C', 'D'] }]]);
    expect(gradeQuestions(paper, sheet, fix, true)[1]).toBeCloseTo(2 / 3, 12);
    // Under an official profile A + C of A, C, D is not a correct answer.
    expect(gradeQuestions(paper, sheet, fix)[1]).toBe(0);
  });

  it('void with full marks: everyone gets the point, blank or not; the total stays 4', () => {
    const fix = new Map<number, KeyCorrection>([[103, { kind: 'void', mode: 'full_marks' }]]);
    expect(scoreAttempt(paper, sheet, part60, fix)).toEqual({ correct: 3, total: 4, score: 45, passed: true });
    expect(scoreAttempt(paper, answers([]), part60, fix)).toEqual({ correct: 1, total: 4, score: 15, passed: false });
  });

  it('void by dropping: the question leaves the total and the score is rescaled (and the pass mark with it)', () => {
    // 2 right of 4 = 50% passes. Drop a question the candidate got right: 1 of 3 = 33.3% fails;
    // drop one they got wrong: 2 of 3 → 40 of 60, passes.
    const twoOfFour = answers([['A'], ['B'], ['A'], ['D']]); // right, wrong, wrong, right
    expect(scoreAttempt(paper, twoOfFour, part60)).toEqual({ correct: 2, total: 4, score: 30, passed: true });
    const dropRight = new Map<number, KeyCorrection>([[101, { kind: 'void', mode: 'drop' }]]);
    expect(gradeQuestions(paper, twoOfFour, dropRight)).toEqual([null, 0, 0, 1]);
    expect(scoreAttempt(paper, twoOfFour, part60, dropRight)).toEqual({ correct: 1, total: 3, score: 20, passed: false });
    const dropWrong = new Map<number, KeyCorrection>([[102, { kind: 'void', mode: 'drop' }]]);
    expect(scoreAttempt(paper, twoOfFour, part60, dropWrong)).toEqual({ correct: 2, total: 3, score: 40, passed: true });
  });

  it('every question dropped: total 0, score 0, not passed', () => {
    const all: KeyCorrections = Object.fromEntries(paper.map((x) => [String(x.versionId), { kind: 'void', mode: 'drop' }]));
    expect(scoreAttempt(paper, sheet, part60, all)).toEqual({ correct: 0, total: 0, score: 0, passed: false });
  });

  it('a correction of a version not on the paper changes nothing', () => {
    const other = new Map<number, KeyCorrection>([[999, { kind: 'void', mode: 'full_marks' }]]);
    expect(scoreAttempt(paper, sheet, part60, other)).toEqual(scoreAttempt(paper, sheet, part60));
  });

  it('a Map matches ids exactly; a plain object by String(id)', () => {
    const fix: KeyCorrection = { kind: 'void', mode: 'drop' };
    expect(correctionFor(new Map([[101, fix]]), 101)).toBe(fix);
    expect(correctionFor(new Map([['101', fix]]), 101)).toBeUndefined();
    expect(correctionFor({ 101: fix }, 101)).toBe(fix);
    expect(correctionFor({ 101: fix }, '101')).toBe(fix);
    expect(correctionFor({}, 'toString')).toBeUndefined();
  });

  it('an invalid rekey is refused', () => {
    expect(correctionIssues(paper[0]!, { kind: 'rekey', correct: [] })).toEqual(['Đáp án mới phải có ít nhất một phương án.']);
    expect(correctionIssues(paper[2]!, { kind: 'rekey', correct: ['C'] })).toEqual(['Phương án "C" không có trong câu hỏi.']);
    expect(correctionIssues(paper[0]!, { kind: 'rekey', correct: ['B'] })).toEqual([]);
    const bad = new Map<number, KeyCorrection>([[103, { kind: 'rekey', correct: ['C'] }]]);
    expect(() => scoreAttempt(paper, sheet, part60, bad)).toThrow(/phiên bản 103/);
  });

  it('scoreChanged compares what the results depend on', () => {
    const a = { correct: 2, total: 4, score: 30, passed: true };
    expect(scoreChanged(a, { ...a })).toBe(false);
    expect(scoreChanged(a, { ...a, total: 3 })).toBe(true);
  });
});

describe('affectedAttempts', () => {
  it('returns exactly the attempts whose paper contains a corrected version', () => {
    const attempts = [
      { id: 1, versionIds: [101, 102, 103] },
      { id: 2, versionIds: [201, 202, 203] },
      { id: 3, versionIds: [301, 102] },
      { id: 4, versionIds: [] },
      { id: 5, versionIds: [104] },
    ];
    const fix = new Map<number, KeyCorrection>([
      [102, { kind: 'rekey', correct: ['A'] }],
      [104, { kind: 'void', mode: 'drop' }],
    ]);
    expect(affectedAttempts(attempts, fix).map((a) => a.id)).toEqual([1, 3, 5]);
    expect(affectedAttempts(attempts, new Map())).toEqual([]);
  });
});
