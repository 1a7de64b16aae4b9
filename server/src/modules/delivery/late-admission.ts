/**
 * Late arrival (đến muộn). TT 22/2025 Nội quy Điều 1 k1 (as TT 001/2025): a candidate arriving after
 * the paper's clock started "được dự thi trong các trường hợp sau: a) Không quá 05 phút đối với bài
 * thi có thời gian thi tối đa 30 phút hoặc không quá 10 phút đối với bài thi có thời gian thi tối đa
 * từ 60 phút trở lên; b) Các trường hợp khác do Chủ tịch Hội đồng xem xét, quyết định" (nld.com.vn and
 * giadinh.suckhoedoisong.vn, 21–26/10/2025, found with the search tool; [S20][S21][S57]). TT 06/2020
 * Nội quy Điều 1: "đến chậm quá 30 phút … thì không được dự thi" (luatvietnam.vn, found with the
 * search tool) [S19].
 *
 * The profile's bands (lateAdmissionLimit) say how late a candidate may still start the first paper of
 * a sitting on their own; later than that the candidate is refused, unless the chair's decision to
 * admit them was recorded (a proctor action `admit_late`: who, when, why, written to the room's
 * minutes and the audit log). Under TT 06/2020 (`not_admitted`) the chair has no such power and the
 * recorded decision does not help.
 */
import { lateAdmissionLimit, type RegulationProfile } from '@exam/shared';
import { AppError } from '../../plugins/errors.js';

export interface LateArrival {
  /** Minutes between the paper's clock starting and now. */
  lateMin: number;
  /** The profile's limit in minutes, or what happens beyond the bands. */
  limit: number | 'chair_decides' | 'not_admitted' | null;
  /** May the candidate start now? */
  admitted: boolean;
  /** The chair's recorded decision is what admits the candidate. */
  byChair: boolean;
}

/** Pure: may a candidate `lateMs` after the clock started start a paper of `durationMin` minutes? */
export function lateArrival(
  profile: RegulationProfile,
  durationMin: number,
  lateMs: number,
  chairAdmitted: boolean,
): LateArrival {
  const lateMin = Math.max(0, lateMs) / 60_000;
  const limit = lateAdmissionLimit(profile, durationMin);
  if (lateMin <= 0 || limit === null) return { lateMin, limit, admitted: true, byChair: false };
  if (typeof limit === 'number' && lateMin <= limit) return { lateMin, limit, admitted: true, byChair: false };
  // Beyond the band: TT 22/2025 lets the chair decide "các trường hợp khác"; TT 06/2020 does not.
  const chairMay =
    limit === 'chair_decides' || (typeof limit === 'number' && profile.lateAdmission?.otherwise === 'chair_decides');
  if (chairMay && chairAdmitted) return { lateMin, limit, admitted: true, byChair: true };
  return { lateMin, limit, admitted: false, byChair: false };
}

/** The refusal the candidate sees (and the invigilator, on the seat map), with what may still happen. */
export function lateRefusal(profile: RegulationProfile, a: LateArrival): AppError {
  const mins = Math.floor(a.lateMin);
  const chairMay = a.limit === 'chair_decides' || profile.lateAdmission?.otherwise === 'chair_decides';
  const rule = typeof a.limit === 'number' ? `quá ${a.limit} phút` : 'quá thời gian quy định';
  return new AppError(
    403,
    'LATE_NOT_ADMITTED',
    `Thí sinh đến muộn ${mins} phút (${rule}) nên không được dự thi` +
      (chairMay ? '. Giám thị báo cáo Chủ tịch Hội đồng xem xét, quyết định.' : '.'),
    `Arrived ${mins} minutes late: not admitted` + (chairMay ? ' unless the chair of the board decides so' : ''),
    { lateMin: mins, limit: a.limit, chairMayAdmit: chairMay },
  );
}
