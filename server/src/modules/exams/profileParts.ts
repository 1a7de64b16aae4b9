import {
  EXEMPTION_CODES,
  type ExemptionCode,
  isValidTimeZone,
  type PassRule,
  type ProfileOverrides,
  type ProfilePart,
  profileInForce,
  type RegulationProfile,
} from '@exam/shared';
import { AppError } from '../../plugins/errors.js';
import type { PartValues } from './repo/exams.js';

/** The rule columns of an exam part as stored (exam_parts). */
export interface PartRules {
  code: string;
  name: string;
  round: number;
  questionCount: number | null;
  durationMin: number | null;
  scoreScale: number;
  passRule: string;
  role: string;
  coefficient: number | null;
  exemptibleBy: string;
}

/** Subject codes the sample banks use for each profile subject hint. */
const SUBJECT_FOR_HINT: Record<string, string[]> = { KTC: ['KTC'], NN: ['TA', 'NN'], TH: ['TH'] };

/** The subject a profile part's hint points to among the bank's subjects, if any. */
export function subjectFor(p: Pick<ProfilePart, 'subject'>, subjects: readonly { id: number; code: string }[]): number | null {
  return subjects.find((x) => (SUBJECT_FOR_HINT[p.subject] ?? []).includes(x.code))?.id ?? null;
}

/** The exam_parts values of a profile part (its rule columns). */
export function partRuleValues(
  p: ProfilePart,
): Pick<
  PartValues,
  'name' | 'round' | 'questionCount' | 'durationMin' | 'scoreScale' | 'passRule' | 'role' | 'coefficient' | 'exemptibleBy'
> {
  return {
    name: p.name.vi,
    round: p.round,
    questionCount: p.questionCount,
    durationMin: p.durationMin,
    scoreScale: p.scoreScale,
    passRule: JSON.stringify(p.passRule),
    role: p.role,
    coefficient: p.coefficient,
    exemptibleBy: JSON.stringify(p.exemptibleBy),
  };
}

/**
 * A profile not in force on the exam's date (its `effective` dates) needs the board's confirmation with
 * a reason: refused with PROFILE_NOT_IN_FORCE without one. Returns the reason to store (null when the
 * profile is in force or the exam has no date yet).
 */
export function assertInForce(
  profile: RegulationProfile,
  examDate: string | undefined,
  reason: string | undefined,
): string | null {
  const f = profileInForce(profile, examDate);
  if (f.inForce !== false) return null;
  const why = reason?.trim() ?? '';
  if (!why)
    throw new AppError(
      409,
      'PROFILE_NOT_IN_FORCE',
      `${f.message} Hội đồng phải xác nhận và ghi lý do (ví dụ: kỳ tuyển dụng chuyển tiếp theo NĐ 170/2025 Điều 70).`,
      'The profile is not in force on the exam date; confirm with a reason',
      { effective: profile.effective },
    );
  return why;
}

export function assertTimeZone(zone: string): void {
  if (!isValidTimeZone(zone))
    throw new AppError(
      400,
      'TIME_ZONE_INVALID',
      `Múi giờ "${zone}" không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh)`,
      `Unknown time zone "${zone}" (e.g. Asia/Ho_Chi_Minh)`,
    );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The exams.overrides column, checked once: an object (the deep-partial profile). */
export function parseOverrides(json: string): ProfileOverrides {
  const v: unknown = JSON.parse(json);
  return isObject(v) ? v : {};
}

export function withoutParts(o: ProfileOverrides): ProfileOverrides {
  const { parts: _parts, ...rest } = o;
  return rest;
}

export function parsePassRule(json: string): PassRule | null {
  const v: unknown = JSON.parse(json);
  if (!isObject(v)) return null;
  if (v.kind === 'none') return { kind: 'none' };
  if (v.kind === 'min_percent' && typeof v.percent === 'number') return { kind: 'min_percent', percent: v.percent };
  if (v.kind === 'min_score' && typeof v.score === 'number') return { kind: 'min_score', score: v.score };
  return null;
}

export function parseExemptions(json: string): ExemptionCode[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is ExemptionCode => (EXEMPTION_CODES as readonly unknown[]).includes(x)) : [];
}

/**
 * The profile's parts with the exam's values from exam_parts. A profile part with no row is kept
 * only when it is an unchosen option of a choice or dropped on computer (the rules decide); otherwise
 * the board removed it. A row with no profile part is a part the board added.
 */
export function withExamParts(profile: RegulationProfile, rows: readonly PartRules[]): RegulationProfile {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const apply = (p: ProfilePart, r: PartRules): ProfilePart => ({
    ...p,
    name: r.name === p.name.vi ? p.name : { vi: r.name, en: p.name.en },
    round: r.round,
    questionCount: r.questionCount,
    durationMin: r.durationMin,
    scoreScale: r.scoreScale,
    passRule: parsePassRule(r.passRule) ?? p.passRule,
    role: r.role === 'condition' ? 'condition' : 'counted',
    coefficient: r.coefficient,
    exemptibleBy: parseExemptions(r.exemptibleBy),
  });
  const parts: ProfilePart[] = [];
  for (const p of profile.parts) {
    const r = byCode.get(p.id);
    if (r) parts.push(apply(p, r));
    else if (p.choice || p.droppedWhen?.onComputer) parts.push(p);
  }
  const known = new Set(profile.parts.map((p) => p.id));
  for (const r of rows) {
    if (known.has(r.code)) continue;
    parts.push(
      apply(
        {
          id: r.code,
          name: { vi: r.name, en: r.name },
          subject: 'KTC',
          round: r.round,
          mode: null,
          questionCount: null,
          durationMin: null,
          scoreScale: 100,
          passRule: { kind: 'none' },
          role: 'counted',
          coefficient: null,
          exemptibleBy: [],
          droppedWhen: null,
          appliesToGrades: null,
          choice: null,
          source: 'Hội đồng thi quy định',
        },
        r,
      ),
    );
  }
  return { ...profile, parts };
}
