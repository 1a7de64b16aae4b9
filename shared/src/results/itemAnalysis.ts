/**
 * Classical item analysis of one exam part (phân tích câu hỏi sau kỳ thi): per question the facility
 * p, the discrimination index D (upper and lower 27% groups), the point-biserial correlation and the
 * distractor frequencies; per part Cronbach's α (= KR-20 when every item is dichotomous).
 *
 * Input is one compact matrix per part (typed arrays, no object per response) so that 100,000
 * candidates × 60 items (6 million responses) take a few hundred milliseconds: two passes over the
 * scores, one over the choices, and a counting sort of the totals for the 27% groups.
 *
 * Definitions (n = candidates who had the item, x = item score in [0, 1], T = part total):
 * - Facility p = mean item score / maximum (the maximum is 1, so p = mean x).
 * - Discrimination D = p(upper group) − p(lower group); groups are the top and bottom 27% by T.
 *   Ties at a cut: every candidate whose total equals the cut score belongs to the group with the same
 *   fractional weight, so the group weighs exactly g = round(0.27 · N) candidates and the result does
 *   not depend on the input order. Example: g = 3 and totals 9, 8, 8, 8 → the 9 weighs 1, each 8
 *   weighs 2/3. When every total is equal both groups are everyone at weight g/N, so D = 0 exactly.
 * - Point-biserial: the CORRECTED item-rest correlation, Pearson r between x and T − x (the total
 *   without the item itself), so an item does not correlate with itself; with few items the
 *   uncorrected item-total r is inflated. The uncorrected r is reported too (`itemTotal`). For a
 *   dichotomous item Pearson r is the point-biserial; for partial-credit items it is the same formula.
 * - Cronbach's α = k/(k−1) · (1 − Σ var(x_j) / var(T)), population variances throughout (the n vs n−1
 *   choice cancels). KR-20 = α when every item is scored 0/1 (then var(x_j) = p_j(1 − p_j)); else null.
 *
 * Undefined values are null, never NaN: a correlation when the item or the rest score has zero
 * variance; α/KR-20 when var(T) = 0 or fewer than 2 items; D when fewer than 2 candidates (or, with
 * randomised papers, no group member had the item); everything when no candidate had the item.
 *
 * Randomised papers: a score of NaN marks an item that was not on the candidate's paper. Item
 * statistics then use only the candidates who had the item (pairwise), totals are each candidate's own
 * paper total, and α is generalised to the average paper: k = mean items per candidate and
 * Σ var(x_j) weighted by the share n_j / N of candidates who had item j (`complete: false` says so).
 * With a complete matrix this is exactly the α above. Rows with no item at all are left out.
 */

/** `choices` value for a question left blank. */
export const CHOICE_BLANK = 255;

/** One part's responses: candidates × items, row-major. */
export interface ItemResponseMatrix {
  /** Number of questions (columns). */
  items: number;
  /** Number of candidates (rows). */
  candidates: number;
  /**
   * scores[c · items + j]: candidate c's score on item j in [0, 1] (partial credit allowed);
   * NaN when item j was not on candidate c's paper.
   */
  scores: Float32Array;
  /**
   * For single-answer items (single, true/false): the chosen option's index in the question's own
   * option order (not the shuffled display order); CHOICE_BLANK (255) when unanswered.
   */
  choices?: Uint8Array;
  /**
   * Alternative to `choices` that also fits multiple-answer items: bit i set = option i chosen
   * (options 0–7); 0 = unanswered.
   */
  choiceMasks?: Uint8Array;
  /** Options per item (distractor counts list this many); default: highest option index seen + 1. */
  optionsPerItem?: readonly number[];
}

export interface ItemAnalysisOptions {
  /** Share of candidates in each of the upper and lower groups; default 0.27. */
  groupFraction?: number;
  /** Facility below this is flagged `facility_low`; default 0.2 (the bound itself is fine). */
  facilityMin?: number;
  /** Facility above this is flagged `facility_high`; default 0.9 (the bound itself is fine). */
  facilityMax?: number;
}

export type ItemFlag = 'negative_discrimination' | 'facility_low' | 'facility_high';

