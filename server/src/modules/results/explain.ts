/**
 * Why each ranking row has its place (issue 13), in plain Vietnamese and English: the total and the
 * condition parts, the priority applied, for equal totals the criterion of the profile's chain that
 * separated the row from its neighbours (with both values) or the head's decision (with its number,
 * date and signer), and why the candidate is not selected. Pure: built from what compute() already
 * has, stored in the row, so the published snapshot, the documents and the lookup show the same text.
 */
import {
  type CandidateResult,
  criterionKey,
  type ExplanationLineDto,
  type HeadDecisionRefDto,
  type RegulationProfile,
  type ResultRowDto,
  type RowExplanationDto,
  TIE_BREAK_LABELS,
  type TieBreakCriterion,
  type TieStepDto,
} from '@exam/shared';

type Text = { vi: string; en: string };

const NUM_VI = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const NUM_EN = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const numVi = (x: number) => NUM_VI.format(x);
const numEn = (x: number) => NUM_EN.format(x);

/** "05/12/2026" from "2026-12-05". */
export function dateVi(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** 151 → "12 năm 7 tháng". */
export function monthsVi(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0) return `${m} tháng`;
  return m === 0 ? `${y} năm` : `${y} năm ${m} tháng`;
}

function monthsEn(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  const ys = `${y} year${y === 1 ? '' : 's'}`;
  const ms = `${m} month${m === 1 ? '' : 's'}`;
  if (y === 0) return ms;
  return m === 0 ? ys : `${ys} ${ms}`;
}

/** The printed value of a criterion for one candidate. */
function criterionValue(c: TieBreakCriterion, r: CandidateResult, ethnicity: string): Text {
  const t = r.tie;
  const score = (x: number | null): Text => (x === null ? { vi: 'không có', en: 'none' } : { vi: numVi(x), en: numEn(x) });
  switch (c) {
    case 'round2_score':
      return score(t.round2Score);
    case 'written_score':
      return score(t.writtenScore);
    case 'kiem_dinh_exempt':
      return t.kiemDinhExempt ? { vi: 'có', en: 'yes' } : { vi: 'không', en: 'no' };
    case 'kiem_dinh_score':
      return score(t.kiemDinhScore);
    case 'ktc_correct':
      return t.ktcCorrect === null
        ? { vi: 'không có', en: 'none' }
        : { vi: `${t.ktcCorrect} câu đúng`, en: `${t.ktcCorrect} correct` };
    case 'nvcn_written':
      return score(t.nvcnWritten);
    case 'nvcn_mc':
      return score(t.nvcnMc);
    case 'achievement':
      return t.achievement === null
        ? { vi: 'chưa ghi mức thành tích', en: 'no achievement level recorded' }
        : { vi: `mức thành tích ${t.achievement}`, en: `achievement level ${t.achievement}` };
    case 'female':
      return t.female ? { vi: 'nữ', en: 'woman' } : { vi: 'nam', en: 'man' };
    case 'ethnic_minority': {
      const who = ethnicity.trim() || '—';
      return t.ethnicMinority
        ? { vi: `dân tộc ${who} (thiểu số)`, en: `${who} (ethnic minority)` }
        : { vi: `dân tộc ${who} (không phải dân tộc thiểu số)`, en: `${who} (not an ethnic minority)` };
    }
    case 'older':
      return t.birthDate === null
        ? { vi: 'không có ngày sinh', en: 'no date of birth' }
        : { vi: `sinh ngày ${dateVi(t.birthDate)}`, en: `born ${t.birthDate}` };
    case 'longer_service':
      return t.serviceMonths === null
        ? { vi: 'chưa khai thời gian công tác', en: 'service not given' }
        : {
            vi: `${monthsVi(t.serviceMonths)} công tác (${t.serviceMonths} tháng)`,
            en: `${monthsEn(t.serviceMonths)} of service (${t.serviceMonths} months)`,
          };
    case 'head_decides':
      return t.headDecisionOrder === null
        ? { vi: 'chưa có quyết định', en: 'no decision' }
        : { vi: `thứ tự ${t.headDecisionOrder} theo quyết định`, en: `position ${t.headDecisionOrder} in the decision` };
  }
}

