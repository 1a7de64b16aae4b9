/**
 * Worked ranking examples for every profile (issue 6): ties resolved at each step of the tie-break
 * chain, ties the chain leaves open (the group is marked tie_pending until the head's recorded order
 * resolves it), only the highest priority category counting, quota boundaries, and failed condition
 * parts (listed as failed with the reason, never taking a seat). Totals are worked out in comments.
 * These complement the per-profile examples in profiles.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  type CandidateResult,
  CUSTOM,
  computeCandidateResult,
  KIEM_DINH_ND06_2023,
  ND24_2010,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  type PartScoreInput,
  PROMOTION_ND138_2020,
  type ProfileCandidate,
  partPassed,
  type RankingResult,
  rankCandidates,
} from './index.js';

const mc = (partId: string, correct: number, total: number): PartScoreInput => ({ partId, correct, total });
const sc = (partId: string, score: number): PartScoreInput => ({ partId, score });
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({ id, ...extra });

/** [id, rank, status, decidedBy] per row. */
const table = (out: RankingResult) => out.rows.map((r) => [r.candidateId, r.rank, r.status, r.decidedBy]);
const statuses = (out: RankingResult) => out.rows.map((r) => `${r.candidateId}:${r.status}`);

/** Re-computes the named candidates with a recorded head order. */
function withHead(
  make: (id: string, extra: Partial<ProfileCandidate>) => CandidateResult,
  ids: readonly string[],
  decisions: Record<string, number>,
): CandidateResult[] {
  return ids.map((id) => make(id, decisions[id] !== undefined ? { headDecisionOrder: decisions[id] } : {}));
}

describe('nd24-2010: total = KTC + 2 × NVCN written + NVCN MC + priority; chain NVCN written → NVCN MC → head', () => {
  const p = ND24_2010;
  const full = (ktc: number, w: number, m: number, nn = 60, th = 60) => [
    sc('ktc', ktc),
    sc('nvcn_written', w),
    sc('nvcn_mc', m),
    sc('nn', nn),
    sc('th', th),
  ];
  const res = [
    // K: 100 + 170 + 90 = 360
    computeCandidateResult(p, cand('K'), full(100, 85, 90)),
    // H: 60 + 120 + 60 = 240, thương binh (+30) and dân tộc thiểu số (+20): only +30 → 270, not 290
    computeCandidateResult(p, cand('H', { priorityCodes: ['thuong_binh', 'dan_toc_thieu_so'] }), full(60, 60, 60)),
    // J: 95 + 190 + 95 = 380, the best total, but NN (a condition part) 40 < 50
    computeCandidateResult(p, cand('J'), full(95, 95, 95, 40)),
    // I: 70 + 120 + 70 = 260, xuất ngũ +10 → 270; ties H on total and NVCN written (60), wins on NVCN MC 70 > 60
    computeCandidateResult(p, cand('I', { priorityCodes: ['xuat_ngu'] }), full(70, 60, 70)),
    // L: 70 + 150 + 50 = 270, dân tộc thiểu số +20 → 290
    computeCandidateResult(p, cand('L', { priorityCodes: ['dan_toc_thieu_so'] }), full(70, 75, 50)),
  ];

  it('totals: only the highest priority counts; the condition part is not added', () => {
    expect(res.map((r) => [r.candidateId, r.total, r.priorityPoints, r.passed])).toEqual([
      ['K', 360, 0, true],
      ['H', 270, 30, true],
      ['J', 380, 0, false],
      ['I', 270, 10, true],
      ['L', 290, 20, true],
    ]);
  });

  it('quota 3: K, L, I selected; H loses the tie on NVCN MC; J failed NN and takes no seat', () => {
    const out = rankCandidates(p, res, 3);
    expect(table(out)).toEqual([
      ['K', 1, 'selected', null],
      ['L', 2, 'selected', 'total'],
      ['I', 3, 'selected', 'total'],
      ['H', 4, 'below_quota', 'nvcn_mc'],
      ['J', null, 'failed', null],
    ]);
    expect(out.rows[4]!.reason).toBe(
      'Không đạt phần "Ngoại ngữ (hoặc tiếng dân tộc thiểu số)": 40/100 điểm (40%), yêu cầu từ 50 điểm trở lên.',
    );
    expect(out.tiedGroups).toEqual([]);
  });

  it('quota boundaries: 0 selects nobody, 4 selects every passing candidate, 10 still 4', () => {
    expect(rankCandidates(p, res, 0).rows.filter((r) => r.status === 'below_quota')).toHaveLength(4);
    expect(rankCandidates(p, res, 0).selectedCount).toBe(0);
    expect(rankCandidates(p, res, 4).selectedCount).toBe(4);
    expect(rankCandidates(p, res, 10).selectedCount).toBe(4);
    expect(rankCandidates(p, res, 10).rows.at(-1)!.status).toBe('failed');
  });

  it('three identical candidates for two seats; the head ranks only one, the other two stay pending', () => {
    const make = (id: string, extra: Partial<ProfileCandidate>) => computeCandidateResult(p, cand(id, extra), full(80, 70, 60));
    const open = rankCandidates(p, withHead(make, ['X', 'Y', 'Z'], {}), 2);
    expect(open.tiedGroups).toEqual([{ rank: 1, candidateIds: ['X', 'Y', 'Z'], seats: 2, needsHeadDecision: true }]);
    expect(open.selectedCount).toBe(0);
    // The head puts Z first: Z takes a seat; X and Y are still tied for the last one.
    const partly = rankCandidates(p, withHead(make, ['X', 'Y', 'Z'], { Z: 1 }), 2);
    expect(table(partly)).toEqual([
      ['Z', 1, 'selected', null],
      ['X', 2, 'tie_pending', 'head_decides'],
      ['Y', 2, 'tie_pending', null],
    ]);
    expect(partly.tiedGroups).toEqual([{ rank: 2, candidateIds: ['X', 'Y'], seats: 1, needsHeadDecision: true }]);
    // A full order resolves it.
    const done = rankCandidates(p, withHead(make, ['X', 'Y', 'Z'], { Z: 1, Y: 2, X: 3 }), 2);
    expect(statuses(done)).toEqual(['Z:selected', 'Y:selected', 'X:below_quota']);
    expect(done.tiedGroups).toEqual([]);
  });
});

