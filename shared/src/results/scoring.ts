/**
 * Scoring one computer attempt from its paper and answers, with the board's key corrections (sửa
 * đáp án, hủy câu hỏi) applied. Grading goes through the question-type registry, so partial credit
 * is exactly what the delivery module applies at submission; without corrections the numbers are the
 * ones DeliveryService.submit() stores:
 *   correct = Σ grade, total = number of questions,
 *   score = round(correct · scale / total, 2), passed = partPassed(part, { correct, total }).
 *
 * Partial credit: every official regulation counts "số câu trả lời đúng" (NĐ 138/2020 Điều 8 k1; see
 * NO_PARTIAL_CREDIT in rules/common.ts), so a multiple-answer question earns 1 only when it is fully
 * right, whatever the question's own `partialCredit` flag says. Only a part scored under a profile
 * whose `partialCredit` is true (the custom profile, outside the regulations) honours the flag, and
 * then `correct` is a fractional sum.
 *
 * Corrections are keyed by question version (a paper freezes versions, so correcting version n never
 * touches papers that used version n − 1):
 * - `rekey`: the options in `correct` become the key. For a single-answer or true/false question more
 *   than one id means any of them earns the point (the board accepts both answers); for a
 *   multiple-answer question it is the new set of right options, with the question's partial credit.
 * - `void`, `full_marks`: every candidate whose paper has the question gets its full point, answered
 *   or not. `drop`: the question is removed from both correct and total, so the score is rescaled over
 *   the remaining questions (a paper with every question dropped has total 0, score 0, not passed).
 */
import type { EntityId } from '../paper/blueprint.js';
import { questionType } from '../questions/registry.js';
import type { ChoiceAnswer, QuestionContent } from '../questions/types.js';
import { partPassed } from '../rules/logic.js';
import type { ProfilePart } from '../rules/types.js';

export type KeyCorrection = { kind: 'rekey'; correct: string[] } | { kind: 'void'; mode: 'full_marks' | 'drop' };

/**
 * Corrections by version id. A Map matches ids exactly (1 and '1' differ, as everywhere for
 * EntityId); a plain object's keys are strings, so it matches String(versionId).
 */
export type KeyCorrections = ReadonlyMap<EntityId, KeyCorrection> | Readonly<Record<string, KeyCorrection>>;

/** One question of a paper, in paper order (question no = index + 1): its content and version. */
export interface ScoringQuestion extends QuestionContent {
  versionId: EntityId;
}

/** The candidate's answers by question no (1-based): a map, or a lookup function. */
export type AnswerSource = ReadonlyMap<number, ChoiceAnswer> | ((no: number) => ChoiceAnswer | null | undefined);

/**
 * What scoring needs from the part: its scale and pass rule, and whether the profile allows partial
 * credit (`RegulationProfile.partialCredit`; absent means no, as in every official profile).
 */
export type ScoringPart = Pick<ProfilePart, 'scoreScale' | 'passRule'> & { partialCredit?: boolean };

export interface AttemptScore {
  /** Σ question credit: the number of fully correct answers (fractional only where partial credit is allowed). */
  correct: number;
  /** Questions counted (dropped ones are not). */
  total: number;
  /** On the part's scale, 2 decimals. */
  score: number;
  passed: boolean;
}