/** "Quyết định số 15/QĐ-UBND ngày 05/12/2026 (ký: Nguyễn Văn A, Giám đốc Sở)". */
export function decisionRefVi(d: HeadDecisionRefDto): string {
  return `Quyết định số ${d.decisionNumber} ngày ${dateVi(d.decisionDate)} (người ký: ${d.signer})`;
}

function decisionRefEn(d: HeadDecisionRefDto): string {
  return `decision no. ${d.decisionNumber} of ${d.decisionDate}, signed by ${d.signer}`;
}

export interface PositionDecision extends HeadDecisionRefDto {
  candidateIds: number[];
}

export interface ExplainInput {
  profile: RegulationProfile;
  quota: number;
  /** the position's rows, as the ranking lists them (ranked first, in rank order) */
  rows: Omit<ResultRowDto, 'explanation'>[];
  results: ReadonlyMap<number, CandidateResult>;
  ethnicity: ReadonlyMap<number, string>;
  decisions: readonly PositionDecision[];
  /** the profile's label of a priority category */
  priorityLabel: (code: string) => Text;
}

/** The first criterion of the chain on which a and b differ, and which of them it favours. */
function separate(chain: readonly TieBreakCriterion[], a: CandidateResult, b: CandidateResult) {
  for (const c of chain) {
    const ka = criterionKey(c, a.tie);
    const kb = criterionKey(c, b.tie);
    if (ka !== kb) return { criterion: c, aFirst: ka > kb };
  }
  return null;
}