describe('nd138-2020 (round 2 written): total = round 2 + priority; chain round 2 → head', () => {
  const p = applyOverrides(ND138_2020, { choices: [{ id: 'round2_format', selected: 'written' }] });
  const r1 = (ktc: number, nn: number) => [mc('r1_ktc', ktc, 60), mc('r1_nn', nn, 30)];
  const specs: Record<string, { extra?: Partial<ProfileCandidate>; scores: PartScoreInput[] }> = {
    // A: 80
    A: { scores: [...r1(40, 20), sc('r2_written', 80)] },
    // B: round 2 95, but KTC 29/60 < 50% (a condition part)
    B: { scores: [...r1(29, 25), sc('r2_written', 95)] },
    // C: 75 + 7.5 (anh hùng; dân tộc 5 and xuất ngũ 2.5 do not add) = 82.5, not 90
    C: { extra: { priorityCodes: ['anh_hung', 'dan_toc_thieu_so', 'xuat_ngu'] }, scores: [...r1(30, 15), sc('r2_written', 75)] },
    // D: 77.5 + 5 (con liệt sĩ…) = 82.5; ties C and wins on round 2 (77.5 > 75)
    D: { extra: { priorityCodes: ['con_chinh_sach'] }, scores: [...r1(50, 28), sc('r2_written', 77.5)] },
    // E: 80, equal to A on total and round 2: the chain ends at the head
    E: { scores: [...r1(45, 20), sc('r2_written', 80)] },
  };
  const make = (id: string, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { ...specs[id]!.extra, ...extra }), specs[id]!.scores);
  const ids = ['A', 'B', 'C', 'D', 'E'];
  const res = ids.map((id) => make(id));

  it('totals and the failed condition', () => {
    expect(res.map((r) => [r.candidateId, r.total, r.passed])).toEqual([
      ['A', 80, true],
      ['B', 95, false],
      ['C', 82.5, true],
      ['D', 82.5, true],
      ['E', 80, true],
    ]);
  });

  it('quota 2: D (round 2 decides over C), C selected; A and E tied below the quota, no decision needed', () => {
    const out = rankCandidates(p, res, 2);
    expect(table(out)).toEqual([
      ['D', 1, 'selected', null],
      ['C', 2, 'selected', 'round2_score'],
      ['A', 3, 'below_quota', 'total'],
      ['E', 3, 'below_quota', null],
      ['B', null, 'failed', null],
    ]);
    expect(out.tiedGroups).toEqual([{ rank: 3, candidateIds: ['A', 'E'], seats: 0, needsHeadDecision: false }]);
    expect(out.rows[4]!.reason).toBe(
      'Không đạt phần "Vòng 1 — Phần I: Kiến thức chung": 29/60 câu đúng (48,33%), yêu cầu từ 50% trở lên.',
    );
  });

  it('quota 3: the A–E tie straddles the last seat and waits for the head; the head picks E', () => {
    const open = rankCandidates(p, res, 3);
    expect(statuses(open)).toEqual(['D:selected', 'C:selected', 'A:tie_pending', 'E:tie_pending', 'B:failed']);
    expect(open.tiedGroups).toEqual([{ rank: 3, candidateIds: ['A', 'E'], seats: 1, needsHeadDecision: true }]);
    expect(open.rows[2]!.reason).toBe(
      'Đồng hạng 3 với 1 người khác sau khi đã áp dụng hết các tiêu chí khi bằng điểm; còn 1 chỉ tiêu cho 2 người — chờ người đứng đầu cơ quan quyết định.',
    );
    const decided = rankCandidates(p, withHead(make, ids, { E: 1, A: 2 }), 3);
    expect(table(decided).slice(0, 4)).toEqual([
      ['D', 1, 'selected', null],
      ['C', 2, 'selected', 'round2_score'],
      ['E', 3, 'selected', 'total'],
      ['A', 4, 'below_quota', 'head_decides'],
    ]);
    expect(decided.tiedGroups).toEqual([]);
  });

  it('quota 4 takes the whole tied group; quota 1 leaves C below on round 2', () => {
    const four = rankCandidates(p, res, 4);
    expect(four.selectedCount).toBe(4);
    expect(four.tiedGroups[0]).toMatchObject({ seats: 2, needsHeadDecision: false });
    expect(statuses(rankCandidates(p, res, 1)).slice(0, 2)).toEqual(['D:selected', 'C:below_quota']);
  });
});

