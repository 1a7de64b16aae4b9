/**
 * Pure functions driven by a RegulationProfile: part pass/fail, priority, eligibility, exemptions,
 * kiểm định validity, a candidate's result and the ranking within a quota. No I/O, no clocks.
 */
import {
  type CandidateResult,
  CIVIL_SERVICE_GRADES,
  type EligibilityIssue,
  type ExemptionCode,
  type GradeCode,
  type LocalizedText,
  type PartOutcome,
  type PartResultInput,
  type PartScoreInput,
  type PartStatus,
  type PassRule,
  type PriorityCategory,
  type ProfileCandidate,
  type ProfileChoice,
  type ProfilePart,
  type PromotionCandidate,
  RATING_LABELS,
  RATINGS,
  type RankingResult,
  type RankRow,
  type RegulationProfile,
  type ResultReason,
  type SanctionCode,
  type SanctionRule,
  type TieBreakCriterion,
  type TieBreakValues,
  type TiedGroup,
} from './types.js';

/** Tolerance for comparing computed scores with thresholds, so that exactly 50% always passes. */
const EPS = 1e-9;

/** Scores are kept to 6 decimals so equal sums reached in different orders compare equal. */
export function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A number the English way: at most 2 decimals, decimal point. */
export function formatEn(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** A number the Vietnamese way: at most 2 decimals, decimal comma. */
export function formatVi(n: number): string {
  return String(Math.round(n * 100) / 100).replace('.', ',');
}

// ---------------------------------------------------------------------------------------------
// Dates (ISO "YYYY-MM-DD", calendar arithmetic only).

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function parseIsoDate(s: string): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) throw new RangeError(`Ngày không hợp lệ (cần YYYY-MM-DD): ${s}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`Ngày không hợp lệ: ${s}`);
  return { y, m, d };
}

export function isIsoDate(s: string): boolean {
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

function dateKey(v: Ymd): number {
  return v.y * 10000 + v.m * 100 + v.d;
}

function isoOf(v: Ymd): string {
  return `${String(v.y).padStart(4, '0')}-${String(v.m).padStart(2, '0')}-${String(v.d).padStart(2, '0')}`;
}

export function formatDateVi(iso: string): string {
  const v = parseIsoDate(iso);
  return `${String(v.d).padStart(2, '0')}/${String(v.m).padStart(2, '0')}/${v.y}`;
}

/** Same calendar day `months` later, clamped to the month's last day (31/1 + 1 month = 28 or 29/2). */
export function addMonths(iso: string, months: number): string {
  const v = parseIsoDate(iso);
  const idx = v.y * 12 + (v.m - 1) + months;
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return isoOf({ y, m, d: Math.min(v.d, daysInMonth(y, m)) });
}

/**
 * Is a kiểm định result still valid on the exam date? Valid for `profile.kiemDinhValidityMonths`
 * (24, NĐ 06/2023 Điều 10 k1 [S49]). The reference gives only "24 months"; the convention here is
 * that the result is valid from its date through the same calendar day 24 months later, inclusive.
 * A profile without a validity period (kiểm định does not apply) accepts no result.
 */
export function kiemDinhValid(
  resultDate: string,
  examDate: string,
  profile: Pick<RegulationProfile, 'kiemDinhValidityMonths'>,
): boolean {
  const months = profile.kiemDinhValidityMonths;
  if (months === null) return false;
  const start = dateKey(parseIsoDate(resultDate));
  const exam = dateKey(parseIsoDate(examDate));
  const end = dateKey(parseIsoDate(addMonths(resultDate, months)));
  return exam >= start && exam <= end;
}

/**
 * The date a kiểm định result must still be valid on. NĐ 116/2024 (khoản sửa Điều 8 NĐ 138/2020)
 * exempts from round 1 a candidate whose kiểm định result "còn thời hạn … tính đến thời điểm hết
 * hạn nhận Phiếu đăng ký dự tuyển" and reaches the score the recruiting body requires (reference §5b,
 * baohaiduong.vn; the primary text was NOT FOUND with the search tool, so the minimum stays an exam
 * setting, `kiemDinhMinPercent`). Profiles that say 'exam_date' (or nothing) count to the exam date.
 * null: the date is not known, and validity is not checked (as before this rule).
 */
export function kiemDinhReferenceDate(
  profile: Pick<RegulationProfile, 'kiemDinhValidAt'>,
  ctx: ResultContext,
): { date: string; label: string; labelEn: string } | null {
  if (profile.kiemDinhValidAt === 'application_deadline') {
    return ctx.applicationDeadline === undefined
      ? null
      : { date: ctx.applicationDeadline, label: 'hạn nhận phiếu đăng ký', labelEn: 'the application deadline' };
  }
  return ctx.examDate === undefined ? null : { date: ctx.examDate, label: 'ngày thi', labelEn: 'the exam date' };
}

/**
 * The sessions a person whose result was cancelled on `cancelledOn` may not register for: the first
 * `profile.cancellationBarsSessions` sessions held after that date (NĐ 06/2023 Điều 10 k4 c: "không được
 * đăng ký dự kiểm định trong một kỳ kiểm định tiếp theo", thuvienphapluat.vn 15044, lawnet.vn 112212).
 * `sessionDates` are the dates of the sessions (ISO, any order); the result is sorted.
 */
export function sessionsBarredAfterCancellation(
  profile: Pick<RegulationProfile, 'cancellationBarsSessions'>,
  cancelledOn: string,
  sessionDates: readonly string[],
): string[] {
  const n = profile.cancellationBarsSessions ?? 0;
  if (n <= 0) return [];
  return sessionDates
    .filter((d) => isIsoDate(d) && d > cancelledOn)
    .sort()
    .slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Parts.

/** The score on the part's scale: given directly, or correct / total × scale. */
export function partScore(part: Pick<ProfilePart, 'scoreScale'>, result: PartResultInput): number {
  if ('score' in result) return result.score;
  if (result.total <= 0) return 0;
  return (result.correct * part.scoreScale) / result.total;
}

/** Does `score` out of `scale` meet the rule? Thresholds are inclusive. */
export function meetsPassRule(rule: PassRule, score: number, scale: number): boolean {
  switch (rule.kind) {
    case 'none':
      return true;
    case 'min_percent':
      return score * 100 >= rule.percent * scale - EPS;
    case 'min_score':
      return score >= rule.score - EPS;
  }
}

/**
 * Did the candidate pass this part? `result` is correct/total (MC) or a score on the part's scale.
 * Exactly at the threshold passes: 30/60 passes a 50% rule, 29/60 fails.
 */
export function partPassed(part: Pick<ProfilePart, 'passRule' | 'scoreScale'>, result: PartResultInput): boolean {
  if ('correct' in result) {
    if (result.total <= 0) return false;
    const rule = part.passRule;
    // With partial credit (custom profile only) `correct` is a float sum (29 + ⅓ + ⅓ + ⅓ =
    // 29.999999999999996), so compare with the same tolerance as scores; real counts differ by at least
    // 1/60 of a question.
    if (rule.kind === 'min_percent') return result.correct * 100 >= rule.percent * result.total - EPS;
    if (rule.kind === 'min_score') return result.correct * part.scoreScale >= rule.score * result.total - EPS;
    return true;
  }
  return meetsPassRule(part.passRule, result.score, part.scoreScale);
}

// ---------------------------------------------------------------------------------------------
// Per-profile lookups.

/**
 * Lookups derived from a profile's arrays, built once per profile object instead of once per candidate
 * (computeCandidateResult runs for every candidate of an exam). They hold references to the profile's
 * own parts, choices, sanctions and categories, so values edited in place are still read live; a
 * profile whose arrays are replaced or resized gets new lookups. Ids and codes are not expected to
 * change once a profile is in use (applyOverrides derives a new profile).
 */
interface ProfileLookup {
  parts: readonly ProfilePart[];
  partCount: number;
  choices: readonly ProfileChoice[];
  choiceCount: number;
  sanctions: readonly SanctionRule[];
  sanctionCount: number;
  categories: readonly PriorityCategory[];
  categoryCount: number;
  /** Index of each part id (the last one when ids repeat, as `new Map(entries)` would give). */
  partIndex: Map<string, number>;
  /** The choice each part is an option of, by part index (undefined: none, or not declared). */
  choiceOfPart: (ProfileChoice | undefined)[];
  /** The first sanction rule / priority category with each code (as `find` would give). */
  sanctionByCode: Map<string, SanctionRule>;
  categoryByCode: Map<string, PriorityCategory>;
}

const lookups = new WeakMap<RegulationProfile, ProfileLookup>();

function firstByKey<T>(items: readonly T[], key: (x: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of items) if (!out.has(key(x))) out.set(key(x), x);
  return out;
}

function lookupOf(profile: RegulationProfile): ProfileLookup {
  const { parts, choices, sanctions } = profile;
  const categories = profile.priority.categories;
  const cached = lookups.get(profile);
  if (
    cached !== undefined &&
    cached.parts === parts &&
    cached.partCount === parts.length &&
    cached.choices === choices &&
    cached.choiceCount === choices.length &&
    cached.sanctions === sanctions &&
    cached.sanctionCount === sanctions.length &&
    cached.categories === categories &&
    cached.categoryCount === categories.length
  ) {
    return cached;
  }
  const choiceById = firstByKey(choices, (c) => c.id);
  const lookup: ProfileLookup = {
    parts,
    partCount: parts.length,
    choices,
    choiceCount: choices.length,
    sanctions,
    sanctionCount: sanctions.length,
    categories,
    categoryCount: categories.length,
    partIndex: new Map(parts.map((p, i) => [p.id, i])),
    choiceOfPart: parts.map((p) => (p.choice === null ? undefined : choiceById.get(p.choice.choiceId))),
    sanctionByCode: firstByKey(sanctions, (r) => r.code),
    categoryByCode: firstByKey(categories, (c) => c.code),
  };
  lookups.set(profile, lookup);
  return lookup;
}

// ---------------------------------------------------------------------------------------------
// Priority.

/** The single highest category among the candidate's codes (only the highest counts); null if none. */
export function bestPriorityCategory(profile: RegulationProfile, codes: readonly string[]): PriorityCategory | null {
  return highestCategory(lookupOf(profile), codes);
}

function highestCategory(lookup: ProfileLookup, codes: readonly string[]): PriorityCategory | null {
  let best: PriorityCategory | null = null;
  for (const code of codes) {
    const cat = lookup.categoryByCode.get(code);
    if (cat && (best === null || cat.points > best.points)) best = cat;
  }
  return best;
}

/** Points of the single highest category (0 if none): +30 and +20 give 30, never 50. */
export function bestPriority(profile: RegulationProfile, codes: readonly string[]): number {
  return bestPriorityCategory(profile, codes)?.points ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Late admission.

/**
 * How many minutes late a candidate may still be admitted to a paper of `paperMin` minutes: a number,
 * 'chair_decides' / 'not_admitted' when no band covers it, or null when the profile does not say.
 */
export function lateAdmissionLimit(
  profile: RegulationProfile,
  paperMin: number,
): number | 'chair_decides' | 'not_admitted' | null {
  const rule = profile.lateAdmission;
  if (!rule) return null;
  for (const b of rule.bands) {
    if (
      (b.paperMinAtLeast === null || paperMin >= b.paperMinAtLeast) &&
      (b.paperMinAtMost === null || paperMin <= b.paperMinAtMost)
    ) {
      return b.maxLateMin;
    }
  }
  return rule.otherwise;
}

// ---------------------------------------------------------------------------------------------
// Which parts a candidate sits.

export interface PartContext {
  exemptions?: readonly ExemptionCode[];
  /** The position's rank (recruitment) or the target rank (promotion). */
  grade?: GradeCode | null;
  /** false when the position needs no foreign language. */
  foreignLanguageRequired?: boolean;
  /** Selections that take precedence over the profile's (per-candidate choices such as the kiểm định level). */
  choices?: Readonly<Record<string, string>>;
}

export type PartPlanStatus = 'sit' | 'exempt' | 'dropped' | 'not_applicable' | 'choice_unset' | 'grade_unset';

export interface PartPlanEntry {
  part: ProfilePart;
  status: PartPlanStatus;
  exemptedBy: ExemptionCode | null;
}

/** The first of the part's exemptions the candidate holds, or null. */
function exemptionOf(part: ProfilePart, exemptions: readonly ExemptionCode[]): ExemptionCode | null {
  for (const e of part.exemptibleBy) if (exemptions.includes(e)) return e;
  return null;
}

/** What happens to one part for this candidate; `def` is the choice the part is an option of. */
function partPlanStatus(
  part: ProfilePart,
  def: ProfileChoice | undefined,
  ctx: PartContext,
  exemptions: readonly ExemptionCode[],
): PartPlanStatus {
  if (part.appliesToGrades !== null) {
    if (ctx.grade === undefined || ctx.grade === null) return 'grade_unset';
    if (!part.appliesToGrades.includes(ctx.grade)) return 'not_applicable';
  }
  if (part.choice !== null) {
    const selected = ctx.choices?.[part.choice.choiceId] ?? def?.selected ?? null;
    if (selected === null || def === undefined) return 'choice_unset';
    if (!part.choice.options.includes(selected)) return 'not_applicable';
  }
  const dw = part.droppedWhen;
  if (dw) {
    if (dw.onComputer && part.mode === 'computer_mc') return 'dropped';
    if (dw.foreignLanguageNotRequired && ctx.foreignLanguageRequired === false) return 'dropped';
  }
  return exemptionOf(part, exemptions) !== null ? 'exempt' : 'sit';
}

/** Every part of the profile with what happens to it for this candidate. */
export function planParts(profile: RegulationProfile, ctx: PartContext = {}): PartPlanEntry[] {
  const exemptions = ctx.exemptions ?? [];
  const { choiceOfPart } = lookupOf(profile);
  return profile.parts.map((part, i): PartPlanEntry => {
    const status = partPlanStatus(part, choiceOfPart[i], ctx, exemptions);
    return { part, status, exemptedBy: status === 'exempt' ? exemptionOf(part, exemptions) : null };
  });
}

/** The parts the candidate actually sits: exempted, dropped and inapplicable parts are skipped. */
export function applicableParts(
  profile: RegulationProfile,
  exemptions: readonly ExemptionCode[],
  ctx: Omit<PartContext, 'exemptions'> = {},
): ProfilePart[] {
  return planParts(profile, { ...ctx, exemptions })
    .filter((e) => e.status === 'sit')
    .map((e) => e.part);
}

/** Σ coefficient × scale over the counted parts that apply (400 under NĐ 24/2010); null if a coefficient is unset. */
export function maxBaseScore(profile: RegulationProfile, ctx: Omit<PartContext, 'exemptions'> = {}): number | null {
  let sum = 0;
  for (const e of planParts(profile, ctx)) {
    if (e.status !== 'sit' || e.part.role !== 'counted') continue;
    if (e.part.coefficient === null) return null;
    sum += e.part.coefficient * e.part.scoreScale;
  }
  return roundScore(sum);
}

// ---------------------------------------------------------------------------------------------
// Promotion eligibility.

function gradeName(g: GradeCode): string {
  return CIVIL_SERVICE_GRADES[g].name.vi;
}

/**
 * Eligibility for a promotion exam (years in grade, rating, discipline). Returns every issue with a
 * Vietnamese message; `blocking: false` marks a rule the profile leaves unset (shown, not failed).
 * Profiles without eligibility rules (recruitment) return [].
 */
export function checkEligibility(profile: RegulationProfile, c: PromotionCandidate): EligibilityIssue[] {
  const rule = profile.eligibility;
  if (!rule) return [];
  const issues: EligibilityIssue[] = [];
  const fail = (code: EligibilityIssue['code'], message: string) => issues.push({ code, message, blocking: true });
  const unset = (message: string) => issues.push({ code: 'rule_unset', message, blocking: false });

  const target = c.targetGrade;
  if (target === null && profile.kind === 'title_promotion') {
    // hạng chức danh nghề nghiệp viên chức are not administrative grades: the minimum time in the title
    // below is set by each sector's title standards, which the council checks from the file
    if (rule.serviceTime.length === 0) {
      unset(
        'Thời gian giữ hạng chức danh nghề nghiệp liền kề: theo tiêu chuẩn chức danh của từng ngành; Hội đồng kiểm tra hồ sơ.',
      );
    }
  } else if (target === null) {
    fail('data_missing', 'Chưa khai báo ngạch dự thi.');
  } else if (profile.targetGrades !== null && !profile.targetGrades.includes(target)) {
    fail('target_grade_not_offered', `Kỳ thi không tổ chức thi nâng ngạch lên ${gradeName(target)} (${target}).`);
  } else {
    const forTarget = rule.serviceTime.filter((r) => r.targetGrade === target);
    if (forTarget.length === 0) {
      unset(`Chưa có quy định về thời gian giữ ngạch khi dự thi ngạch ${gradeName(target)}; Hội đồng cần xác định.`);
    } else if (c.currentGrade === null) {
      fail('data_missing', 'Chưa khai báo ngạch đang giữ.');
    } else {
      const current = c.currentGrade;
      const st = forTarget.find((r) => r.fromGrades === null || r.fromGrades.includes(current));
      if (!st) {
        const allowed = forTarget.flatMap((r) => r.fromGrades ?? []).map(gradeName);
        fail(
          'current_grade',
          `Ngạch đang giữ ${gradeName(current)} (${current}) không thuộc diện dự thi ngạch ${gradeName(target)}` +
            (allowed.length ? ` (yêu cầu: ${allowed.join(', ')}).` : '.'),
        );
      } else {
        if (st.minYears === null) {
          unset(`Thời gian giữ ngạch tối thiểu để dự thi ngạch ${gradeName(target)} chưa được quy định; Hội đồng cần xác định.`);
        } else if (c.yearsInGrade === null) {
          fail('data_missing', 'Chưa khai báo thời gian giữ ngạch.');
        } else if (c.yearsInGrade + EPS < st.minYears) {
          fail(
            'years_in_grade',
            `Chưa đủ thời gian giữ ngạch ${gradeName(current)} hoặc tương đương: yêu cầu tối thiểu ${formatVi(st.minYears)} năm` +
              `${st.excludesProbation ? ' (không kể thời gian tập sự)' : ''}, hiện có ${formatVi(c.yearsInGrade)} năm.`,
          );
        }
        if (st.minYearsInExactGrade !== null) {
          const exact = c.yearsInExactGrade ?? null;
          if (exact === null) {
            fail('data_missing', `Chưa khai báo thời gian giữ ngạch ${gradeName(current)}.`);
          } else if (exact + EPS < st.minYearsInExactGrade) {
            fail(
              'years_in_exact_grade',
              `Chưa đủ thời gian giữ ngạch ${gradeName(current)}: yêu cầu tối thiểu ${formatVi(st.minYearsInExactGrade)} năm, hiện có ${formatVi(exact)} năm.`,
            );
          }
        }
      }
    }
  }

  if (rule.rating === null) {
    unset('Mức xếp loại chất lượng yêu cầu chưa được cấu hình.');
  } else {
    const { min, years } = rule.rating;
    const recent = c.ratings.slice(-years);
    const minIdx = RATINGS.indexOf(min);
    const period = years === 1 ? 'năm liền trước' : `${years} năm liên tục liền trước`;
    if (recent.length < years) {
      fail('rating', `Thiếu kết quả xếp loại chất lượng ${period}.`);
    } else {
      const bad = recent.find((r) => RATINGS.indexOf(r) < minIdx);
      if (bad !== undefined) {
        fail(
          'rating',
          `Chưa đạt yêu cầu xếp loại: ${period} phải được xếp loại từ "${RATING_LABELS[min].vi}" trở lên (có năm xếp loại "${RATING_LABELS[bad].vi}").`,
        );
      }
    }
  }

  if (rule.noDiscipline === true) {
    if (c.underDiscipline === null) fail('data_missing', 'Chưa khai báo tình trạng kỷ luật.');
    else if (c.underDiscipline)
      fail('discipline', 'Đang trong thời gian bị xử lý kỷ luật hoặc đang bị điều tra, truy tố, xét xử.');
  } else if (rule.noDiscipline === null) {
    unset('Điều kiện về kỷ luật chưa được cấu hình.');
  }
  return issues;
}

export function isEligible(profile: RegulationProfile, c: PromotionCandidate): boolean {
  return checkEligibility(profile, c).every((i) => !i.blocking);
}

// ---------------------------------------------------------------------------------------------
// A candidate's result.

export interface ResultContext {
  /** ISO date of the exam, to check kiểm định validity where the profile counts it to the exam date. */
  examDate?: string;
  /** ISO date of the deadline for receiving applications (hạn nhận phiếu đăng ký dự tuyển). */
  applicationDeadline?: string;
}

function partLabel(p: ProfilePart): string {
  return `"${p.name.vi}"`;
}

function partLabelEn(p: ProfilePart): string {
  return `"${p.name.en}"`;
}

function failMessage(part: ProfilePart, score: number, correct: number | null, total: number | null): LocalizedText {
  const rule = part.passRule;
  const pct = part.scoreScale > 0 ? (score * 100) / part.scoreScale : 0;
  const byCount = correct !== null && total !== null && score === (correct * part.scoreScale) / total;
  const need = {
    vi:
      rule.kind === 'min_percent'
        ? `yêu cầu từ ${formatVi(rule.percent)}% trở lên`
        : rule.kind === 'min_score'
          ? `yêu cầu từ ${formatVi(rule.score)} điểm trở lên`
          : '',
    en:
      rule.kind === 'min_percent'
        ? `${formatEn(rule.percent)}% or more required`
        : rule.kind === 'min_score'
          ? `${formatEn(rule.score)} points or more required`
          : '',
  };
  const got =
    byCount && correct !== null && total !== null
      ? {
          vi: `${correct}/${total} câu đúng (${formatVi((correct * 100) / total)}%)`,
          en: `${correct}/${total} correct (${formatEn((correct * 100) / total)}%)`,
        }
      : {
          vi: `${formatVi(score)}/${formatVi(part.scoreScale)} điểm (${formatVi(pct)}%)`,
          en: `${formatEn(score)}/${formatEn(part.scoreScale)} points (${formatEn(pct)}%)`,
        };
  return {
    vi: `Không đạt phần ${partLabel(part)}: ${got.vi}, ${need.vi}.`,
    en: `Did not pass part ${partLabelEn(part)}: ${got.en}, ${need.en}.`,
  };
}

/** Sanction rules of a part without sanctions (never modified). */
const NO_RULES: readonly SanctionRule[] = [];

/** Parts in the order they are sat: by round, then as listed. */
function partOrder(part: ProfilePart, lookup: ProfileLookup): number {
  return part.round * 1e6 + (lookup.partIndex.get(part.id) ?? 0);
}

/** One part's outcome; every outcome is built with this literal so they share one shape. */
function partOutcome(
  part: ProfilePart,
  sanctions: SanctionCode[],
  exemptedBy: ExemptionCode | null,
  status: PartStatus,
  passed: boolean,
  rawScore: number | null = null,
  score: number | null = null,
  correct: number | null = null,
  weighted: number | null = null,
): PartOutcome {
  return {
    partId: part.id,
    name: part.name,
    round: part.round,
    role: part.role,
    status,
    rawScore,
    score,
    scoreScale: part.scoreScale,
    correct,
    weighted,
    passed,
    sanctions,
    exemptedBy,
  };
}

/** The score given for a part: the last entry with its id, as a Map built from the list would keep. */
function scoreInputOf(partScores: readonly PartScoreInput[], partId: string): PartScoreInput | undefined {
  for (let i = partScores.length - 1; i >= 0; i--) if (partScores[i]!.partId === partId) return partScores[i];
  return undefined;
}

/** A part-sourced tie-break value: the sum over the source parts that were marked; null if none. */
function sourcedSum(outcomes: readonly PartOutcome[], ids: readonly string[] | undefined, useCorrect: boolean): number | null {
  if (!ids) return null;
  let sum = 0;
  let any = false;
  for (const o of outcomes) {
    if (!ids.includes(o.partId) || o.score === null) continue;
    if (o.status !== 'passed' && o.status !== 'failed' && o.status !== 'cancelled') continue;
    sum += useCorrect && o.correct !== null && o.sanctions.length === 0 ? o.correct : o.score;
    any = true;
  }
  return any ? roundScore(sum) : null;
}

/**
 * Score one candidate under the profile: per-part pass/fail (exemptions, drops, sanctions applied),
 * whether the conditions are met, the base score and round-2 score with coefficients, the priority
 * points (only the highest, added where the profile says), the ranking total, and the reasons
 * (Vietnamese) when the candidate does not pass.
 *
 * Sanctions: a result-cancelling sanction fails the candidate; a paper-cancelling one scores that part
 * 0; one that bars later parts fails every later part; a deduction removes that percent of the part's
 * score (the largest deduction on a part applies). A deduction the profile leaves null is not applied
 * and is reported as a warning.
 */
export function computeCandidateResult(
  profile: RegulationProfile,
  candidate: ProfileCandidate,
  partScores: readonly PartScoreInput[],
  ctx: ResultContext = {},
): CandidateResult {
  const reasons: ResultReason[] = [];
  const warnings: ResultReason[] = [];
  const grade = candidate.grade ?? null;
  const lookup = lookupOf(profile);
  const parts = profile.parts;

  // Effective exemptions: a kiểm định exemption needs a passed result, still valid on the profile's
  // reference date (the application deadline under NĐ 116/2024, see kiemDinhReferenceDate) and at or
  // above the recruiting body's minimum score when it set one.
  let exemptions: readonly ExemptionCode[] = candidate.exemptions ?? [];
  const kd = candidate.kiemDinh ?? null;
  let kdUsable = kd?.passed === true;
  let kdWhy: LocalizedText | null = null;
  const ref = kiemDinhReferenceDate(profile, ctx);
  if (kd !== null && ref !== null && profile.kiemDinhValidityMonths !== null) {
    if (!isIsoDate(kd.resultDate) || !isIsoDate(ref.date)) {
      kdUsable = false;
      warnings.push({
        code: 'invalid_data',
        message: `Ngày có kết quả kiểm định hoặc ${ref.label} không hợp lệ.`,
        messageEn: `The date of the kiểm định result or ${ref.labelEn} is not valid.`,
      });
    } else if (!kiemDinhValid(kd.resultDate, ref.date, profile)) {
      kdUsable = false;
      kdWhy = {
        vi: `Kết quả kiểm định ngày ${formatDateVi(kd.resultDate)} đã hết hiệu lực (${profile.kiemDinhValidityMonths} tháng, tính đến ${ref.label} ${formatDateVi(ref.date)}) nên không được miễn.`,
        en: `The kiểm định result of ${formatDateVi(kd.resultDate)} had expired (${profile.kiemDinhValidityMonths} months, counted to ${ref.labelEn} ${formatDateVi(ref.date)}), so no exemption.`,
      };
    }
  }
  if (ref === null && kd !== null && profile.kiemDinhValidAt === 'application_deadline' && exemptions.includes('kiem_dinh')) {
    warnings.push({
      code: 'config_incomplete',
      message: 'Chưa có hạn nhận phiếu đăng ký dự tuyển nên chưa kiểm tra được thời hạn của kết quả kiểm định.',
      messageEn: 'No application deadline is set, so the validity of the kiểm định result could not be checked.',
    });
  }
  const minPct = profile.kiemDinhMinPercent ?? null;
  if (kd !== null && kdUsable && minPct !== null) {
    const pct = kd.total > 0 ? (kd.correct * 100) / kd.total : 0;
    if (pct + EPS < minPct) {
      kdUsable = false;
      kdWhy = {
        vi: `Kết quả kiểm định ${formatVi(pct)}% thấp hơn mức cơ quan tuyển dụng yêu cầu (${formatVi(minPct)}%) nên không được miễn.`,
        en: `The kiểm định result of ${formatEn(pct)}% is below the recruiting body's minimum (${formatEn(minPct)}%), so no exemption.`,
      };
    }
  }
  // Claimed without any kiểm định record, the exemption has no evidence and is dropped too.
  if (exemptions.includes('kiem_dinh') && !kdUsable) {
    exemptions = exemptions.filter((e) => e !== 'kiem_dinh');
    const why: LocalizedText =
      kd === null
        ? { vi: 'Không có kết quả kiểm định nên không được miễn.', en: 'No kiểm định result, so no exemption.' }
        : !kd.passed
          ? { vi: 'Kết quả kiểm định không đạt nên không được miễn.', en: 'The kiểm định result is a fail, so no exemption.' }
          : (kdWhy ?? {
              vi: 'Kết quả kiểm định không đủ điều kiện miễn.',
              en: 'The kiểm định result does not qualify for the exemption.',
            });
    warnings.push({ code: 'kiem_dinh_invalid', message: why.vi, messageEn: why.en });
  }

  // What happens to each part (planParts without the entry objects), and configuration problems that
  // make the total meaningless.
  const planCtx: PartContext = { grade, foreignLanguageRequired: candidate.foreignLanguageRequired, choices: candidate.choices };
  const plan: PartPlanStatus[] = new Array(parts.length);
  const config: ResultReason[] = [];
  let seenChoice: Set<string> | null = null;
  let gradeUnset = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const def = lookup.choiceOfPart[i];
    const status = partPlanStatus(part, def, planCtx, exemptions);
    plan[i] = status;
    if (status === 'grade_unset') gradeUnset = true;
    if (status === 'choice_unset' && part.choice) {
      const choiceId = part.choice.choiceId;
      seenChoice ??= new Set();
      if (seenChoice.has(choiceId)) continue;
      seenChoice.add(choiceId);
      config.push({
        code: 'config_incomplete',
        message: `Cấu hình kỳ thi chưa đầy đủ: chưa chọn "${def?.label.vi ?? choiceId}".`,
        messageEn: `The exam's configuration is incomplete: "${def?.label.en ?? choiceId}" is not chosen.`,
      });
    }
  }
  // A review (xét thăng hạng) has no part by design; any other profile needs at least one.
  if (parts.length === 0 && profile.total.basis !== 'review') {
    config.push({
      code: 'config_incomplete',
      message: 'Cấu hình kỳ thi chưa đầy đủ: chưa khai báo phần thi nào.',
      messageEn: "The exam's configuration is incomplete: no part is declared.",
    });
  }
  if (gradeUnset) {
    config.push({
      code: 'config_incomplete',
      message: 'Chưa xác định ngạch của vị trí dự tuyển hoặc ngạch dự thi.',
      messageEn: 'The grade of the position or of the exam is not set.',
    });
  }

  // Sanctions by part (null: the candidate has none).
  let byPart: Map<string, SanctionRule[]> | null = null;
  let cancelledBy: SanctionRule | null = null;
  let barFrom: { order: number; rule: SanctionRule } | null = null;
  for (const rec of candidate.sanctions ?? []) {
    const rule = lookup.sanctionByCode.get(rec.code);
    const idx = lookup.partIndex.get(rec.partId);
    if (!rule || idx === undefined) {
      warnings.push({
        code: 'unknown_sanction',
        partId: rec.partId,
        message: `Hình thức xử lý "${rec.code}" hoặc phần thi "${rec.partId}" không có trong quy định áp dụng.`,
        messageEn: `The sanction "${rec.code}" or the part "${rec.partId}" is not in the applicable regulation.`,
      });
      continue;
    }
    byPart ??= new Map();
    const list = byPart.get(rec.partId);
    if (list) list.push(rule);
    else byPart.set(rec.partId, [rule]);
    if (rule.cancelsResult === true && cancelledBy === null) cancelledBy = rule;
    if (rule.cancelsResult === null) {
      warnings.push({
        code: 'deduction_unset',
        partId: rec.partId,
        message: `Hậu quả của hình thức "${rule.label.vi}" (có hủy kết quả hay không) chưa được cấu hình.`,
        messageEn: `What the sanction "${rule.label.en}" entails (whether it cancels the result) is not configured.`,
      });
    }
    const part = parts[idx];
    if (rule.barsLaterParts === true && part) {
      const o = partOrder(part, lookup);
      if (barFrom === null || o < barFrom.order) barFrom = { order: o, rule };
    }
    if (rule.deductionPercent === null && rule.paperCancelled !== true && rule.cancelsResult !== true) {
      warnings.push({
        code: 'deduction_unset',
        partId: rec.partId,
        message: `Mức trừ điểm cho hình thức "${rule.label.vi}" chưa được quy định/cấu hình nên chưa trừ điểm phần ${part ? partLabel(part) : rec.partId}.`,
        messageEn: `The deduction for the sanction "${rule.label.en}" is not set by the regulation or the configuration, so part ${part ? partLabelEn(part) : rec.partId} is not reduced.`,
      });
    }
  }

  const outcomes: PartOutcome[] = new Array(parts.length);
  let incomplete = false;
  let round2Planned = false;

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const planned = plan[i]!;
    const rules = byPart?.get(part.id) ?? NO_RULES;
    const sanctions = rules.map((s) => s.code);
    if (planned !== 'sit') {
      const status: PartStatus =
        planned === 'exempt'
          ? 'exempt'
          : planned === 'dropped'
            ? 'dropped'
            : planned === 'not_applicable'
              ? 'not_applicable'
              : 'unconfigured';
      const exemptedBy = planned === 'exempt' ? exemptionOf(part, exemptions) : null;
      outcomes[i] = partOutcome(part, sanctions, exemptedBy, status, status !== 'unconfigured');
      continue;
    }
    if (part.role === 'counted' && part.round === 2) round2Planned = true;
    if (barFrom !== null && partOrder(part, lookup) > barFrom.order) {
      outcomes[i] = partOutcome(part, sanctions, null, 'barred', false);
      reasons.push({
        code: 'barred',
        partId: part.id,
        message: `Không được thi phần ${partLabel(part)} do bị "${barFrom.rule.label.vi}" ở phần thi trước.`,
        messageEn: `Barred from part ${partLabelEn(part)} by "${barFrom.rule.label.en}" in an earlier part.`,
      });
      continue;
    }
    const input = scoreInputOf(partScores, part.id);
    if (input?.absent) {
      outcomes[i] = partOutcome(part, sanctions, null, 'absent', false);
      reasons.push({
        code: 'part_absent',
        partId: part.id,
        message: `Không dự thi phần ${partLabel(part)}.`,
        messageEn: `Absent from part ${partLabelEn(part)}.`,
      });
      continue;
    }
    let result: PartResultInput | null = null;
    if (input?.score !== undefined) result = { score: input.score };
    else if (input?.correct !== undefined && input.total !== undefined) result = { correct: input.correct, total: input.total };
    if (result === null) {
      incomplete = true;
      outcomes[i] = partOutcome(part, sanctions, null, 'missing', false);
      reasons.push({
        code: 'score_missing',
        partId: part.id,
        message: `Chưa có điểm phần ${partLabel(part)}.`,
        messageEn: `No score yet for part ${partLabelEn(part)}.`,
      });
      continue;
    }
    const raw = partScore(part, result);
    const correct = 'correct' in result ? result.correct : null;
    const total = 'correct' in result ? result.total : null;
    // "Số câu trả lời đúng" is a count (NĐ 138/2020 Điều 8 k1, see NO_PARTIAL_CREDIT in common.ts): a
    // fractional count is partial credit, which only the custom profile may allow.
    if (correct !== null && !profile.partialCredit && Number.isFinite(correct) && !Number.isInteger(correct)) {
      incomplete = true;
      outcomes[i] = partOutcome(part, sanctions, null, 'missing', false, null, null, correct);
      reasons.push({
        code: 'invalid_score',
        partId: part.id,
        message: `Số câu trả lời đúng phần ${partLabel(part)} phải là số nguyên (${formatVi(correct)}): quy định chỉ tính câu trả lời đúng hoàn toàn, không tính điểm từng phần.`,
        messageEn: `The number of correct answers in part ${partLabelEn(part)} must be a whole number (${formatEn(correct)}): the regulation counts only fully correct answers, no partial credit.`,
      });
      continue;
    }
    if (
      !Number.isFinite(raw) ||
      raw < -EPS ||
      raw > part.scoreScale + EPS ||
      (correct !== null && total !== null && (correct < 0 || correct > total || total <= 0))
    ) {
      incomplete = true;
      outcomes[i] = partOutcome(part, sanctions, null, 'missing', false, null, null, correct);
      reasons.push({
        code: 'invalid_score',
        partId: part.id,
        message: `Điểm phần ${partLabel(part)} không hợp lệ (thang điểm ${formatVi(part.scoreScale)}).`,
        messageEn: `The score of part ${partLabelEn(part)} is not valid (scale ${formatEn(part.scoreScale)}).`,
      });
      continue;
    }

    const paperCancel = rules.find((r) => r.paperCancelled === true);
    let score = raw;
    let status: PartStatus;
    let passed: boolean;
    if (paperCancel) {
      score = 0;
      status = 'cancelled';
      passed = false;
      reasons.push({
        code: 'paper_cancelled',
        partId: part.id,
        message: `Bài thi phần ${partLabel(part)} bị hủy do bị "${paperCancel.label.vi}".`,
        messageEn: `The paper of part ${partLabelEn(part)} is cancelled by "${paperCancel.label.en}".`,
      });
    } else {
      const deduction = rules.reduce((m, r) => Math.max(m, r.deductionPercent ?? 0), 0);
      if (deduction > 0) score = roundScore((raw * (100 - deduction)) / 100);
      passed = deduction > 0 ? meetsPassRule(part.passRule, score, part.scoreScale) : partPassed(part, result);
      status = passed ? 'passed' : 'failed';
      if (!passed) {
        const m = failMessage(part, score, correct, total);
        reasons.push({ code: 'part_failed', partId: part.id, message: m.vi, messageEn: m.en });
      }
    }
    let weighted: number | null = null;
    if (part.role === 'counted') {
      if (part.coefficient === null) {
        config.push({
          code: 'config_incomplete',
          partId: part.id,
          message: `Cấu hình kỳ thi chưa đầy đủ: chưa đặt hệ số phần ${partLabel(part)}.`,
          messageEn: `The exam's configuration is incomplete: part ${partLabelEn(part)} has no coefficient.`,
        });
      } else {
        weighted = roundScore(score * part.coefficient);
      }
    }
    outcomes[i] = partOutcome(part, sanctions, null, status, passed, roundScore(raw), roundScore(score), correct, weighted);
  }

  if (cancelledBy !== null) {
    reasons.unshift({
      code: 'result_cancelled',
      message: `Kết quả thi bị hủy do bị "${cancelledBy.label.vi}".`,
      messageEn: `The result is cancelled by "${cancelledBy.label.en}".`,
    });
  }

  // Sums, and the flags read from the outcomes, in one pass.
  const configOk = config.length === 0;
  let weightedSum = 0;
  let round2Sum = 0;
  let round2Counted = 0;
  let conditionsMet = true;
  let kiemDinhExempt = false;
  for (const o of outcomes) {
    if (o.role === 'condition' && !o.passed) conditionsMet = false;
    if (o.exemptedBy === 'kiem_dinh') kiemDinhExempt = true;
    if (o.role !== 'counted' || o.weighted === null) continue;
    weightedSum += o.weighted;
    if (o.round === 2) {
      round2Sum += o.weighted;
      round2Counted++;
    }
  }
  const baseScore = configOk && !incomplete ? roundScore(weightedSum) : null;
  const round2Score = configOk && !incomplete && round2Counted > 0 ? roundScore(round2Sum) : null;

  // Priority: only the highest category counts.
  const codes = candidate.priorityCodes ?? [];
  if (profile.total.priorityAddedTo !== null) {
    for (const code of codes) {
      if (!lookup.categoryByCode.has(code)) {
        warnings.push({
          code: 'unknown_priority',
          message: `Đối tượng ưu tiên "${code}" không có trong quy định áp dụng.`,
          messageEn: `The priority category "${code}" is not in the applicable regulation.`,
        });
      }
    }
  }
  const best = profile.total.priorityAddedTo === null ? null : highestCategory(lookup, codes);
  const priorityPoints = best?.points ?? 0;

  let total: number | null = null;
  if (profile.total.priorityAddedTo === 'round2') {
    total = round2Score === null ? null : roundScore(round2Score + priorityPoints);
    if (!round2Planned && configOk) {
      config.push({
        code: 'config_incomplete',
        message: 'Không có phần thi vòng 2 được tính điểm cho thí sinh này.',
        messageEn: 'No counted round-2 part applies to this candidate.',
      });
    }
  } else {
    total = baseScore === null ? null : roundScore(baseScore + priorityPoints);
  }

  // Minimum sums, checked once every part has passed.
  if (reasons.length === 0 && config.length === 0) {
    for (const m of profile.total.minScores) {
      if (m.grades !== null && (grade === null || !m.grades.includes(grade))) continue;
      const value = m.of === 'base' ? baseScore : round2Score;
      if (value !== null && value + EPS < m.min) {
        reasons.push({
          code: 'min_score',
          message:
            m.of === 'base'
              ? `Tổng điểm ${formatVi(value)} chưa đạt mức tối thiểu ${formatVi(m.min)}.`
              : `Điểm vòng 2 ${formatVi(value)} chưa đạt mức tối thiểu ${formatVi(m.min)}.`,
          messageEn:
            m.of === 'base'
              ? `The total of ${formatEn(value)} is below the minimum of ${formatEn(m.min)}.`
              : `The round-2 score of ${formatEn(value)} is below the minimum of ${formatEn(m.min)}.`,
        });
      }
    }
  }

  reasons.push(...config);

  let birthDate = candidate.birthDate ?? null;
  if (birthDate !== null && !isIsoDate(birthDate)) {
    warnings.push({
      code: 'invalid_data',
      message: `Ngày sinh không hợp lệ: ${birthDate}.`,
      messageEn: `The date of birth is not valid: ${birthDate}.`,
    });
    birthDate = null;
  }
  let achievement = candidate.achievementLevel ?? null;
  if (achievement !== null && !Number.isFinite(achievement)) {
    warnings.push({
      code: 'invalid_data',
      message: `Mức thành tích không hợp lệ: ${String(achievement)}.`,
      messageEn: `The achievement level is not valid: ${String(achievement)}.`,
    });
    achievement = null;
  }
  const sources = profile.tieBreak.partSources;
  const tie: TieBreakValues = {
    round2Score,
    writtenScore: sourcedSum(outcomes, sources.written_score, false),
    kiemDinhExempt,
    kiemDinhScore: kiemDinhExempt && kd !== null && kd.total > 0 ? roundScore((kd.correct * 100) / kd.total) : null,
    ktcCorrect: sourcedSum(outcomes, sources.ktc_correct, true),
    nvcnWritten: sourcedSum(outcomes, sources.nvcn_written, false),
    nvcnMc: sourcedSum(outcomes, sources.nvcn_mc, false),
    achievement,
    female: candidate.gender === 'female',
    ethnicMinority: candidate.ethnicMinority === true,
    birthDate,
    serviceMonths: candidate.serviceMonths ?? null,
    headDecisionOrder: candidate.headDecisionOrder ?? null,
  };

  return {
    candidateId: candidate.id,
    grade,
    parts: outcomes,
    conditionsMet,
    baseScore,
    round2Score,
    priorityPoints,
    priorityCode: best?.code ?? null,
    total: config.length === 0 ? total : null,
    passed: reasons.length === 0 && total !== null,
    cancelled: cancelledBy !== null,
    reasons,
    warnings,
    tie,
  };
}