/** Explanations of every row of one position, by candidate id. */
export function explainPosition(input: ExplainInput): Map<number, RowExplanationDto> {
  const { profile, quota, rows, results } = input;
  const chain = profile.tieBreak.chain;
  const out = new Map<number, RowExplanationDto>();
  const ranked = rows.filter((r) => r.rank !== null && r.total !== null);
  const numberOf = new Map(rows.map((r) => [r.candidateId, r.number]));

  // groups of equal totals among the ranked rows (contiguous: the ranking orders by total first)
  const groups = new Map<number, number[]>();
  let i = 0;
  while (i < ranked.length) {
    let j = i + 1;
    while (j < ranked.length && ranked[j]?.total === ranked[i]?.total) j++;
    if (j - i > 1) {
      const ids = ranked.slice(i, j).map((r) => r.candidateId);
      for (const id of ids) groups.set(id, ids);
    }
    i = j;
  }
  const decisionFor = (a: number, b: number) =>
    [...input.decisions].reverse().find((d) => d.candidateIds.includes(a) && d.candidateIds.includes(b)) ?? null;

  const step = (self: number, other: number): TieStepDto => {
    const a = results.get(self);
    const b = results.get(other);
    const sep = a && b ? separate(chain, a, b) : null;
    const base = { otherCandidateId: other, otherNumber: numberOf.get(other) ?? '' };
    if (!a || !b || !sep) return { ...base, direction: 'tied', criterion: null, value: null, otherValue: null, decision: null };
    return {
      ...base,
      direction: sep.aFirst ? 'above' : 'below',
      criterion: sep.criterion,
      value: criterionValue(sep.criterion, a, input.ethnicity.get(self) ?? ''),
      otherValue: criterionValue(sep.criterion, b, input.ethnicity.get(other) ?? ''),
      decision: sep.criterion === 'head_decides' ? decisionFor(self, other) : null,
    };
  };

  for (const row of rows) {
    const res = results.get(row.candidateId);
    const lines: ExplanationLineDto[] = [];
    const line = (kind: ExplanationLineDto['kind'], vi: string, en: string) => lines.push({ kind, vi, en });

    // total
    if (row.total !== null && res) {
      const counted = row.parts.filter((p) => p.role === 'counted' && p.score !== null);
      const detailVi = counted.map((p) => `${p.name}: ${numVi(p.score ?? 0)}`).join('; ');
      const detailEn = counted.map((p) => `${p.name}: ${numEn(p.score ?? 0)}`).join('; ');
      const prio = row.priorityPoints > 0;
      line(
        'total',
        `Tổng điểm xếp hạng ${numVi(row.total)}` +
          (detailVi ? ` (${detailVi}${prio ? `; cộng ${numVi(row.priorityPoints)} điểm ưu tiên` : ''})` : '') +
          '.',
        `Ranking total ${numEn(row.total)}` +
          (detailEn ? ` (${detailEn}${prio ? `; plus ${numEn(row.priorityPoints)} priority points` : ''})` : '') +
          '.',
      );
    } else {
      line('total', 'Không có tổng điểm xếp hạng.', 'No ranking total.');
    }

    // conditions
    const conditions = row.parts.filter((p) => p.role === 'condition');
    if (row.conditionsMet) {
      if (conditions.length > 0) {
        const list = (f: (x: number) => string, exempt: string) =>
          conditions
            .map((p) =>
              p.score !== null
                ? `${p.name} ${f(p.score)}/${f(p.scoreScale)}`
                : `${p.name} (${p.status === 'exempt' ? exempt : p.status})`,
            )
            .join('; ');
        line(
          'conditions',
          `Đạt các phần thi điều kiện: ${list(numVi, 'miễn thi')}.`,
          `Passed the condition parts: ${list(numEn, 'exempt')}.`,
        );
      }
    }
    if (row.status === 'failed' || row.status === 'sanction') {
      line('conditions', `Không đạt: ${row.reasons.join(' ')}`, `Did not pass: ${(row.reasonsEn ?? row.reasons).join(' ')}`);
    }

    // priority
    if (profile.total.priorityAddedTo === null) {
      line(
        'priority',
        `Kỳ thi này không cộng điểm ưu tiên (${profile.total.source}).`,
        `No priority points in this exam (${profile.total.source}).`,
      );
    } else if (row.priorityPoints > 0 && row.priorityCode) {
      const label = input.priorityLabel(row.priorityCode);
      line(
        'priority',
        `Điểm ưu tiên ${numVi(row.priorityPoints)}: ${label.vi} (chỉ tính một mức ưu tiên cao nhất).`,
        `Priority ${numEn(row.priorityPoints)}: ${label.en} (only the highest category counts).`,
      );
    } else {
      line('priority', 'Không thuộc đối tượng ưu tiên.', 'No priority category.');
    }

    // tie
    let tie: RowExplanationDto['tie'] = null;
    const group = groups.get(row.candidateId);
    if (group && row.total !== null) {
      const at = group.indexOf(row.candidateId);
      const others = group.filter((id) => id !== row.candidateId).map((id) => numberOf.get(id) ?? '');
      const steps: TieStepDto[] = [];
      const prev = group[at - 1];
      const next = group[at + 1];
      if (prev !== undefined) steps.push(step(row.candidateId, prev));
      if (next !== undefined) steps.push(step(row.candidateId, next));
      tie = { total: row.total, candidateIds: group, numbers: group.map((id) => numberOf.get(id) ?? ''), steps };
      line(
        'tie',
        `Bằng ${numVi(row.total)} điểm với ${others.length} người khác (SBD ${others.join(', ')}); thứ tự được phân định theo ${chainVi(chain)}.`,
        `Equal total of ${numEn(row.total)} with ${others.length} others (${others.join(', ')}); their order follows ${chainEn(chain)}.`,
      );
      for (const s of steps) line('tie', stepVi(s), stepEn(s));
    }

    // outcome
    if (row.selected) {
      line(
        'outcome',
        `Trúng tuyển: xếp hạng ${row.rank} trong chỉ tiêu ${quota}.`,
        `Selected: rank ${row.rank} within a quota of ${quota}.`,
      );
    } else if (row.status === 'tie_pending') {
      line(
        'outcome',
        `Chưa xác định: còn bằng nhau sau mọi tiêu chí ở ngưỡng chỉ tiêu ${quota}; chờ Thủ trưởng quyết định.`,
        `Not decided: still equal after every criterion at the quota of ${quota}; awaiting the head's decision.`,
      );
    } else if (row.status === 'below_quota') {
      const why = group
        ? tie?.steps.find((s) => s.direction === 'below' && s.criterion)
          ? ' vì xếp sau người bằng điểm theo tiêu chí nêu trên'
          : ''
        : '';
      const whyEn = why ? ', placed after an equal total by the criterion above' : '';
      line(
        'outcome',
        `Không trúng tuyển: xếp hạng ${row.rank}, ngoài chỉ tiêu ${quota}${why}.`,
        `Not selected: rank ${row.rank}, outside the quota of ${quota}${whyEn}.`,
      );
    } else if (row.status === 'sanction') {
      line('outcome', 'Không trúng tuyển: kết quả thi bị hủy.', 'Not selected: the result was cancelled.');
    } else {
      line('outcome', 'Không trúng tuyển: không đạt yêu cầu của kỳ thi.', 'Not selected: did not meet the requirements.');
    }
    out.set(row.candidateId, { lines, tie });
  }
  return out;
}