describe('nd116-2024 (round 2 written): chain round 2 → written → kiểm định exempt → kiểm định score → KTC correct → head', () => {
  const p = applyOverrides(ND116_2024, { choices: [{ id: 'round2_format', selected: 'written' }] });
  // An exam held in the NĐ 170/2025 Điều 70 transition (round 1 finished before 1/7/2025): applications
  // closed 31/8/2025, the exam on 20/9/2025. Kiểm định validity counts to the deadline (NĐ 116/2024).
  const exam = { examDate: '2025-09-20', applicationDeadline: '2025-08-31' };
  const kd = (correct: number, resultDate = '2024-07-20') => ({ resultDate, correct, total: 100, passed: true });
  const sat = (ktc: number, nn: number, w: number) => [mc('r1_ktc', ktc, 60), mc('r1_nn', nn, 30), sc('r2_written', w)];
  const specs: Record<string, { extra?: Partial<ProfileCandidate>; scores: PartScoreInput[] }> = {
    // A: 70 + 2.5 (TNXP; công đoàn 1.5 does not add) = 72.5, not 74; KTC 40
    A: { extra: { priorityCodes: ['can_bo_cong_doan', 'tnxp'] }, scores: sat(40, 20, 70) },
    // B: 72.5, the highest round 2
    B: { extra: { exemptions: ['kiem_dinh'], kiemDinh: kd(70) }, scores: [sc('r2_written', 72.5)] },
    // C: 70 + 2.5; exempt by kiểm định 80
    C: { extra: { exemptions: ['kiem_dinh'], kiemDinh: kd(80), priorityCodes: ['tnxp'] }, scores: [sc('r2_written', 70)] },
    // D: 70 + 2.5; not exempt, KTC 45
    D: { extra: { priorityCodes: ['xuat_ngu'] }, scores: sat(45, 20, 70) },
    // E: 70 + 2.5; exempt by kiểm định 90
    E: { extra: { exemptions: ['kiem_dinh'], kiemDinh: kd(90), priorityCodes: ['tnxp'] }, scores: [sc('r2_written', 70)] },
    // F: identical to A
    F: { extra: { priorityCodes: ['tnxp'] }, scores: sat(40, 20, 70) },
    // G: NN 14/30 < 50% (condition), written 90
    G: { scores: sat(50, 14, 90) },
    // H: claims kiểm định, but the result of the July 2023 session (20/7/2023; NĐ 06/2023 dates from
    // 21/2/2023, so no result can be older) expired on 20/7/2025, before the deadline of 31/8/2025:
    // round 1 is required and missing. (Issue 12: this example used to be dated 1/12/2022.)
    H: { extra: { exemptions: ['kiem_dinh'], kiemDinh: kd(95, '2023-07-20') }, scores: [sc('r2_written', 99)] },
  };
  const ids = Object.keys(specs);
  const make = (id: string, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { ...specs[id]!.extra, ...extra }), specs[id]!.scores, exam);
  const res = ids.map((id) => make(id));

  it('totals: 72.5 for A–F; G fails NN; H has no round-1 score since the expired result does not exempt', () => {
    expect(res.map((r) => [r.candidateId, r.total, r.priorityPoints, r.passed])).toEqual([
      ['A', 72.5, 2.5, true],
      ['B', 72.5, 0, true],
      ['C', 72.5, 2.5, true],
      ['D', 72.5, 2.5, true],
      ['E', 72.5, 2.5, true],
      ['F', 72.5, 2.5, true],
      ['G', 90, 0, false],
      ['H', null, 0, false],
    ]);
    expect(res[7]!.warnings.map((w) => w.code)).toEqual(['kiem_dinh_invalid']);
    expect(res[7]!.reasons.map((r) => [r.code, r.partId])).toEqual([
      ['score_missing', 'r1_ktc'],
      ['score_missing', 'r1_nn'],
    ]);
  });

  it('quota 5: each step of the chain decides once; A and F stay tied for the last seat', () => {
    const out = rankCandidates(p, res, 5);
    expect(table(out)).toEqual([
      ['B', 1, 'selected', null],
      ['E', 2, 'selected', 'round2_score'], // round 2: 70 < 72.5
      ['C', 3, 'selected', 'kiem_dinh_score'], // both exempt: 80 < 90
      ['D', 4, 'selected', 'kiem_dinh_exempt'], // exempt before not exempt
      ['A', 5, 'tie_pending', 'ktc_correct'], // KTC 40 < 45
      ['F', 5, 'tie_pending', null],
      ['G', null, 'failed', null],
      ['H', null, 'failed', null],
    ]);
    expect(out.tiedGroups).toEqual([{ rank: 5, candidateIds: ['A', 'F'], seats: 1, needsHeadDecision: true }]);
  });

  it('the head ranks F before A; quota 4 and 6 need no decision', () => {
    const decided = rankCandidates(p, withHead(make, ids, { F: 1, A: 2 }), 5);
    expect(table(decided).slice(4, 6)).toEqual([
      ['F', 5, 'selected', 'ktc_correct'],
      ['A', 6, 'below_quota', 'head_decides'],
    ]);
    expect(rankCandidates(p, res, 4).tiedGroups).toEqual([
      { rank: 5, candidateIds: ['A', 'F'], seats: 0, needsHeadDecision: false },
    ]);
    expect(rankCandidates(p, res, 6).selectedCount).toBe(6);
  });
});

