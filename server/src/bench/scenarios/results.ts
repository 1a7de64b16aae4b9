/**
 * `results [--candidates 100000] [--items 60] [--positions 20] [--profile nd138-2020] [--seed s]`:
 * scores, ranks and analyses a synthetic recruitment exam with the shared pure functions, in process.
 *
 * Data (seeded sfc32, identical on every run): every candidate sits the same round-1 KTC paper of
 * `items` questions (single, true/false and multiple-answer with partial credit) answered from a 2PL
 * response model, so the items discriminate; two items are miskeyed and some are very easy or very
 * hard, so item analysis has something to flag. NN (30 questions), the round-2 written score,
 * priority categories (some with two), a foreign-language exemption, sanctions and absences are drawn
 * too; candidates apply to `positions` positions of uneven size, each with a quota of about 5%.
 *
 * rankMs (target ≤ 2000): score every KTC attempt from its answers with three key corrections
 * (scoreAttempt), compute every candidate's result (computeCandidateResult) and rank each position
 * within its quota (rankCandidates). itemAnalysisMs (target ≤ 5000): analyzeItems over the
 * candidates × items response matrix (6 million responses at the defaults). Generating the data is
 * not timed (generateMs). Times are wall-clock; rankCpuMs and itemAnalysisCpuMs give the CPU time of
 * the same phases, which tells a slow machine from a busy one.
 */
import {
  affectedAttempts,
  analyzeItems,
  applyOverrides,
  type CandidateResult,
  type ChoiceAnswer,
  computeCandidateResult,
  getProfile,
  type KeyCorrection,
  type PartScoreInput,
  type ProfileCandidate,
  type QuestionTypeId,
  questionType,
  rankCandidates,
  type ScoringQuestion,
  Sfc32,
  scoreAttempt,
  seedFromString,
} from '@exam/shared';

const OPTION_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
/** The answer for each option bitmask (bit i = option i ticked); blank for 0. Shared, never mutated. */
const MASK_ANSWERS: (ChoiceAnswer | undefined)[] = Array.from({ length: 256 }, (_v, mask) =>
  mask === 0 ? undefined : OPTION_IDS.filter((_id, i) => mask & (1 << i)),
);

