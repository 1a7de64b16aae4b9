import type { MarkDto, MarkingRuleBody } from '@exam/shared';

export interface MarkRow {
  partId: number;
  candidateId: number;
  marker: number;
  score: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Combines a part's marks under its marking rule. */
export function combineMarks(
  rule: MarkingRuleBody,
  m1: number | null | undefined,
  m2: number | null | undefined,
  resolved: number | null | undefined,
  absentMarks: boolean,
): MarkDto {
  const base = { marker1: m1 ?? null, marker2: m2 ?? null, resolved: resolved ?? null };
  if (resolved !== undefined && resolved !== null) return { ...base, absent: false, final: resolved, state: 'done' };
  if (absentMarks) return { ...base, absent: true, final: null, state: 'absent' };
  if (m1 === undefined || m1 === null) {
    return { ...base, absent: false, final: null, state: m2 === undefined || m2 === null ? 'missing' : 'partial' };
  }
  if (rule.markers === 1) return { ...base, absent: false, final: m1, state: 'done' };
  if (m2 === undefined || m2 === null) return { ...base, absent: false, final: null, state: 'partial' };
  if (Math.abs(m1 - m2) > rule.maxDifference + 1e-9) return { ...base, absent: false, final: null, state: 'needs_resolution' };
  return { ...base, absent: false, final: round2((m1 + m2) / 2), state: 'done' };
}

/** The marks of an exam by "partId:candidateId". */
export function groupMarks(rows: readonly MarkRow[]): Map<string, MarkRow[]> {
  const map = new Map<string, MarkRow[]>();
  for (const r of rows) {
    const k = `${r.partId}:${r.candidateId}`;
    const list = map.get(k) ?? [];
    list.push(r);
    map.set(k, list);
  }
  return map;
}

/** One candidate's marks on a part (marker 1, marker 2 and the board's resolution, marker 0) combined. */
export function markDto(rule: MarkingRuleBody, rows: readonly MarkRow[] | undefined): MarkDto {
  const by = (m: number) => rows?.find((r) => r.marker === m);
  const m1 = by(1);
  const m2 = by(2);
  const r0 = by(0);
  const absent = !!m1 && m1.score === null && (rule.markers === 1 || (!!m2 && m2.score === null));
  return combineMarks(rule, m1?.score, m2?.score, r0?.score, absent);
}