describe('nd170-2025: chuyên viên (written + interview, ½ each) and nhân viên (oral); chain round 2 → written → head', () => {
  const p = applyOverrides(ND170_2025, {
    choices: [
      { id: 'round2_format', selected: 'written_interview' },
      { id: 'nv_format', selected: 'oral' },
    ],
    parts: [
      { id: 'r2_wi_written', coefficient: 0.5 },
      { id: 'r2_wi_interview', coefficient: 0.5, durationMin: 30 },
    ],
  });
  const cv = (ktc: number, w: number, i: number) => [mc('r1_ktc', ktc, 60), sc('r2_wi_written', w), sc('r2_wi_interview', i)];
  const specs: Record<string, { extra?: Partial<ProfileCandidate>; scores: PartScoreInput[] }> = {
    // A: (70 + 60)/2 = 65, + 2.5 (xuất ngũ; công đoàn 1.5 does not add) = 67.5, not 69
    A: { extra: { priorityCodes: ['can_bo_cong_doan', 'xuat_ngu'] }, scores: cv(40, 70, 60) },
    // B: (60 + 75)/2 = 67.5
    B: { scores: cv(40, 60, 75) },
    // C and D: (75 + 60)/2 = 67.5, written 75
    C: { scores: cv(40, 75, 60) },
    D: { scores: cv(50, 75, 60) },
    // E: round 1 29/60 < 50% (condition), round 2 90
    E: { scores: cv(29, 90, 90) },
    // F: round 2 (45 + 95)/2 = 70 ≥ 50, but the written paper 45 < 50
    F: { scores: cv(40, 45, 95) },
  };
  const ids = Object.keys(specs);
  const make = (id: string, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { grade: '01.003', ...specs[id]!.extra, ...extra }), specs[id]!.scores);
  const res = ids.map((id) => make(id));

  it('chuyên viên totals; E fails round 1, F fails the written paper', () => {
    expect(res.map((r) => [r.candidateId, r.round2Score, r.total, r.passed])).toEqual([
      ['A', 65, 67.5, true],
      ['B', 67.5, 67.5, true],
      ['C', 67.5, 67.5, true],
      ['D', 67.5, 67.5, true],
      ['E', 90, 90, false],
      ['F', 70, 70, false],
    ]);
    expect(res[5]!.reasons.map((r) => r.partId)).toEqual(['r2_wi_written']);
  });

  it('quota 1: C and D (tied through the whole chain) wait for the head; quota 2 takes both', () => {
    const one = rankCandidates(p, res, 1);
    expect(table(one)).toEqual([
      ['C', 1, 'tie_pending', null],
      ['D', 1, 'tie_pending', null],
      ['B', 3, 'below_quota', 'written_score'], // written 60 < 75
      ['A', 4, 'below_quota', 'round2_score'], // round 2 65 < 67.5
      ['E', null, 'failed', null],
      ['F', null, 'failed', null],
    ]);
    expect(one.selectedCount).toBe(0);
    expect(one.tiedGroups).toEqual([{ rank: 1, candidateIds: ['C', 'D'], seats: 1, needsHeadDecision: true }]);
    const two = rankCandidates(p, res, 2);
    expect(statuses(two).slice(0, 3)).toEqual(['C:selected', 'D:selected', 'B:below_quota']);
    expect(two.tiedGroups[0]!.needsHeadDecision).toBe(false);
  });

  it('the head puts D first', () => {
    const out = rankCandidates(p, withHead(make, ids, { D: 1, C: 2 }), 1);
    expect(table(out).slice(0, 2)).toEqual([
      ['D', 1, 'selected', null],
      ['C', 2, 'below_quota', 'head_decides'],
    ]);
  });

  it('nhân viên (01.005): one oral exam; round 2 decides between 64 + 2.5 and 66.5', () => {
    const nv = (id: string, oral: number, extra: Partial<ProfileCandidate> = {}) =>
      computeCandidateResult(p, cand(id, { grade: '01.005', ...extra }), [sc('nv_oral', oral)]);
    const out = rankCandidates(
      p,
      [
        nv('N1', 64, { priorityCodes: ['xuat_ngu'] }), // 66.5
        nv('N2', 66.5), // 66.5
        nv('N3', 49, { priorityCodes: ['anh_hung'] }), // 49 < 50 fails; priority does not rescue it
      ],
      1,
    );
    expect(table(out)).toEqual([
      ['N2', 1, 'selected', null],
      ['N1', 2, 'below_quota', 'round2_score'],
      ['N3', null, 'failed', null],
    ]);
  });
});