// ---------------------------------------------------------------------------------------------
// Ranking.

/** The tie-break value of a criterion: higher is better; missing values rank lowest. */
export function criterionKey(c: TieBreakCriterion, t: TieBreakValues): number {
  const v = (x: number | null) => (x === null ? Number.NEGATIVE_INFINITY : x);
  switch (c) {
    case 'round2_score':
      return v(t.round2Score);
    case 'written_score':
      return v(t.writtenScore);
    case 'kiem_dinh_exempt':
      return t.kiemDinhExempt ? 1 : 0;
    case 'kiem_dinh_score':
      return v(t.kiemDinhScore);
    case 'ktc_correct':
      return v(t.ktcCorrect);
    case 'nvcn_written':
      return v(t.nvcnWritten);
    case 'nvcn_mc':
      return v(t.nvcnMc);
    case 'achievement':
      return v(t.achievement);
    case 'female':
      return t.female ? 1 : 0;
    case 'ethnic_minority':
      return t.ethnicMinority ? 1 : 0;
    case 'older':
      // Earlier date of birth ranks higher.
      return t.birthDate === null ? Number.NEGATIVE_INFINITY : -dateKey(parseIsoDate(t.birthDate));
    case 'longer_service':
      return v(t.serviceMonths);
    case 'head_decides':
      // The head's recorded order (1 first); undecided candidates stay tied with each other.
      return t.headDecisionOrder === null ? Number.NEGATIVE_INFINITY : -t.headDecisionOrder;
  }
}