export const ITEM_FLAG_LABELS: Record<ItemFlag, { vi: string; en: string }> = {
  negative_discrimination: { vi: 'Độ phân biệt âm', en: 'Negative discrimination' },
  facility_low: { vi: 'Quá khó (độ khó p < 0,2)', en: 'Too hard (facility below 0.2)' },
  facility_high: { vi: 'Quá dễ (độ khó p > 0,9)', en: 'Too easy (facility above 0.9)' },
};

export interface DistractorCounts {
  /** How many candidates chose each option (index = option index). */
  options: number[];
  /** How many left the item unanswered. */
  blank: number;
}

export interface ItemStatistics {
  /** Column index in the matrix. */
  item: number;
  /** Candidates who had the item. */
  n: number;
  /** p: mean item score (maximum 1). */
  facility: number | null;
  /** Population variance of the item score. */
  variance: number | null;
  upperFacility: number | null;
  lowerFacility: number | null;
  /** D = upperFacility − lowerFacility. */
  discrimination: number | null;
  /** Corrected item-rest correlation (item vs total without the item). */
  pointBiserial: number | null;
  /** Uncorrected item-total correlation, for reference. */
  itemTotal: number | null;
  /** Every score of the item is 0 or 1. */
  dichotomous: boolean;
  /** Null when the matrix has no choices. */
  distractors: DistractorCounts | null;
  flags: ItemFlag[];
}

export interface PartItemAnalysis {
  itemCount: number;
  /** Candidates analysed (rows with at least one item). */
  candidates: number;
  /** Every candidate had every item (no NaN). */
  complete: boolean;
  meanTotal: number | null;
  /** Population standard deviation of the totals. */
  sdTotal: number | null;
  /** Candidates in each 27% group (g = round(fraction · N), at least 1 when N ≥ 2; 0 otherwise). */
  groupSize: number;
  /** Lowest total in the upper group and highest in the lower group (ties at them weigh fractionally). */
  upperCut: number | null;
  lowerCut: number | null;
  alpha: number | null;
  /** Equal to alpha when every item is dichotomous; null otherwise. */
  kr20: number | null;
  items: ItemStatistics[];
}

/** A matrix ready to fill: scores NaN (not presented), choices blank. */
export function createItemMatrix(
  items: number,
  candidates: number,
  options: { choices?: 'index' | 'mask'; optionsPerItem?: readonly number[] } = {},
): ItemResponseMatrix {
  checkCount('items', items);
  checkCount('candidates', candidates);
  const size = items * candidates;
  const m: ItemResponseMatrix = { items, candidates, scores: new Float32Array(size).fill(Number.NaN) };
  if (options.choices === 'index') m.choices = new Uint8Array(size).fill(CHOICE_BLANK);
  if (options.choices === 'mask') m.choiceMasks = new Uint8Array(size);
  if (options.optionsPerItem) m.optionsPerItem = options.optionsPerItem;
  return m;
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

/** Tolerance for comparisons with the flag thresholds. */
const EPS = 1e-9;
/** Variances below this are treated as zero (scores are bounded, so this is far below any real spread). */
const VAR_EPS = 1e-12;

/** Totals are kept to 6 decimals so equal totals reached through different partial credits tie. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

interface GroupCuts {
  g: number;
  upperCut: number;
  /** Weight of a candidate whose total equals upperCut. */
  upperAt: number;
  lowerCut: number;
  lowerAt: number;
}

/**
 * The upper and lower group cuts over the included totals (NaN = excluded). Integer totals (0/1
 * items) use a counting sort over their range; others a sort of a Float64Array copy.
 */