describe('kiem-dinh-nd06-2023: pass/fail only; no priority and an empty chain', () => {
  const p = KIEM_DINH_ND06_2023;
  const uni = (id: string, correct: number, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { choices: { level: 'dai_hoc' }, ...extra }), [mc('kd_dai_hoc', correct, 100)]);
  const res = [
    uni('K1', 50), // exactly 50% passes
    uni('K2', 49), // fails
    computeCandidateResult(p, cand('K3', { choices: { level: 'trung_cap_cao_dang' } }), [mc('kd_trung_cap_cao_dang', 40, 80)]),
    uni('K4', 70, { priorityCodes: ['anh_hung'] }), // no priority in an assessment
    uni('K5', 70, { headDecisionOrder: 1 }), // a head order is not part of this chain
  ];

  it('totals are the numbers correct; priority codes add nothing', () => {
    expect(res.map((r) => [r.candidateId, r.total, r.passed])).toEqual([
      ['K1', 50, true],
      ['K2', 49, false],
      ['K3', 40, true],
      ['K4', 70, true],
      ['K5', 70, true],
    ]);
  });

  it('a quota covering every pass selects them all', () => {
    const out = rankCandidates(p, res, 4);
    expect(statuses(out)).toEqual(['K4:selected', 'K5:selected', 'K1:selected', 'K3:selected', 'K2:failed']);
  });

  it('an open tie is left to the board (no head in the chain; a recorded head order is not used)', () => {
    const out = rankCandidates(p, res, 1);
    expect(statuses(out).slice(0, 2)).toEqual(['K4:tie_pending', 'K5:tie_pending']);
    expect(out.rows[0]!.reason).toContain('cần Hội đồng xác định cách phân định.');
    expect(out.tiedGroups).toEqual([{ rank: 1, candidateIds: ['K4', 'K5'], seats: 1, needsHeadDecision: true }]);
  });
});