function positiveInt(args: Record<string, string>, key: string, fallback: number): number {
  const v = Number(args[key] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${key} must be a positive integer`);
  return v;
}

export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const n = positiveInt(args, 'candidates', 100_000);
  const k = positiveInt(args, 'items', 60);
  const positions = positiveInt(args, 'positions', 20);
  const profileId = args.profile ?? 'nd138-2020';
  const base = getProfile(profileId);
  if (!base || (profileId !== 'nd138-2020' && profileId !== 'nd116-2024')) {
    throw new RangeError('--profile must be nd138-2020 or nd116-2024');
  }
  const profile = applyOverrides(base, { choices: [{ id: 'round2_format', selected: 'written' }] });
  const ktcPart = profile.parts.find((p) => p.id === 'r1_ktc')!;

  const rng = new Sfc32(seedFromString(args.seed ?? 'results-bench'));
  const uniform = () => (rng.nextUint32() + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

  // ---- the KTC paper
  const t0 = performance.now();
  const questions: ScoringQuestion[] = [];
  const slope = new Float64Array(k);
  const difficulty = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const type: QuestionTypeId = j % 10 === 9 ? 'true_false' : j % 15 === 7 ? 'multiple' : 'single';
    const count = type === 'true_false' ? 2 : 4;
    const keyIdx = rng.below(count);
    const second = (keyIdx + 1 + rng.below(count - 1)) % count;
    questions.push({
      versionId: 1000 + j,
      type,
      stem: `Câu ${j + 1}`,
      options: OPTION_IDS.slice(0, count).map((id, i) => ({
        id,
        text: `Phương án ${id}`,
        correct: i === keyIdx || (type === 'multiple' && i === second),
      })),
      partialCredit: type === 'multiple',
    });
    slope[j] = 0.6 + 1.4 * uniform();
    difficulty[j] = Math.max(-2.5, Math.min(2.5, normal() - 0.6));
  }
  // Something for item analysis to find: two miskeyed items (the strong pick a distractor), very easy and very hard ones.
  const miskeyed = [Math.min(3, k - 1), Math.min(17, k - 1)];
  for (const j of miskeyed) slope[j] = -1.2;
  if (k > 30) {
    difficulty[25] = -4;
    difficulty[30] = 3.5;
  }
  const corrections = new Map<number, KeyCorrection>();
  const optionsOf = (j: number) => questions[j]!.options.map((o) => o.id);
  if (k >= 3) {
    corrections.set(1000 + miskeyed[0]!, { kind: 'rekey', correct: [optionsOf(miskeyed[0]!)[0]!] });
    corrections.set(1000 + miskeyed[1]!, { kind: 'void', mode: 'drop' });
    corrections.set(1000 + (k > 30 ? 30 : k - 1), { kind: 'void', mode: 'full_marks' });
  }

  // ---- responses: option bitmasks and graded scores, candidates × items
  const masks = new Uint8Array(n * k);
  const scores = new Float32Array(n * k);
  const ability = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const theta = normal();
    ability[c] = theta;
    const o = c * k;
    for (let j = 0; j < k; j++) {
      const q = questions[j]!;
      const count = q.options.length;
      if (uniform() < 0.02) continue; // blank
      const pRight = 0.15 + 0.85 / (1 + Math.exp(-1.7 * slope[j]! * (theta - difficulty[j]!)));
      let mask = 0;
      if (q.type === 'multiple') {
        for (let i = 0; i < count; i++) {
          const right = q.options[i]!.correct;
          if (uniform() < (right ? pRight : 1 - pRight) * 0.9) mask |= 1 << i;
        }
        if (mask === 0) mask = 1 << rng.below(count);
      } else {
        const keyIdx = q.options.findIndex((opt) => opt.correct);
        mask = 1 << (uniform() < pRight ? keyIdx : (keyIdx + 1 + rng.below(count - 1)) % count);
      }
      masks[o + j] = mask;
      scores[o + j] = questionType(q.type).grade(q, MASK_ANSWERS[mask]);
    }
  }

  // ---- candidates: position, NN, round 2, priority, exemption, sanction, absence
  const candidates: ProfileCandidate[] = new Array(n);
  const nnCorrect = new Int32Array(n);
  const written = new Float64Array(n);
  const absentR2 = new Uint8Array(n);
  const positionOf = new Int32Array(n);
  const positionSize = new Int32Array(positions);
  const PRIORITY = ['anh_hung', 'thuong_binh', 'dan_toc_thieu_so', 'con_chinh_sach', 'xuat_ngu', 'tnxp'];
  for (let c = 0; c < n; c++) {
    // Position sizes fall off geometrically-ish: position p gets weight 1 / (1 + p/3).
    let pos = 0;
    for (let tries = 0; tries < 8; tries++) {
      pos = rng.below(positions);
      if (uniform() < 1 / (1 + pos / 3)) break;
    }
    positionOf[c] = pos;
    positionSize[pos]!++;
    const theta = ability[c]!;
    let nn = 0;
    for (let i = 0; i < 30; i++) if (uniform() < 0.25 + 0.7 / (1 + Math.exp(-1.5 * (theta + 0.6 + 0.3 * normal())))) nn++;
    nnCorrect[c] = nn;
    written[c] = Math.max(0, Math.min(100, Math.round((66 + 14 * theta + 8 * normal()) * 4) / 4));
    absentR2[c] = uniform() < 0.02 ? 1 : 0;
    const u = uniform();
    const priorityCodes =
      u < 0.02
        ? [PRIORITY[rng.below(2)]!, PRIORITY[2 + rng.below(4)]!] // two categories: only the highest counts
        : u < 0.15
          ? [PRIORITY[2 + rng.below(4)]!]
          : [];
    const s = uniform();
    const sanctions =
      s < 0.0005
        ? [{ partId: 'r1_ktc', code: 'dinh_chi' as const }]
        : s < 0.0025
          ? [{ partId: 'r2_written', code: 'khien_trach' as const }]
          : [];
    candidates[c] = {
      id: `TS${String(c + 1).padStart(6, '0')}`,
      priorityCodes,
      exemptions: uniform() < 0.1 ? ['foreign_language'] : [],
      sanctions,
    };
  }
  const quotas = Array.from(positionSize, (size) => Math.max(1, Math.round(size * 0.05)));
  const byPosition: number[][] = Array.from({ length: positions }, () => []);
  for (let c = 0; c < n; c++) byPosition[positionOf[c]!]!.push(c);
  const generateMs = performance.now() - t0;
  console.error(`results: generated ${n} candidates × ${k} questions in ${Math.round(generateMs)} ms`);

  // ---- timed: score, compute results, rank
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const tRank = performance.now();
  const cRank = cpu();
  const part = { scoreScale: ktcPart.scoreScale, passRule: ktcPart.passRule };
  const ktcCorrect = new Float64Array(n);
  const ktcTotal = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const o = c * k;
    const ktc = scoreAttempt(questions, (no) => MASK_ANSWERS[masks[o + no - 1]!], part, corrections);
    ktcCorrect[c] = ktc.correct;
    ktcTotal[c] = ktc.total;
  }
  const scoreMs = performance.now() - tRank;
  // One position at a time: its results are computed, ranked, tallied and dropped, so the heap holds
  // one position's CandidateResult objects rather than all of them (each is ~1.5 KB; keeping 100,000
  // alive makes the old-generation GC the largest cost).
  let selected = 0;
  let tiePending = 0;
  let tiedGroups = 0;
  let failed = 0;
  let sanctioned = 0;
  for (let p = 0; p < positions; p++) {
    const members = byPosition[p]!;
    const results: CandidateResult[] = new Array(members.length);
    for (let i = 0; i < members.length; i++) {
      const c = members[i]!;
      const partScores: PartScoreInput[] = [
        { partId: 'r1_ktc', correct: ktcCorrect[c]!, total: ktcTotal[c]! },
        { partId: 'r1_nn', correct: nnCorrect[c]!, total: 30 },
        absentR2[c] ? { partId: 'r2_written', absent: true } : { partId: 'r2_written', score: written[c]! },
      ];
      results[i] = computeCandidateResult(profile, candidates[c]!, partScores);
    }
    const out = rankCandidates(profile, results, quotas[p]!);
    selected += out.selectedCount;
    tiedGroups += out.tiedGroups.length;
    for (const row of out.rows) {
      if (row.status === 'tie_pending') tiePending++;
      else if (row.status === 'failed') failed++;
      else if (row.status === 'sanction') sanctioned++;
    }
  }
  const rankMs = performance.now() - tRank;
  const rankCpuMs = cpu() - cRank;
  const versionIds = questions.map((q) => q.versionId);
  const affected = affectedAttempts(
    Array.from({ length: n }, () => ({ versionIds })),
    corrections,
  ).length;
  console.error(`results: scored and ranked in ${Math.round(rankMs)} ms`);

  // ---- timed: item analysis
  const tItems = performance.now();
  const cItems = cpu();
  const analysis = analyzeItems({
    items: k,
    candidates: n,
    scores,
    choiceMasks: masks,
    optionsPerItem: questions.map((q) => q.options.length),
  });
  const itemAnalysisMs = performance.now() - tItems;
  const itemAnalysisCpuMs = cpu() - cItems;

  const flagCount = (flag: string) => analysis.items.filter((i) => i.flags.some((f) => f === flag)).length;
  const ms = (x: number) => Math.round(x * 10) / 10;
  const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
  return {
    scenario: 'results',
    profile: profileId,
    candidates: n,
    positions,
    quotaTotal: quotas.reduce((a, b) => a + b, 0),
    selected,
    tiePending,
    tiedGroups,
    failed,
    sanctioned,
    keyCorrections: corrections.size,
    affectedAttempts: affected,
    rankMs: ms(rankMs),
    rankCpuMs: ms(rankCpuMs),
    scoreMs: ms(scoreMs),
    items: k,
    responses: n * k,
    itemAnalysisMs: ms(itemAnalysisMs),
    itemAnalysisCpuMs: ms(itemAnalysisCpuMs),
    alpha: round4(analysis.alpha),
    negativeDiscrimination: flagCount('negative_discrimination'),
    facilityLow: flagCount('facility_low'),
    facilityHigh: flagCount('facility_high'),
    generateMs: ms(generateMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    targets: { rankMs: 2000, itemAnalysisMs: 5000 },
  };
}