function groupCuts(totals: Float64Array, nEff: number, g: number): GroupCuts {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let c = 0; c < totals.length; c++) {
    const t = totals[c]!;
    if (Number.isNaN(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
    if (integral && !Number.isInteger(t)) integral = false;
  }
  let lowerCut: number;
  let below: number;
  let atLower: number;
  let upperCut: number;
  let above: number;
  let atUpper: number;
  if (integral && max - min <= 4 * nEff + 1024) {
    const hist = new Int32Array(max - min + 1);
    for (let c = 0; c < totals.length; c++) {
      const t = totals[c]!;
      if (!Number.isNaN(t)) hist[t - min]!++;
    }
    let cum = 0;
    let v = 0;
    while (cum + hist[v]! < g) cum += hist[v++]!;
    lowerCut = v + min;
    below = cum;
    atLower = hist[v]!;
    cum = 0;
    v = hist.length - 1;
    while (cum + hist[v]! < g) cum += hist[v--]!;
    upperCut = v + min;
    above = cum;
    atUpper = hist[v]!;
  } else {
    const sorted = new Float64Array(nEff);
    let i = 0;
    for (let c = 0; c < totals.length; c++) {
      const t = totals[c]!;
      if (!Number.isNaN(t)) sorted[i++] = t;
    }
    sorted.sort();
    lowerCut = sorted[g - 1]!;
    let lo = g - 1;
    while (lo > 0 && sorted[lo - 1] === lowerCut) lo--;
    let hi = g - 1;
    while (hi + 1 < nEff && sorted[hi + 1] === lowerCut) hi++;
    below = lo;
    atLower = hi - lo + 1;
    upperCut = sorted[nEff - g]!;
    lo = nEff - g;
    while (lo > 0 && sorted[lo - 1] === upperCut) lo--;
    hi = nEff - g;
    while (hi + 1 < nEff && sorted[hi + 1] === upperCut) hi++;
    above = nEff - 1 - hi;
    atUpper = hi - lo + 1;
  }
  return { g, upperCut, upperAt: (g - above) / atUpper, lowerCut, lowerAt: (g - below) / atLower };
}

function validate(m: ItemResponseMatrix): void {
  checkCount('items', m.items);
  checkCount('candidates', m.candidates);
  const size = m.items * m.candidates;
  if (m.scores.length !== size) throw new RangeError(`scores has ${m.scores.length} entries, expected ${size}`);
  if (m.choices && m.choiceMasks) throw new RangeError('Give either choices or choiceMasks, not both');
  const ch = m.choices ?? m.choiceMasks;
  if (ch && ch.length !== size) throw new RangeError(`choices has ${ch.length} entries, expected ${size}`);
  if (m.optionsPerItem) {
    if (m.optionsPerItem.length !== m.items) {
      throw new RangeError(`optionsPerItem has ${m.optionsPerItem.length} entries, expected ${m.items}`);
    }
    const maxOptions = m.choiceMasks ? 8 : CHOICE_BLANK;
    for (const o of m.optionsPerItem) {
      if (!Number.isInteger(o) || o < 1 || o > maxOptions) throw new RangeError(`Invalid option count ${o}`);
    }
  }
}

/** Counts per item: 256 slots (option index, 255 = blank) or 9 slots (8 option bits, blank). */
function countChoices(m: ItemResponseMatrix, sparse: boolean): DistractorCounts[] | null {
  const k = m.items;
  const n = m.candidates;
  const s = m.scores;
  if (m.choices) {
    const ch = m.choices;
    const counts = new Int32Array(k * 256);
    for (let c = 0; c < n; c++) {
      const o = c * k;
      if (sparse) {
        for (let j = 0; j < k; j++) {
          const x = s[o + j]!;
          if (!Number.isNaN(x)) counts[(j << 8) | ch[o + j]!]!++;
        }
      } else {
        for (let j = 0; j < k; j++) counts[(j << 8) | ch[o + j]!]!++;
      }
    }
    const out: DistractorCounts[] = [];
    for (let j = 0; j < k; j++) {
      const base = j << 8;
      let seen = 0;
      for (let v = 0; v < CHOICE_BLANK; v++) if (counts[base + v]! > 0) seen = v + 1;
      const declared = m.optionsPerItem?.[j];
      if (declared !== undefined && seen > declared) {
        throw new RangeError(`Item ${j}: option index ${seen - 1} chosen but the item has ${declared} options`);
      }
      out.push({ options: Array.from(counts.subarray(base, base + (declared ?? seen))), blank: counts[base + CHOICE_BLANK]! });
    }
    return out;
  }
  if (m.choiceMasks) {
    const ch = m.choiceMasks;
    const counts = new Int32Array(k * 9);
    for (let c = 0; c < n; c++) {
      const o = c * k;
      for (let j = 0; j < k; j++) {
        if (sparse && Number.isNaN(s[o + j]!)) continue;
        let mask = ch[o + j]!;
        const base = j * 9;
        if (mask === 0) {
          counts[base + 8]!++;
          continue;
        }
        for (let b = 0; mask !== 0; b++, mask >>>= 1) if (mask & 1) counts[base + b]!++;
      }
    }
    const out: DistractorCounts[] = [];
    for (let j = 0; j < k; j++) {
      const base = j * 9;
      let seen = 0;
      for (let b = 0; b < 8; b++) if (counts[base + b]! > 0) seen = b + 1;
      const declared = m.optionsPerItem?.[j];
      if (declared !== undefined && seen > declared) {
        throw new RangeError(`Item ${j}: option ${seen - 1} chosen but the item has ${declared} options`);
      }
      out.push({ options: Array.from(counts.subarray(base, base + (declared ?? seen))), blank: counts[base + 8]! });
    }
    return out;
  }
  return null;
}

/** Item analysis of one part. Throws RangeError on malformed input (sizes, a score outside [0, 1]). */
export function analyzeItems(m: ItemResponseMatrix, options: ItemAnalysisOptions = {}): PartItemAnalysis {
  validate(m);
  const fraction = options.groupFraction ?? 0.27;
  const facilityMin = options.facilityMin ?? 0.2;
  const facilityMax = options.facilityMax ?? 0.9;
  if (!(fraction > 0 && fraction <= 0.5)) throw new RangeError(`groupFraction must be in (0, 0.5], got ${fraction}`);
  const k = m.items;
  const n = m.candidates;
  const s = m.scores;

  // Pass 1: totals, Σx, Σx², what is missing, which items are not 0/1.
  const totals = new Float64Array(n);
  const s1 = new Float64Array(k);
  const s2 = new Float64Array(k);
  const missing = new Int32Array(k);
  const nonBinary = new Uint8Array(k);
  let excluded = 0;
  let sparse = false;
  for (let c = 0; c < n; c++) {
    const o = c * k;
    let t = 0;
    let miss = 0;
    for (let j = 0; j < k; j++) {
      const x = s[o + j]!;
      if (x === 0) continue;
      if (x === 1) {
        t += 1;
        s1[j]! += 1;
        s2[j]! += 1;
        continue;
      }
      if (Number.isNaN(x)) {
        miss++;
        missing[j]!++;
        continue;
      }
      if (!(x > 0 && x < 1)) throw new RangeError(`Score ${x} of candidate ${c}, item ${j} is outside [0, 1]`);
      t += x;
      s1[j]! += x;
      s2[j]! += x * x;
      nonBinary[j] = 1;
    }
    if (miss > 0) sparse = true;
    if (miss === k) {
      totals[c] = Number.NaN;
      excluded++;
    } else totals[c] = round6(t);
  }
  const nEff = n - excluded;

  let meanT = 0;
  let varT = 0;
  if (nEff > 0) {
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const t = totals[c]!;
      if (!Number.isNaN(t)) sum += t;
    }
    meanT = sum / nEff;
    let sq = 0;
    for (let c = 0; c < n; c++) {
      const t = totals[c]!;
      if (!Number.isNaN(t)) sq += (t - meanT) * (t - meanT);
    }
    varT = sq / nEff;
  }

  const g = nEff >= 2 ? Math.max(1, Math.round(fraction * nEff)) : 0;
  const cuts = g > 0 ? groupCuts(totals, nEff, g) : null;

  // Pass 2: Σ x·d with d = T − mean(T), and the weighted upper/lower sums. With randomised papers
  // also the per-item Σd, Σd² and group weights over the candidates who had the item.
  const sxd = new Float64Array(k);
  const up = new Float64Array(k);
  const lo = new Float64Array(k);
  const sd = new Float64Array(k);
  const sdd = new Float64Array(k);
  const wUp = new Float64Array(k);
  const wLo = new Float64Array(k);
  let sumD = 0;
  let sumDD = 0;
  let sumWU = 0;
  let sumWL = 0;
  for (let c = 0; c < n; c++) {
    const t = totals[c]!;
    if (Number.isNaN(t)) continue;
    const d = t - meanT;
    let wu = 0;
    let wl = 0;
    if (cuts) {
      wu = t > cuts.upperCut ? 1 : t === cuts.upperCut ? cuts.upperAt : 0;
      wl = t < cuts.lowerCut ? 1 : t === cuts.lowerCut ? cuts.lowerAt : 0;
    }
    const o = c * k;
    if (sparse) {
      for (let j = 0; j < k; j++) {
        const x = s[o + j]!;
        if (Number.isNaN(x)) continue;
        sxd[j]! += x * d;
        sd[j]! += d;
        sdd[j]! += d * d;
        up[j]! += x * wu;
        lo[j]! += x * wl;
        wUp[j]! += wu;
        wLo[j]! += wl;
      }
      continue;
    }
    sumD += d;
    sumDD += d * d;
    sumWU += wu;
    sumWL += wl;
    if (wu === 0 && wl === 0) {
      for (let j = 0; j < k; j++) sxd[j]! += s[o + j]! * d;
    } else if (wl === 0) {
      for (let j = 0; j < k; j++) {
        const x = s[o + j]!;
        sxd[j]! += x * d;
        up[j]! += x * wu;
      }
    } else if (wu === 0) {
      for (let j = 0; j < k; j++) {
        const x = s[o + j]!;
        sxd[j]! += x * d;
        lo[j]! += x * wl;
      }
    } else {
      for (let j = 0; j < k; j++) {
        const x = s[o + j]!;
        sxd[j]! += x * d;
        up[j]! += x * wu;
        lo[j]! += x * wl;
      }
    }
  }
  if (!sparse) {
    sd.fill(sumD);
    sdd.fill(sumDD);
    wUp.fill(sumWU);
    wLo.fill(sumWL);
  }

  const distractors = countChoices(m, sparse);

  const items: ItemStatistics[] = [];
  let presentedSum = 0;
  let weightedVar = 0;
  let allBinary = true;
  for (let j = 0; j < k; j++) {
    const nj = n - missing[j]!;
    const dichotomous = nonBinary[j] === 0;
    if (!dichotomous) allBinary = false;
    const stat: ItemStatistics = {
      item: j,
      n: nj,
      facility: null,
      variance: null,
      upperFacility: null,
      lowerFacility: null,
      discrimination: null,
      pointBiserial: null,
      itemTotal: null,
      dichotomous,
      distractors: distractors?.[j] ?? null,
      flags: [],
    };
    items.push(stat);
    if (nj === 0) continue;
    const p = s1[j]! / nj;
    const varX = Math.max(0, s2[j]! / nj - p * p);
    const meanD = sd[j]! / nj;
    const varD = Math.max(0, sdd[j]! / nj - meanD * meanD);
    const covXD = sxd[j]! / nj - p * meanD;
    // Rest score r = d − x: var(r) = var(d) + var(x) − 2 cov(x, d); cov(x, r) = cov(x, d) − var(x).
    const varR = varD + varX - 2 * covXD;
    stat.facility = p;
    stat.variance = varX;
    presentedSum += nj;
    weightedVar += nj * varX;
    if (varX > VAR_EPS && varD > VAR_EPS) stat.itemTotal = clamp1(covXD / Math.sqrt(varX * varD));
    if (varX > VAR_EPS && varR > VAR_EPS) stat.pointBiserial = clamp1((covXD - varX) / Math.sqrt(varX * varR));
    if (wUp[j]! > 0 && wLo[j]! > 0) {
      stat.upperFacility = up[j]! / wUp[j]!;
      stat.lowerFacility = lo[j]! / wLo[j]!;
      stat.discrimination = stat.upperFacility - stat.lowerFacility;
      if (stat.discrimination < -EPS) stat.flags.push('negative_discrimination');
    }
    if (p < facilityMin - EPS) stat.flags.push('facility_low');
    if (p > facilityMax + EPS) stat.flags.push('facility_high');
  }

  let alpha: number | null = null;
  if (nEff > 0) {
    const kAvg = presentedSum / nEff;
    if (kAvg > 1 + EPS && varT > VAR_EPS) alpha = (kAvg / (kAvg - 1)) * (1 - weightedVar / nEff / varT);
  }

  return {
    itemCount: k,
    candidates: nEff,
    complete: !sparse,
    meanTotal: nEff > 0 ? meanT : null,
    sdTotal: nEff > 0 ? Math.sqrt(varT) : null,
    groupSize: g,
    upperCut: cuts?.upperCut ?? null,
    lowerCut: cuts?.lowerCut ?? null,
    alpha,
    kr20: allBinary && alpha !== null ? alpha : null,
    items,
  };
}

function clamp1(r: number): number {
  return Math.min(1, Math.max(-1, r));
}