describe('promotion-nd138-2020, to CVCC: total = đề án + defence (≥100, each ≥50); chain woman → minority → older → longer service → head', () => {
  const p = PROMOTION_ND138_2020;
  const mcs = (ktc = 30, nn = 15, th = 15) => [mc('ktc', ktc, 60), mc('nn', nn, 30), mc('th', th, 30)];
  const male = { gender: 'male' as const, birthDate: '1972-01-01', serviceMonths: 200 };
  const specs: Record<string, { extra: Partial<ProfileCandidate>; scores: PartScoreInput[] }> = {
    P1: { extra: { ...male, gender: 'female' }, scores: [...mcs(), sc('cm_project', 60), sc('cm_defence', 70)] }, // 130
    P2: { extra: { ...male, ethnicMinority: true }, scores: [...mcs(), sc('cm_project', 65), sc('cm_defence', 65)] }, // 130
    P3: { extra: male, scores: [...mcs(), sc('cm_project', 80), sc('cm_defence', 45)] }, // defence < 50
    P4: { extra: { ...male, birthDate: '1970-05-05' }, scores: [...mcs(), sc('cm_project', 50), sc('cm_defence', 50)] }, // 100
    // No priority in promotion exams: the anh hùng code is ignored
    P5: { extra: { ...male, priorityCodes: ['anh_hung'] }, scores: [...mcs(), sc('cm_project', 50), sc('cm_defence', 50)] }, // 100
    P6: { extra: male, scores: [...mcs(29), sc('cm_project', 90), sc('cm_defence', 90)] }, // KTC 29/60 (condition)
    P7: { extra: male, scores: [...mcs(), sc('cm_project', 55), sc('cm_defence', 60)] }, // 115
    // P8 and P9: same as P5 in every criterion but longer service / identical
    P8: { extra: { ...male, serviceMonths: 250 }, scores: [...mcs(), sc('cm_project', 50), sc('cm_defence', 50)] }, // 100
    P9: { extra: male, scores: [...mcs(), sc('cm_project', 50), sc('cm_defence', 50)] }, // 100
  };
  const ids = Object.keys(specs);
  const make = (id: string, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { grade: '01.001', ...specs[id]!.extra, ...extra }), specs[id]!.scores);
  const res = ids.map((id) => make(id));

  it('quota 5: each criterion decides once; P5 and P9 tie after the whole chain', () => {
    const out = rankCandidates(p, res, 5);
    expect(table(out)).toEqual([
      ['P1', 1, 'selected', null],
      ['P2', 2, 'selected', 'female'],
      ['P7', 3, 'selected', 'total'],
      ['P4', 4, 'selected', 'total'],
      ['P8', 5, 'selected', 'older'], // born 1972 vs 1970
      ['P5', 6, 'below_quota', 'longer_service'], // 200 < 250 months
      ['P9', 6, 'below_quota', null],
      ['P3', null, 'failed', null],
      ['P6', null, 'failed', null],
    ]);
    expect(res.find((r) => r.candidateId === 'P5')!.priorityPoints).toBe(0);
    expect(out.rows[7]!.reason).toBe('Không đạt phần "Bảo vệ đề án": 45/100 điểm (45%), yêu cầu từ 50 điểm trở lên.');
    expect(out.rows[8]!.reason).toBe(
      'Không đạt phần "Kiến thức chung (trắc nghiệm)": 29/60 câu đúng (48,33%), yêu cầu từ 50% trở lên.',
    );
  });

  it('ethnic minority decides before age: P2 (minority) over an older man with the same papers', () => {
    const older = computeCandidateResult(p, cand('P2b', { grade: '01.001', ...male, birthDate: '1960-01-01' }), specs.P2!.scores);
    const out = rankCandidates(p, [older, res[1]!], 1);
    expect(table(out)).toEqual([
      ['P2', 1, 'selected', null],
      ['P2b', 2, 'below_quota', 'ethnic_minority'],
    ]);
  });

  it('quota 6: P5 and P9 straddle the quota; the head orders them', () => {
    const open = rankCandidates(p, res, 6);
    expect(open.tiedGroups).toEqual([{ rank: 6, candidateIds: ['P5', 'P9'], seats: 1, needsHeadDecision: true }]);
    expect(open.selectedCount).toBe(5);
    const decided = rankCandidates(p, withHead(make, ids, { P9: 1, P5: 2 }), 6);
    expect(table(decided).slice(5, 7)).toEqual([
      ['P9', 6, 'selected', 'longer_service'],
      ['P5', 7, 'below_quota', 'head_decides'],
    ]);
  });
});

