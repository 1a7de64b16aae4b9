import type { ItemFlag, MarkDto, PartStatus, RankStatus } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';

const PART_STATUSES: readonly PartStatus[] = [
  'passed',
  'failed',
  'absent',
  'missing',
  'exempt',
  'dropped',
  'not_applicable',
  'barred',
  'cancelled',
  'unconfigured',
];
const RANK_STATUSES: readonly RankStatus[] = ['selected', 'below_quota', 'tie_pending', 'failed', 'sanction'];
const MARK_STATES: readonly MarkDto['state'][] = ['missing', 'partial', 'needs_resolution', 'done', 'absent'];
const FLAGS: readonly ItemFlag[] = ['negative_discrimination', 'facility_low', 'facility_high'];

const isOf =
  <T extends string>(list: readonly T[]) =>
  (v: string): v is T =>
    (list as readonly string[]).includes(v);

/** Labels of the results' enums in the UI language. */
export function useResultLabels() {
  const { t } = useTranslation();
  return {
    partStatus: (s: string) => (isOf(PART_STATUSES)(s) ? t(`results.partStatus.${s}`) : s),
    rankStatus: (s: string) => (isOf(RANK_STATUSES)(s) ? t(`results.rankStatus.${s}`) : s),
    markState: (s: string) => (isOf(MARK_STATES)(s) ? t(`results.markState.${s}`) : s),
    flag: (f: string) => (isOf(FLAGS)(f) ? t(`results.flag.${f}`) : f),
  };
}

/** A score as the board reads it: up to two decimals, Vietnamese separators; "—" when there is none. */
export function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatNumber(Math.round(v * 100) / 100);
}

/** A statistic with three decimals (p, D, r, α); "—" when undefined. */
export function stat(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatNumber(Math.round(v * 1000) / 1000);
}

/** A share 0..1 as a percentage with one decimal. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${formatNumber(Math.round(v * 1000) / 10)}%`;
}

/** Parses a typed score: blank → null, "8,5" or "8.5" → 8.5, anything else → NaN. */
export function parseScore(s: string): number | null {
  const v = s.trim();
  if (v === '') return null;
  if (!/^-?\d+([.,]\d+)?$/.test(v)) return Number.NaN;
  return Number(v.replace(',', '.'));
}