/** The correction for a version, if any. */
export function correctionFor(corrections: KeyCorrections | undefined, versionId: EntityId): KeyCorrection | undefined {
  if (!corrections) return undefined;
  if (corrections instanceof Map) return (corrections as ReadonlyMap<EntityId, KeyCorrection>).get(versionId);
  const rec = corrections as Readonly<Record<string, KeyCorrection>>;
  const key = String(versionId);
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** Problems with a correction for this question (Vietnamese), [] when it can be applied. */
export function correctionIssues(question: Pick<QuestionContent, 'options'>, correction: KeyCorrection): string[] {
  if (correction.kind === 'void') {
    return correction.mode === 'full_marks' || correction.mode === 'drop'
      ? []
      : [`Cách hủy câu hỏi không hợp lệ: ${correction.mode}.`];
  }
  const issues: string[] = [];
  if (correction.correct.length === 0) issues.push('Đáp án mới phải có ít nhất một phương án.');
  if (new Set(correction.correct).size !== correction.correct.length) issues.push('Đáp án mới có phương án bị lặp.');
  for (const id of correction.correct) {
    if (!question.options.some((o) => o.id === id)) issues.push(`Phương án "${id}" không có trong câu hỏi.`);
  }
  return issues;
}

/** Re-keyed contents, memoised per correction object and question object (a batch re-scores many papers). */
const rekeyed = new WeakMap<KeyCorrection, WeakMap<QuestionContent, QuestionContent>>();

function rekey(q: ScoringQuestion, c: Extract<KeyCorrection, { kind: 'rekey' }>): QuestionContent {
  let byQuestion = rekeyed.get(c);
  if (!byQuestion) {
    byQuestion = new WeakMap();
    rekeyed.set(c, byQuestion);
  }
  const hit = byQuestion.get(q);
  if (hit) return hit;
  const issues = correctionIssues(q, c);
  if (issues.length > 0) throw new RangeError(`Sửa đáp án câu hỏi (phiên bản ${q.versionId}): ${issues.join(' ')}`);
  const key = new Set(c.correct);
  const content: QuestionContent = {
    type: q.type,
    stem: q.stem,
    options: q.options.map((o) => ({ ...o, correct: key.has(o.id) })),
    ...(q.partialCredit !== undefined ? { partialCredit: q.partialCredit } : {}),
  };
  byQuestion.set(q, content);
  return content;
}

/** All-or-nothing contents of partial-credit questions, memoised per question object. */
const wholeOnly = new WeakMap<QuestionContent, QuestionContent>();

/** The question as graded when partial credit is not allowed: its `partialCredit` flag ignored. */
function withoutPartialCredit(q: QuestionContent): QuestionContent {
  if (!q.partialCredit) return q;
  let hit = wholeOnly.get(q);
  if (!hit) {
    hit = { type: q.type, stem: q.stem, options: q.options, partialCredit: false };
    wholeOnly.set(q, hit);
  }
  return hit;
}

/**
 * Credit per question in paper order: 1 or 0 (a number in [0, 1] only when `partialCredit` is allowed),
 * or null for a dropped question. The sum of the non-null entries is `correct` of scoreAttempt().
 */
export function gradeQuestions(
  questions: readonly ScoringQuestion[],
  answers: AnswerSource,
  corrections?: KeyCorrections,
  partialCredit = false,
): (number | null)[] {
  const out: (number | null)[] = new Array(questions.length);
  gradeInto(questions, answers, corrections, out, partialCredit);
  return out;
}

function gradeInto(
  questions: readonly ScoringQuestion[],
  answers: AnswerSource,
  corrections: KeyCorrections | undefined,
  out: (number | null)[] | null,
  partialCredit: boolean,
): { correct: number; total: number } {
  const lookup = typeof answers === 'function' ? answers : (no: number) => answers.get(no);
  let correct = 0;
  let total = 0;
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const fix = corrections ? correctionFor(corrections, q.versionId) : undefined;
    let credit: number | null;
    if (fix === undefined) credit = questionType(q.type).grade(partialCredit ? q : withoutPartialCredit(q), lookup(i + 1));
    else if (fix.kind === 'void') credit = fix.mode === 'drop' ? null : 1;
    else {
      const keyed = rekey(q, fix);
      credit = questionType(q.type).grade(partialCredit ? keyed : withoutPartialCredit(keyed), lookup(i + 1));
    }
    if (out) out[i] = credit;
    if (credit === null) continue;
    correct += credit;
    total++;
  }
  return { correct, total };
}

/**
 * Scores one attempt: { correct, total, score, passed } as DeliveryService.submit() computes them.
 * `part.partialCredit` must come from the exam's effective profile (false in every official one).
 */
export function scoreAttempt(
  questions: readonly ScoringQuestion[],
  answers: AnswerSource,
  part: ScoringPart,
  corrections?: KeyCorrections,
): AttemptScore {
  const { correct, total } = gradeInto(questions, answers, corrections, null, part.partialCredit === true);
  const score = total ? Math.round(((correct * part.scoreScale) / total) * 100) / 100 : 0;
  const passed = partPassed({ passRule: part.passRule, scoreScale: part.scoreScale }, { correct, total });
  return { correct, total, score, passed };
}

/** Does a paper with these versions contain a corrected question? */
export function isAffected(versionIds: readonly EntityId[], corrections: KeyCorrections): boolean {
  for (const v of versionIds) if (correctionFor(corrections, v) !== undefined) return true;
  return false;
}

/** The attempts whose paper contains at least one corrected version, in input order; no others. */
export function affectedAttempts<A extends { versionIds: readonly EntityId[] }>(
  attempts: readonly A[],
  corrections: KeyCorrections,
): A[] {
  return attempts.filter((a) => isAffected(a.versionIds, corrections));
}

/** Did re-scoring change anything the results depend on (for the before/after report)? */
export function scoreChanged(before: AttemptScore, after: AttemptScore): boolean {
  return (
    before.correct !== after.correct ||
    before.total !== after.total ||
    before.score !== after.score ||
    before.passed !== after.passed
  );
}