describe('custom: the board adds a counted written part, a condition part, two priority categories; chain = head only', () => {
  const p = applyOverrides(CUSTOM, {
    parts: [
      {
        id: 'viet',
        name: { vi: 'Thi viết', en: 'Written' },
        subject: 'CM',
        round: 1,
        mode: 'written',
        questionCount: null,
        durationMin: 120,
        scoreScale: 100,
        passRule: { kind: 'min_score', score: 50 },
        role: 'counted',
        coefficient: 1,
      },
      {
        id: 'dieu_kien',
        name: { vi: 'Tin học', en: 'IT' },
        subject: 'TH',
        round: 1,
        mode: 'computer_mc',
        questionCount: 30,
        durationMin: 30,
        scoreScale: 30,
        passRule: { kind: 'min_percent', percent: 50 },
        role: 'condition',
        coefficient: null,
      },
    ],
    total: { priorityAddedTo: 'total' },
    priority: {
      categories: [
        { code: 'dtts', label: { vi: 'Dân tộc thiểu số', en: 'Ethnic minority' }, points: 3 },
        { code: 'tb', label: { vi: 'Thương binh', en: 'War invalid' }, points: 5 },
      ],
    },
  });
  const specs: Record<string, { extra?: Partial<ProfileCandidate>; scores: PartScoreInput[] }> = {
    W: { scores: [sc('viet', 70), mc('dieu_kien', 20, 30)] }, // 70
    X: { extra: { priorityCodes: ['dtts', 'tb'] }, scores: [sc('viet', 60), mc('dieu_kien', 15, 30)] }, // 60 + 5 = 65, not 68
    Y: { extra: { priorityCodes: ['dtts'] }, scores: [sc('viet', 62), mc('dieu_kien', 25, 30)] }, // 62 + 3 = 65
    Z: { scores: [sc('viet', 90), mc('dieu_kien', 14, 30)] }, // condition 14/30 fails
  };
  const ids = Object.keys(specs);
  const make = (id: string, extra: Partial<ProfileCandidate> = {}) =>
    computeCandidateResult(p, cand(id, { ...specs[id]!.extra, ...extra }), specs[id]!.scores);
  const res = ids.map((id) => make(id));

  it('quota 2: W selected; X and Y tie at 65 (nothing but the head in the chain) for one seat', () => {
    expect(res.map((r) => r.total)).toEqual([70, 65, 65, 90]);
    const out = rankCandidates(p, res, 2);
    expect(table(out)).toEqual([
      ['W', 1, 'selected', null],
      ['X', 2, 'tie_pending', 'total'],
      ['Y', 2, 'tie_pending', null],
      ['Z', null, 'failed', null],
    ]);
    expect(out.tiedGroups).toEqual([{ rank: 2, candidateIds: ['X', 'Y'], seats: 1, needsHeadDecision: true }]);
  });

  it('the head picks Y; quota 1 and 3 need no decision', () => {
    const out = rankCandidates(p, withHead(make, ids, { Y: 1, X: 2 }), 2);
    expect(statuses(out)).toEqual(['W:selected', 'Y:selected', 'X:below_quota', 'Z:failed']);
    expect(out.rows[2]!.decidedBy).toBe('head_decides');
    expect(rankCandidates(p, res, 1).tiedGroups[0]!.needsHeadDecision).toBe(false);
    expect(rankCandidates(p, res, 3).selectedCount).toBe(3);
  });
});

