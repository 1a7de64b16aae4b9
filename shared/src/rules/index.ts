/**
 * Regulation profiles, one file each, and the functions they drive. See ../../../../shared/reference
 * (vn-exam-rules.md) for the facts and their [S#] sources.
 */
import { CUSTOM } from './custom.js';
import { KIEM_DINH_ND06_2023 } from './kiem-dinh-nd06-2023.js';
import { ND24_2010 } from './nd24-2010.js';
import { ND116_2024 } from './nd116-2024.js';
import { ND138_2020 } from './nd138-2020.js';
import { ND170_2025 } from './nd170-2025.js';
import { PROMOTION_ND24_2010 } from './promotion-nd24-2010.js';
import { PROMOTION_ND138_2020 } from './promotion-nd138-2020.js';
import type { RegulationProfile } from './types.js';
import { VC_THI_TUYEN_ND85_2023, VC_XET_THANG_HANG_ND85_2023, VC_XET_TUYEN_ND85_2023 } from './vien-chuc-nd85-2023.js';
import { XET_TUYEN_ND170_2025 } from './xet-tuyen-nd170-2025.js';

export { PRIORITY_LABELS, SUBJECT_HINT_LABELS } from './common.js';
export {
  COUNCIL_ND170_2025,
  type CouncilMember,
  type CouncilOutcome,
  type CouncilResult,
  type CouncilRule,
  type CouncilVote,
  councilDecision,
} from './council.js';
export { effectiveText, type InForce, profileInForce, sortByInForce } from './in-force.js';
export {
  applicableParts,
  bestPriority,
  bestPriorityCategory,
  checkEligibility,
  computeCandidateResult,
  criterionKey,
  isEligible,
  kiemDinhReferenceDate,
  kiemDinhValid,
  lateAdmissionLimit,
  legalIssues,
  maxBaseScore,
  meetsPassRule,
  type PartContext,
  type PartPlanEntry,
  type PartPlanStatus,
  type ProfileIssue,
  partPassed,
  partScore,
  planParts,
  type ResultContext,
  rankCandidates,
  round2ScaleIssues,
  sessionsBarredAfterCancellation,
  validateProfile,
} from './logic.js';
export { applyOverrides, diffFromProfile, type OverrideDiff, ProfileOverrideError, type ProfileOverrides } from './overrides.js';
export * from './types.js';
export {
  CUSTOM,
  KIEM_DINH_ND06_2023,
  ND24_2010,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  PROMOTION_ND24_2010,
  PROMOTION_ND138_2020,
  VC_THI_TUYEN_ND85_2023,
  VC_XET_THANG_HANG_ND85_2023,
  VC_XET_TUYEN_ND85_2023,
  XET_TUYEN_ND170_2025,
};

export const PROFILE_IDS = [
  'nd24-2010',
  'nd138-2020',
  'nd116-2024',
  'nd170-2025',
  'xet-tuyen-nd170-2025',
  'kiem-dinh-nd06-2023',
  'promotion-nd24-2010',
  'promotion-nd138-2020',
  'vc-thi-tuyen-nd85-2023',
  'vc-xet-tuyen-nd85-2023',
  'vc-xet-thang-hang-nd85-2023',
  'custom',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Every built-in profile by id. Frozen: use applyOverrides() to derive an exam's effective profile. */
export const PROFILES: Readonly<Record<ProfileId, RegulationProfile>> = deepFreeze({
  'nd24-2010': ND24_2010,
  'nd138-2020': ND138_2020,
  'nd116-2024': ND116_2024,
  'nd170-2025': ND170_2025,
  'xet-tuyen-nd170-2025': XET_TUYEN_ND170_2025,
  'kiem-dinh-nd06-2023': KIEM_DINH_ND06_2023,
  'promotion-nd24-2010': PROMOTION_ND24_2010,
  'promotion-nd138-2020': PROMOTION_ND138_2020,
  'vc-thi-tuyen-nd85-2023': VC_THI_TUYEN_ND85_2023,
  'vc-xet-tuyen-nd85-2023': VC_XET_TUYEN_ND85_2023,
  'vc-xet-thang-hang-nd85-2023': VC_XET_THANG_HANG_ND85_2023,
  custom: CUSTOM,
});

export function isProfileId(v: unknown): v is ProfileId {
  return typeof v === 'string' && (PROFILE_IDS as readonly string[]).includes(v);
}

/** The built-in profile with this id, or undefined. */
export function getProfile(id: string): RegulationProfile | undefined {
  return isProfileId(id) ? PROFILES[id] : undefined;
}
export {
  type EligibilityData,
  type EligibilityVerdict,
  evaluateEligibility,
  formatYearsMonths,
  parseYearsMonths,
} from './eligibility.js';
export { ETHNICITIES, type Ethnicity, findEthnicity, isEthnicMinority } from './ethnicities.js';
export { GRADE_CODE_PATTERN, type GradeEquivalence, type ResolvedGrade, resolveGrade } from './grades.js';