const HEAD_VI = 'Thủ trưởng quyết định';

function chainVi(chain: readonly TieBreakCriterion[]): string {
  return chain.map((c) => (c === 'head_decides' ? HEAD_VI.toLowerCase() : `"${TIE_BREAK_LABELS[c].vi}"`)).join(' → ');
}

function chainEn(chain: readonly TieBreakCriterion[]): string {
  return chain.map((c) => (c === 'head_decides' ? 'the head decides' : `"${TIE_BREAK_LABELS[c].en}"`)).join(' → ');
}

/** One comparison in words. */
export function stepVi(s: TieStepDto): string {
  if (s.direction === 'tied' || !s.criterion)
    return `Vẫn bằng SBD ${s.otherNumber} sau mọi tiêu chí; chờ ${HEAD_VI.toLowerCase()}.`;
  const pos = s.direction === 'above' ? 'Xếp trên' : 'Xếp sau';
  if (s.criterion === 'head_decides')
    return `${pos} SBD ${s.otherNumber}: ${HEAD_VI}${s.decision ? ` — ${decisionRefVi(s.decision)}` : ''}.`;
  return `${pos} SBD ${s.otherNumber} theo tiêu chí "${TIE_BREAK_LABELS[s.criterion].vi}": thí sinh ${s.value?.vi ?? ''}, SBD ${s.otherNumber} ${s.otherValue?.vi ?? ''}.`;
}

export function stepEn(s: TieStepDto): string {
  if (s.direction === 'tied' || !s.criterion)
    return `Still equal with ${s.otherNumber} after every criterion; awaiting the head's decision.`;
  const pos = s.direction === 'above' ? 'Placed above' : 'Placed after';
  if (s.criterion === 'head_decides')
    return `${pos} ${s.otherNumber}: the head decided${s.decision ? ` (${decisionRefEn(s.decision)})` : ''}.`;
  return `${pos} ${s.otherNumber} by "${TIE_BREAK_LABELS[s.criterion].en}": this candidate ${s.value?.en ?? ''}, ${s.otherNumber} ${s.otherValue?.en ?? ''}.`;
}

/** The explanation as one paragraph (documents and the lookup). */
export function explanationVi(e: RowExplanationDto): string {
  return e.lines.map((l) => l.vi).join(' ');
}