describe('issue 12, error 1: a partly right multiple-answer question is not a correct answer', () => {
  // NĐ 138/2020 Điều 8 k1: "Kết quả thi vòng 1 được xác định theo số câu trả lời đúng cho từng phần
  // thi …, nếu trả lời đúng từ 50% số câu hỏi trở lên cho từng phần thi thì người dự tuyển được thi
  // tiếp vòng 2" [S18] (lawnet 67370). 29 questions fully right and three multiple-answer questions
  // with one of three right options ticked: 29 correct answers of 60 = 48.3%, a fail. This test used to
  // pass the candidate by summing ⅓ + ⅓ + ⅓ (29.999999999999996 ≈ 30 of 60).
  let partial = 0;
  for (const credit of [...new Array<number>(29).fill(1), 1 / 3, 1 / 3, 1 / 3]) partial += credit;
  const p = applyOverrides(ND138_2020, { choices: [{ id: 'round2_format', selected: 'written' }] });

  it('graded as the law counts (29 of 60), the candidate fails round 1 and is not ranked (nd138-2020)', () => {
    const r = computeCandidateResult(p, cand('a'), [mc('r1_ktc', 29, 60), mc('r1_nn', 15, 30), sc('r2_written', 70)]);
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => [x.code, x.partId])).toEqual([['part_failed', 'r1_ktc']]);
    expect(r.reasons[0]!.message).toContain(': 29/60 câu đúng (48,33%), yêu cầu từ 50% trở lên.');
    expect(rankCandidates(p, [r], 1).rows[0]!.status).toBe('failed');
  });

  it('a fractional "correct" count is refused under every official profile, never rounded into a pass', () => {
    const r = computeCandidateResult(p, cand('a'), [mc('r1_ktc', partial, 60), mc('r1_nn', 15, 30), sc('r2_written', 70)]);
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => [x.code, x.partId])).toEqual([['invalid_score', 'r1_ktc']]);
  });

  it('the tie-break "số câu trả lời đúng" of KTC (nd116-2024) counts whole answers', () => {
    const q = applyOverrides(ND116_2024, { choices: [{ id: 'round2_format', selected: 'written' }] });
    const r = computeCandidateResult(q, cand('a'), [mc('r1_ktc', 31, 60), mc('r1_nn', 15, 30), sc('r2_written', 70)]);
    expect(r.tie.ktcCorrect).toBe(31);
  });

  it('only the custom profile, outside the regulations, sums partial credit: 30 of 60 passes exactly at 50%', () => {
    expect(partial).not.toBe(30);
    expect(Math.abs(partial - 30)).toBeLessThan(1e-12);
    expect(partPassed({ passRule: { kind: 'min_percent', percent: 50 }, scoreScale: 60 }, { correct: partial, total: 60 })).toBe(
      true,
    );
    expect(
      partPassed({ passRule: { kind: 'min_percent', percent: 50 }, scoreScale: 60 }, { correct: partial - 1 / 3, total: 60 }),
    ).toBe(false);
    const custom = applyOverrides(CUSTOM, {
      partialCredit: true,
      parts: [
        {
          id: 'mc',
          name: { vi: 'Trắc nghiệm', en: 'MC' },
          subject: 'KTC',
          round: 1,
          mode: 'computer_mc',
          questionCount: 60,
          durationMin: 60,
          scoreScale: 60,
          passRule: { kind: 'min_percent', percent: 50 },
          role: 'counted',
          coefficient: 1,
        },
      ],
    });
    const r = computeCandidateResult(custom, cand('a'), [mc('mc', partial, 60)]);
    expect(r.reasons).toEqual([]);
    expect(r.passed).toBe(true);
  });
});
