/**
 * Eligibility as a record (issue 13): time in grade and service counted in whole months, as the law
 * counts "đủ 09 năm" and the tie-break counts service (12 years 7 months = 151 months), entered as
 * years + months (never decimal years); equivalent grades through the exam's table (grades.ts); the
 * profile's rules (checkEligibility) decide, with every reason kept.
 */
import { type GradeEquivalence, resolveGrade } from './grades.js';
import { checkEligibility } from './logic.js';
import { CIVIL_SERVICE_GRADES, type GradeCode, isGradeCode, type Rating, type RegulationProfile } from './types.js';

/** "12 năm 7 tháng" → 151; also "12 năm", "7 tháng", "12n7t", "12y7m" and a whole number of years ("9"). */
export function parseYearsMonths(text: string): number | null {
  const s = text.trim().toLowerCase().normalize('NFC').replace(/\s+/g, ' ');
  if (s === '') return null;
  if (/^\d{1,2}$/.test(s)) return Number(s) * 12;
  const m = /^(?:(\d{1,2})\s*(?:năm|nam|n|y|years?))?\s*,?\s*(?:(\d{1,3})\s*(?:tháng|thang|t|m|months?))?$/.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  const months = Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0);
  if (m[1] !== undefined && m[2] !== undefined && Number(m[2]) > 11) return null;
  return months;
}

/** 151 → "12 năm 7 tháng". */
export function formatYearsMonths(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0) return `${m} tháng`;
  return m === 0 ? `${y} năm` : `${y} năm ${m} tháng`;
}

/** What a candidate's eligibility is decided on. */
export interface EligibilityData {
  /** the grade held now, as written (may be an equivalent grade) */
  currentGrade: string | null;
  /** months in the current grade or an equivalent one, probation excluded */
  monthsInGrade: number | null;
  /** of which, months in exactly the grade held now (not an equivalent one) */
  monthsInExactGrade: number | null;
  /** annual ratings, most recent last */
  ratings: Rating[];
  underDiscipline: boolean | null;
  /** total service, for the tie-break */
  serviceMonths: number | null;
}

export interface EligibilityVerdict {
  status: 'eligible' | 'not_eligible';
  reasons: string[];
  /** rules the profile leaves to the board (shown, not failed) */
  notes: string[];
  /** the administrative grade used, and how */
  grade: { code: string; counted: GradeCode; via: string | null } | null;
}

export function evaluateEligibility(
  profile: RegulationProfile,
  targetGrade: string | null,
  data: EligibilityData,
  equivalences: readonly GradeEquivalence[],
): EligibilityVerdict {
  const reasons: string[] = [];
  let current: GradeCode | null = null;
  let grade: EligibilityVerdict['grade'] = null;
  if (data.currentGrade !== null) {
    const r = resolveGrade(data.currentGrade, equivalences);
    if (!r)
      reasons.push(
        `Mã ngạch ${data.currentGrade} không phải ngạch hành chính và chưa có trong bảng ngạch tương đương của kỳ thi.`,
      );
    else {
      current = r.grade;
      grade = {
        code: r.code,
        counted: r.grade,
        via: r.via
          ? `${r.via.name} (${r.via.code}) tương đương ${CIVIL_SERVICE_GRADES[r.grade].name.vi} — ${r.via.source}`
          : null,
      };
    }
  }
  const target = targetGrade !== null && isGradeCode(targetGrade) ? targetGrade : null;
  const unresolved = data.currentGrade !== null && current === null;
  const found = unresolved
    ? []
    : checkEligibility(profile, {
        currentGrade: current,
        targetGrade: target,
        yearsInGrade: data.monthsInGrade === null ? null : data.monthsInGrade / 12,
        yearsInExactGrade: data.monthsInExactGrade === null ? null : data.monthsInExactGrade / 12,
        ratings: data.ratings,
        underDiscipline: data.underDiscipline,
      });
  const notes: string[] = [];
  for (const i of found) {
    const msg = monthsWording(i.message, data);
    if (i.blocking) reasons.push(msg);
    else notes.push(msg);
  }
  return { status: reasons.length === 0 ? 'eligible' : 'not_eligible', reasons, notes, grade };
}

/** The rules speak in years; the record is in months: "hiện có 0,58 năm" reads "hiện có 7 tháng". */
function monthsWording(message: string, data: EligibilityData): string {
  return message.replace(/hiện có ([\d.,]+) năm/g, (whole, n: string) => {
    const years = Number(n.replace(/\./g, '').replace(',', '.'));
    const candidates = [data.monthsInGrade, data.monthsInExactGrade].filter((x): x is number => x !== null);
    const m = candidates.find((x) => Math.abs(x / 12 - years) < 0.01);
    return m === undefined ? whole : `hiện có ${formatYearsMonths(m)}`;
  });
}