/**
 * Rank the candidates of one position (recruitment) or target rank (promotion) and select within
 * `quota`. Passing candidates are ordered by total, then by the profile's tie-break chain in order;
 * the comparator is built once over precomputed key columns. Candidates still equal on every key form
 * a tied group with one rank; a tied group straddling the quota is not selected but marked as needing
 * the head's decision (never guessed). The head's recorded order (`headDecisionOrder`) resolves it.
 */
export function rankCandidates(profile: RegulationProfile, results: readonly CandidateResult[], quota: number): RankingResult {
  if (!Number.isInteger(quota) || quota < 0) throw new RangeError(`Chỉ tiêu không hợp lệ: ${quota}`);
  const chain = profile.tieBreak.chain;
  const headInChain = chain.includes('head_decides');

  const passing: number[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.passed && r.total !== null) passing.push(i);
  }
  const n = passing.length;
  const k = chain.length + 1;
  // Keys in one row-major column block (row p = candidate p: total, then each criterion), so a
  // comparison touches one cache line per candidate.
  const keys = new Float64Array(n * k);
  for (let p = 0; p < n; p++) {
    const r = results[passing[p]!]!;
    const base = p * k;
    keys[base] = r.total ?? Number.NEGATIVE_INFINITY;
    for (let c = 0; c < chain.length; c++) keys[base + c + 1] = criterionKey(chain[c]!, r.tie);
  }

  /** Index of the first key that differs between a and b, or -1. */
  const firstDiff = (a: number, b: number): number => {
    const ia = a * k;
    const ib = b * k;
    for (let j = 0; j < k; j++) if (keys[ia + j] !== keys[ib + j]) return j;
    return -1;
  };
  // Built once from the chain: descending on every key, then input order, so the listing is stable.
  const compare = (a: number, b: number): number => {
    const ia = a * k;
    const ib = b * k;
    for (let j = 0; j < k; j++) {
      const x = keys[ia + j]!;
      const y = keys[ib + j]!;
      if (x !== y) return x > y ? -1 : 1;
    }
    return a - b;
  };
  const order: number[] = new Array(n);
  for (let p = 0; p < n; p++) order[p] = p;
  order.sort(compare);

  const rows: RankRow[] = [];
  const tiedGroups: TiedGroup[] = [];
  let selectedCount = 0;
  let pos = 0;
  while (pos < n) {
    let end = pos + 1;
    while (end < n && firstDiff(order[pos]!, order[end]!) === -1) end++;
    const size = end - pos;
    const rank = pos + 1;
    const d = pos === 0 ? -1 : firstDiff(order[pos - 1]!, order[pos]!);
    const decidedBy: RankRow['decidedBy'] = pos === 0 ? null : d === 0 ? 'total' : (chain[d - 1] ?? null);
    const within = end <= quota;
    const straddles = pos < quota && end > quota;
    const seats = Math.max(0, Math.min(size, quota - pos));
    let groupIndex: number | null = null;
    if (size > 1) {
      groupIndex = tiedGroups.length;
      tiedGroups.push({
        rank,
        candidateIds: [],
        seats,
        needsHeadDecision: straddles,
      });
    }
    for (let q = pos; q < end; q++) {
      const r = results[passing[order[q]!]!]!;
      if (groupIndex !== null) tiedGroups[groupIndex]!.candidateIds.push(r.candidateId);
      let reason: string | null = null;
      let reasonEn: string | null = null;
      let status: RankRow['status'];
      if (within) {
        status = 'selected';
        selectedCount++;
      } else if (straddles) {
        status = 'tie_pending';
        reason =
          `Đồng hạng ${rank} với ${size - 1} người khác sau khi đã áp dụng hết các tiêu chí khi bằng điểm; ` +
          `còn ${seats} chỉ tiêu cho ${size} người — ` +
          (headInChain ? 'chờ người đứng đầu cơ quan quyết định.' : 'cần Hội đồng xác định cách phân định.');
        reasonEn =
          `Tied at rank ${rank} with ${size - 1} other(s) after every tie-break criterion; ` +
          `${seats} seat(s) of the quota left for ${size} people — ` +
          (headInChain ? "awaiting the head of the agency's decision." : 'the council must decide how to separate them.');
      } else {
        status = 'below_quota';
        reason = `Xếp hạng ${rank}, ngoài chỉ tiêu (chỉ tiêu: ${quota}).`;
        reasonEn = `Ranked ${rank}, outside the quota (quota: ${quota}).`;
      }
      rows.push({
        candidateId: r.candidateId,
        rank,
        total: r.total,
        selected: status === 'selected',
        status,
        reason,
        reasonEn,
        decidedBy: q === pos ? decidedBy : null,
        tieGroup: groupIndex,
      });
    }
    pos = end;
  }

  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.passed && r.total !== null) continue;
    rows.push({
      candidateId: r.candidateId,
      rank: null,
      total: r.total,
      selected: false,
      status: r.cancelled ? 'sanction' : 'failed',
      reason: r.reasons.length > 0 ? r.reasons.map((x) => x.message).join(' ') : 'Không đạt.',
      reasonEn: r.reasons.length > 0 ? r.reasons.map((x) => x.messageEn).join(' ') : 'Did not pass.',
      decidedBy: null,
      tieGroup: null,
    });
  }

  return { quota, selectedCount, rows, tiedGroups };
}

