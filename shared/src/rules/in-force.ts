/**
 * Which regulation governs an exam held on a given date. Each profile says the dates it governs
 * (`effective`, inclusive); an exam under a profile not in force on its date needs the board's
 * confirmation with a reason (the server refuses otherwise: PROFILE_NOT_IN_FORCE).
 */
import { formatDateVi, isIsoDate } from './logic.js';
import type { RegulationProfile } from './types.js';

export interface InForce {
  /** null: the exam has no date yet, or the profile states no dates (custom). */
  inForce: boolean | null;
  /** Vietnamese: the dates, and why the profile is not in force. */
  message: string;
}

/** "từ 17/09/2024 đến 30/09/2025", "đến 14/01/2019", "không giới hạn". */
export function effectiveText(p: Pick<RegulationProfile, 'effective'>): string {
  const { from, to } = p.effective;
  if (from === null && to === null) return 'không ghi thời gian áp dụng';
  if (from === null) return `áp dụng đến ${formatDateVi(to ?? '')}`;
  if (to === null) return `áp dụng từ ${formatDateVi(from)}`;
  return `áp dụng từ ${formatDateVi(from)} đến ${formatDateVi(to)}`;
}

/** Is the profile in force on `date` (ISO)? Both ends inclusive; an open end is unbounded. */
export function profileInForce(p: Pick<RegulationProfile, 'effective' | 'name'>, date: string | null | undefined): InForce {
  const { from, to } = p.effective;
  if (from === null && to === null) return { inForce: null, message: 'Quy chế không ghi thời gian áp dụng.' };
  if (!date || !isIsoDate(date)) return { inForce: null, message: `Quy chế ${effectiveText(p)}; kỳ thi chưa có ngày thi.` };
  const ok = (from === null || date >= from) && (to === null || date <= to);
  return {
    inForce: ok,
    message: ok
      ? `Quy chế ${effectiveText(p)}.`
      : `Quy chế "${p.name.vi}" ${effectiveText(p)}, không áp dụng cho kỳ thi ngày ${formatDateVi(date)}.`,
  };
}

/** Profiles in force on `date` first (in the given order), then the others. */
export function sortByInForce<P extends Pick<RegulationProfile, 'effective' | 'name'>>(
  profiles: readonly P[],
  date: string | null,
): P[] {
  const rank = (p: P) => {
    const f = profileInForce(p, date).inForce;
    return f === true ? 0 : f === null ? 1 : 2;
  };
  return profiles
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map((x) => x.p);
}