// ---------------------------------------------------------------------------------------------
// Profile checks.

export interface ProfileIssue {
  path: string;
  /** `gap`: a value the regulation leaves open that the board must set; `error`: inconsistent data. */
  severity: 'gap' | 'error';
  message: string;
}

/**
 * Check a (possibly overridden) profile: structural errors, and the gaps the board must fill for the
 * parts actually in play (parts of an unselected choice option are skipped).
 */
export function validateProfile(profile: RegulationProfile): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const gap = (path: string, message: string) => out.push({ path, severity: 'gap', message });
  const err = (path: string, message: string) => out.push({ path, severity: 'error', message });

  const ids = new Set<string>();
  for (const p of profile.parts) {
    if (ids.has(p.id)) err(`parts[${p.id}]`, `Trùng mã phần thi "${p.id}".`);
    ids.add(p.id);
  }
  for (const c of profile.choices) {
    if (c.selected === null) {
      if (!c.perCandidate) gap(`choices[${c.id}].selected`, `Chưa chọn "${c.label.vi}".`);
    } else if (!c.options.some((o) => o.id === c.selected)) {
      err(`choices[${c.id}].selected`, `Lựa chọn "${c.selected}" không có trong "${c.label.vi}".`);
    }
  }
  for (const p of profile.parts) {
    const path = `parts[${p.id}]`;
    if (p.choice) {
      const def = profile.choices.find((c) => c.id === p.choice?.choiceId);
      if (!def) {
        err(`${path}.choice`, `Phần thi tham chiếu lựa chọn không tồn tại "${p.choice.choiceId}".`);
        continue;
      }
      for (const o of p.choice.options) {
        if (!def.options.some((x) => x.id === o)) err(`${path}.choice`, `Phương án "${o}" không có trong "${def.label.vi}".`);
      }
      if (def.selected !== null && !p.choice.options.includes(def.selected)) continue; // not in play
    }
    if (!(p.scoreScale > 0)) err(`${path}.scoreScale`, 'Thang điểm phải lớn hơn 0.');
    if (p.passRule.kind === 'min_percent' && !(p.passRule.percent > 0 && p.passRule.percent <= 100)) {
      err(`${path}.passRule`, 'Tỷ lệ đạt phải trong khoảng (0, 100].');
    }
    if (p.mode === null) gap(`${path}.mode`, `Chưa xác định hình thức thi phần "${p.name.vi}".`);
    if (p.durationMin === null) gap(`${path}.durationMin`, `Chưa xác định thời gian thi phần "${p.name.vi}".`);
    if ((p.mode === 'computer_mc' || p.mode === 'paper_mc') && p.questionCount === null) {
      gap(`${path}.questionCount`, `Chưa xác định số câu hỏi phần "${p.name.vi}".`);
    }
    if (p.role === 'counted' && p.coefficient === null) gap(`${path}.coefficient`, `Chưa đặt hệ số phần "${p.name.vi}".`);
    const inRange = (v: number | null, r: { min: number; max: number } | undefined) =>
      v === null || !r || (v >= r.min && v <= r.max);
    if (!inRange(p.questionCount, p.questionCountRange)) {
      err(`${path}.questionCount`, `Số câu phải trong khoảng ${p.questionCountRange?.min}–${p.questionCountRange?.max}.`);
    }
    if (!inRange(p.durationMin, p.durationRange)) {
      err(`${path}.durationMin`, `Thời gian phải trong khoảng ${p.durationRange?.min}–${p.durationRange?.max} phút.`);
    }
  }
  const chainSeen = new Set<string>();
  for (const c of profile.tieBreak.chain) {
    if (chainSeen.has(c)) err('tieBreak.chain', `Tiêu chí "${c}" bị lặp.`);
    chainSeen.add(c);
    if (
      (c === 'written_score' || c === 'ktc_correct' || c === 'nvcn_written' || c === 'nvcn_mc') &&
      !profile.tieBreak.partSources[c]
    ) {
      err('tieBreak.partSources', `Tiêu chí "${c}" chưa gắn với phần thi nào.`);
    }
  }
  for (const [criterion, partIds] of Object.entries(profile.tieBreak.partSources)) {
    for (const id of partIds ?? []) {
      if (!ids.has(id)) err(`tieBreak.partSources.${criterion}`, `Phần thi "${id}" không tồn tại.`);
    }
  }
  const codes = new Set<string>();
  for (const c of profile.priority.categories) {
    if (codes.has(c.code)) err(`priority.categories[${c.code}]`, `Trùng mã đối tượng ưu tiên "${c.code}".`);
    codes.add(c.code);
    if (!(c.points >= 0)) err(`priority.categories[${c.code}].points`, 'Điểm ưu tiên không được âm.');
  }
  for (const s of profile.sanctions) {
    const path = `sanctions[${s.code}]`;
    if (s.deductionPercent === null && s.paperCancelled !== true && s.cancelsResult !== true) {
      gap(`${path}.deductionPercent`, `Chưa có mức trừ điểm cho hình thức "${s.label.vi}".`);
    } else if (s.deductionPercent !== null && !(s.deductionPercent >= 0 && s.deductionPercent <= 100)) {
      err(`${path}.deductionPercent`, 'Mức trừ điểm phải trong khoảng 0–100%.');
    }
  }
  const max = profile.total.maxBeforePriority;
  if (max !== null && profile.choices.length === 0 && profile.parts.every((p) => p.appliesToGrades === null)) {
    const actual = maxBaseScore(profile);
    if (actual !== null && Math.abs(actual - max) > EPS) {
      err('total.maxBeforePriority', `Tổng điểm tối đa theo các phần thi là ${formatVi(actual)}, khác ${formatVi(max)}.`);
    }
  }
  if (profile.partialCredit && profile.id !== 'custom') {
    err(
      'partialCredit',
      'Quy định chỉ tính số câu trả lời đúng (NĐ 138/2020 Điều 8 khoản 1): không được tính điểm từng phần cho câu nhiều đáp án.',
    );
  }
  if (profile.kiemDinhMinPercent != null && !(profile.kiemDinhMinPercent >= 0 && profile.kiemDinhMinPercent <= 100)) {
    err('kiemDinhMinPercent', 'Mức điểm kiểm định tối thiểu phải trong khoảng 0–100%.');
  }
  for (const issue of round2ScaleIssues(profile)) err(issue.path, issue.message);
  if (profile.total.basis === 'review') {
    // a review sits no paper: no bank, clock or late arrival to settle
    if (profile.parts.length > 0) err('parts', 'Xét thăng hạng (không thi) không có phần thi.');
    return out;
  }
  if (profile.bankMultiple === null) gap('bankMultiple', 'Chưa xác định bội số ngân hàng câu hỏi.');
  if (profile.timingMode === null) gap('timingMode', 'Chưa xác định cách tính giờ (khung giờ cố định hay theo từng thí sinh).');
  if (profile.lateAdmission === null) gap('lateAdmission', 'Chưa xác định thời gian đến muộn được dự thi.');
  return out;
}

/** The round-2 score is one score out of 100 wherever priority points are added to it. */
export const ROUND2_MAX = 100;

/**
 * Round 2 is one score out of 100 with a pass mark of 50 (NĐ 138/2020 Điều 8 k2 "thang điểm 100",
 * Điều 9 k1 "có kết quả điểm thi vòng 2 đạt từ 50 điểm trở lên"; kept by NĐ 116/2024 and NĐ 170/2025
 * Điều 6 [S14][S18][S53]). Σ coefficient × scale over the counted round-2 parts a candidate sits must
 * be 100, or priority points (7.5 / 5 / 2.5 on that scale) and the 50-point minimum lose their
 * meaning: written ×1 + interview ×1 makes a 200-point round 2. How the papers of "thi viết và phỏng
 * vấn" combine is NOT FOUND, so the board sets the coefficients, as long as they yield 100. Checked for
 * every rank the parts are restricted to, once the board's choices and coefficients are set.
 */
export function round2ScaleIssues(profile: RegulationProfile): { path: string; message: string }[] {
  if (profile.total.priorityAddedTo !== 'round2') return [];
  const round2 = profile.parts.filter((p) => p.round === 2 && p.role === 'counted');
  if (round2.length === 0) return [];
  const grades = new Set<GradeCode | null>();
  for (const p of round2) for (const g of p.appliesToGrades ?? [null]) grades.add(g);
  const out: { path: string; message: string }[] = [];
  for (const g of grades) {
    let sum = 0;
    let complete = true;
    let any = false;
    for (const e of planParts(profile, g === null ? {} : { grade: g })) {
      if (e.part.round !== 2 || e.part.role !== 'counted') continue;
      if (e.status === 'choice_unset' || e.status === 'grade_unset') complete = false;
      if (e.status !== 'sit') continue;
      if (e.part.coefficient === null) complete = false;
      else sum += e.part.coefficient * e.part.scoreScale;
      any = true;
    }
    if (!complete || !any) continue;
    if (Math.abs(roundScore(sum) - ROUND2_MAX) > EPS) {
      out.push({
        path: 'parts.coefficient',
        message:
          `Điểm vòng 2 phải tính theo thang điểm ${ROUND2_MAX}${g === null ? '' : ` (ngạch ${g})`}: tổng hệ số × thang điểm các bài thi vòng 2 ` +
          `đang là ${formatVi(roundScore(sum))}. Hội đồng đặt hệ số sao cho tổng bằng ${ROUND2_MAX} (ví dụ thi viết 0,5 và phỏng vấn 0,5).`,
      });
    }
  }
  return out;
}

/** validateProfile paths whose errors mean the effective profile would judge candidates against the law. */
const LEGAL_PATHS = new Set(['partialCredit', 'parts.coefficient', 'kiemDinhMinPercent']);

/**
 * The errors an exam's overrides may not introduce: partial credit under an official profile, a round 2
 * that is not out of 100, an impossible kiểm định minimum. The server refuses such overrides.
 */
export function legalIssues(profile: RegulationProfile): ProfileIssue[] {
  return validateProfile(profile).filter((i) => i.severity === 'error' && LEGAL_PATHS.has(i.path));
}
