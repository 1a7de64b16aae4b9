/**
 * Worked examples for viên chức under NĐ 115/2020 as amended by NĐ 85/2023 (in force 7/12/2023), each
 * fact quoted with its page in vien-chuc-nd85-2023.ts:
 * - thi tuyển: round 1 computer MC, Part I KTC 60/60′ (a kiểm định pass exempts it), Part II NN 30/30′
 *   (not held when the position needs no foreign language), ≥ 50 % correct answers in each part; round 2
 *   interview, practical or written out of 100; priority 7.5 / 5 / 2.5 on round 2 (Điều 6);
 * - xét tuyển: round 1 checks the application, with a foreign-language check only for a candidate without
 *   a suitable certificate; round 2 as for the exam (Điều 11 k2 → Điều 9 k2);
 * - xét thăng hạng: no paper; candidates who meet Điều 32 pass; over the quota, the order of Điều 40 k2:
 *   achievements → woman → ethnic minority → older → longer service.
 * The round-2 pass mark (Điều 10 / 12) was NOT FOUND: the examples set the board's mark (50) by override.
 */
import { describe, expect, it } from 'vitest';
import {
  applicableParts,
  applyOverrides,
  type CandidateResult,
  checkEligibility,
  computeCandidateResult,
  isEligible,
  lateAdmissionLimit,
  type PartScoreInput,
  type ProfileCandidate,
  profileInForce,
  type RegulationProfile,
  rankCandidates,
  VC_THI_TUYEN_ND85_2023,
  VC_XET_THANG_HANG_ND85_2023,
  VC_XET_TUYEN_ND85_2023,
  validateProfile,
} from './index.js';

const mc = (partId: string, correct: number, total: number): PartScoreInput => ({ partId, correct, total });
const sc = (partId: string, score: number): PartScoreInput => ({ partId, score });
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({ id, ...extra });
const ids = (rows: { candidateId: string }[]) => rows.map((r) => r.candidateId);
const withHead = (results: CandidateResult[], order: Record<string, number>) =>
  results.map((r) =>
    order[r.candidateId] === undefined ? r : { ...r, tie: { ...r.tie, headDecisionOrder: order[r.candidateId]! } },
  );

/** The board's settings for an exam: written round 2, pass mark 50. */
const boardSettings = (p: RegulationProfile) =>
  applyOverrides(p, {
    choices: [{ id: 'round2_format', selected: 'written' }],
    parts: [{ id: 'r2_written', passRule: { kind: 'min_score', score: 50 }, durationMin: 180 }],
  });

describe('vc-thi-tuyen-nd85-2023', () => {
  const p = boardSettings(VC_THI_TUYEN_ND85_2023);
  const r1 = (ktc: number, nn: number) => [mc('r1_ktc', ktc, 60), mc('r1_nn', nn, 30)];

  it('the profile: in force from 7/12/2023; KTC 60/60′ and NN 30/30′ on computer, no tin học; three round-2 formats', () => {
    const v = VC_THI_TUYEN_ND85_2023;
    expect(profileInForce(v, '2023-12-06').inForce).toBe(false);
    expect(profileInForce(v, '2026-03-15').inForce).toBe(true);
    expect(v.parts.map((x) => [x.id, x.mode, x.questionCount, x.durationMin])).toEqual([
      ['r1_ktc', 'computer_mc', 60, 60],
      ['r1_nn', 'computer_mc', 30, 30],
      ['r2_interview', 'interview', null, null],
      ['r2_practical', 'practical', null, null],
      ['r2_written', 'written', null, null],
    ]);
    expect(v.parts.some((x) => x.subject === 'TH')).toBe(false);
    expect(v.choices[0]!.options.map((o) => o.id)).toEqual(['interview', 'practical', 'written']);
    expect(validateProfile(v).filter((i) => i.severity === 'error')).toEqual([]);
    // the pass mark and the round-2 durations are the board's until found
    expect(v.parts.filter((x) => x.round === 2).every((x) => x.passRule.kind === 'none')).toBe(true);
    expect(v.gaps.some((g) => g.startsWith('Điểm đạt vòng 2'))).toBe(true);
    expect([v.showResultImmediately, v.noPhucKhaoComputerRound1, v.partialCredit]).toEqual([true, true, false]);
    // TT 001/2025: 5′ for a 30′ paper, 10′ for a 60′ paper, then the chair decides
    expect([lateAdmissionLimit(v, 30), lateAdmissionLimit(v, 60), lateAdmissionLimit(v, 45)]).toEqual([5, 10, 'chair_decides']);
  });

  it('pass, round 1: 30/60 and 15/30 pass, 29/60 or 14/30 fail; only whole answers count', () => {
    expect(computeCandidateResult(p, cand('a'), [...r1(30, 15), sc('r2_written', 60)]).passed).toBe(true);
    const ktc = computeCandidateResult(p, cand('b'), [...r1(29, 30), sc('r2_written', 90)]);
    expect([ktc.passed, ktc.conditionsMet, ktc.reasons[0]!.message]).toEqual([
      false,
      false,
      'Không đạt phần "Vòng 1 — Phần I: Kiến thức chung": 29/60 câu đúng (48,33%), yêu cầu từ 50% trở lên.',
    ]);
    expect(computeCandidateResult(p, cand('c'), [...r1(40, 14), sc('r2_written', 90)]).passed).toBe(false);
    expect(
      computeCandidateResult(p, cand('d'), [mc('r1_ktc', 29.5, 60), mc('r1_nn', 20, 30), sc('r2_written', 90)]).reasons[0]!.code,
    ).toBe('invalid_score');
  });

  it('pass, exemptions: a valid kiểm định pass skips Part I; Part II is not held when the position needs no foreign language', () => {
    const kd = { resultDate: '2025-01-10', correct: 60, total: 100, passed: true };
    const r = computeCandidateResult(
      p,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: kd }),
      [mc('r1_nn', 15, 30), sc('r2_written', 55)],
      {
        examDate: '2026-01-09',
      },
    );
    expect(r.parts.find((x) => x.partId === 'r1_ktc')).toMatchObject({ status: 'exempt', exemptedBy: 'kiem_dinh' });
    expect(r.passed).toBe(true);
    // 24 months after 10/1/2025 is 10/1/2027; an exam on 11/1/2027 is too late
    const late = computeCandidateResult(
      p,
      cand('b', { exemptions: ['kiem_dinh'], kiemDinh: kd }),
      [mc('r1_nn', 15, 30), sc('r2_written', 55)],
      {
        examDate: '2027-01-11',
      },
    );
    expect(late.reasons.map((x) => x.code)).toEqual(['score_missing']);
    expect(applicableParts(p, [], { foreignLanguageRequired: false }).map((x) => x.id)).toEqual(['r1_ktc', 'r2_written']);
    expect(applicableParts(p, ['foreign_language']).map((x) => x.id)).toEqual(['r1_ktc', 'r2_written']);
  });

  it('pass, round 2 with the board’s mark of 50: 50 passes, 49.5 fails', () => {
    expect(computeCandidateResult(p, cand('a'), [...r1(40, 20), sc('r2_written', 50)]).passed).toBe(true);
    const r = computeCandidateResult(p, cand('b'), [...r1(40, 20), sc('r2_written', 49.5)]);
    expect([r.passed, r.reasons.map((x) => x.code)]).toEqual([false, ['part_failed']]);
    // as shipped, the profile ranks no one until the board chooses the round-2 format (and sets its mark)
    expect(computeCandidateResult(VC_THI_TUYEN_ND85_2023, cand('c'), [...r1(40, 20), sc('r2_written', 10)], {}).reasons).toEqual([
      expect.objectContaining({ code: 'config_incomplete' }),
    ]);
  });

  it('priority (Điều 6): 7.5 / 5 / 2.5 on round 2, highest only; the công chức 1.5 is not in the viên chức list', () => {
    const at = (codes: string[]) =>
      computeCandidateResult(p, cand('a', { priorityCodes: codes }), [...r1(40, 20), sc('r2_written', 60)]);
    expect([at(['thuong_binh_loai_b', 'tnxp']).total, at(['co_yeu']).total, at(['xuat_ngu']).total]).toEqual([67.5, 65, 62.5]);
    const cd = at(['can_bo_cong_doan']);
    expect([cd.priorityPoints, cd.total, cd.warnings.map((w) => w.code)]).toEqual([0, 60, ['unknown_priority']]);
  });

  it('ranking and every tie-break step: total, then the higher round 2, then the head decides', () => {
    // A 70; B 65 + 5 = 70; C 72; D 70; E fails round 1
    const results = [
      computeCandidateResult(p, cand('A'), [...r1(40, 20), sc('r2_written', 70)]),
      computeCandidateResult(p, cand('B', { priorityCodes: ['dan_toc_thieu_so'] }), [...r1(40, 20), sc('r2_written', 65)]),
      computeCandidateResult(p, cand('C'), [...r1(40, 20), sc('r2_written', 72)]),
      computeCandidateResult(p, cand('D'), [...r1(40, 20), sc('r2_written', 70)]),
      computeCandidateResult(p, cand('E'), [...r1(20, 20), sc('r2_written', 99)]),
    ];
    const out = rankCandidates(p, results, 2);
    expect(out.rows.map((r) => [r.candidateId, r.rank, r.status, r.decidedBy])).toEqual([
      ['C', 1, 'selected', null],
      ['A', 2, 'tie_pending', 'total'],
      ['D', 2, 'tie_pending', null],
      ['B', 4, 'below_quota', 'round2_score'], // 70 = 70, but round 2 65 < 70
      ['E', null, 'failed', null],
    ]);
    expect(out.tiedGroups[0]).toMatchObject({ candidateIds: ['A', 'D'], seats: 1, needsHeadDecision: true });
    const decided = rankCandidates(p, withHead(results, { D: 1, A: 2 }), 2);
    expect(decided.rows.slice(0, 3).map((r) => [r.candidateId, r.status, r.decidedBy])).toEqual([
      ['C', 'selected', null],
      ['D', 'selected', 'total'],
      ['A', 'below_quota', 'head_decides'],
    ]);
  });
});

describe('vc-xet-tuyen-nd85-2023', () => {
  const p = boardSettings(VC_XET_TUYEN_ND85_2023);

  it('round 1 checks the application: the foreign-language check only without a certificate and only where required', () => {
    expect(validateProfile(VC_XET_TUYEN_ND85_2023).filter((i) => i.severity === 'error')).toEqual([]);
    expect(applicableParts(p, []).map((x) => x.id)).toEqual(['r1_nn_sat_hach', 'r2_written']);
    expect(applicableParts(p, ['foreign_language']).map((x) => x.id)).toEqual(['r2_written']);
    expect(applicableParts(p, [], { foreignLanguageRequired: false }).map((x) => x.id)).toEqual(['r2_written']);
    // round 2 is the exam's round 2 (Điều 11 k2 → Điều 9 k2)
    expect(VC_XET_TUYEN_ND85_2023.parts.filter((x) => x.round === 2).map((x) => x.id)).toEqual(
      VC_THI_TUYEN_ND85_2023.parts.filter((x) => x.round === 2).map((x) => x.id),
    );
  });

  it('pass: with a certificate and round 2 at the board’s 50 the candidate passes; 49 fails; a missing check blocks', () => {
    expect(computeCandidateResult(p, cand('a', { exemptions: ['foreign_language'] }), [sc('r2_written', 50)]).passed).toBe(true);
    expect(computeCandidateResult(p, cand('b', { exemptions: ['foreign_language'] }), [sc('r2_written', 49)]).passed).toBe(false);
    const r = computeCandidateResult(p, cand('c'), [sc('r2_written', 80)]);
    expect(r.reasons.map((x) => [x.code, x.partId])).toEqual([['score_missing', 'r1_nn_sat_hach']]);
  });

  it('priority and ranking: round 2 + the highest category; ties by round 2, then the head', () => {
    const ex = { exemptions: ['foreign_language'] as const };
    const results = [
      computeCandidateResult(p, cand('A', { ...ex, priorityCodes: ['anh_hung'] }), [sc('r2_written', 60)]), // 67.5
      computeCandidateResult(p, cand('B', { ...ex }), [sc('r2_written', 67.5)]), // 67.5
      computeCandidateResult(p, cand('C', { ...ex, priorityCodes: ['xuat_ngu'] }), [sc('r2_written', 65)]), // 67.5
      computeCandidateResult(p, cand('D', { ...ex }), [sc('r2_written', 65)]), // 65
    ];
    expect(results.map((r) => r.total)).toEqual([67.5, 67.5, 67.5, 65]);
    const out = rankCandidates(p, results, 1);
    expect(out.rows.map((r) => [r.candidateId, r.rank, r.status, r.decidedBy])).toEqual([
      ['B', 1, 'selected', null], // round 2 67.5 beats 65 and 60
      ['C', 2, 'below_quota', 'round2_score'],
      ['A', 3, 'below_quota', 'round2_score'],
      ['D', 4, 'below_quota', 'total'],
    ]);
  });
});

describe('vc-xet-thang-hang-nd85-2023', () => {
  const p = VC_XET_THANG_HANG_ND85_2023;
  const eligible = (id: string, extra: Partial<ProfileCandidate> = {}) => computeCandidateResult(p, cand(id, extra), []);

  it('the profile: a review (no paper), the order of Điều 40 k2 a–đ and nothing after it', () => {
    expect(p.kind).toBe('title_promotion');
    expect(p.parts).toEqual([]);
    expect(p.total.basis).toBe('review');
    expect(p.tieBreak.chain).toEqual(['achievement', 'female', 'ethnic_minority', 'older', 'longer_service']);
    expect(validateProfile(p)).toEqual([]);
    expect(p.gaps.some((g) => g.startsWith('Điều 40 khoản 2: phần sau điểm đ)'))).toBe(true);
    // a review with a part is refused
    const withPart = applyOverrides(p, { parts: [{ ...VC_THI_TUYEN_ND85_2023.parts[0]! }] });
    expect(validateProfile(withPart).map((i) => [i.path, i.severity])).toEqual([['parts', 'error']]);
  });

  it('pass: a candidate who meets Điều 32 passes with no score; “tốt” last year and no discipline are required', () => {
    const r = eligible('a');
    expect([r.passed, r.total, r.reasons]).toEqual([true, 0, []]);
    const base = { currentGrade: null, targetGrade: null, yearsInGrade: null, underDiscipline: false };
    expect(isEligible(p, { ...base, ratings: ['tot'] })).toBe(true);
    expect(checkEligibility(p, { ...base, ratings: ['tot'] }).map((i) => [i.code, i.blocking])).toEqual([['rule_unset', false]]);
    expect(
      checkEligibility(p, { ...base, ratings: ['hoan_thanh'] })
        .filter((i) => i.blocking)
        .map((i) => i.code),
    ).toEqual(['rating']);
    expect(
      checkEligibility(p, { ...base, ratings: ['xuat_sac'], underDiscipline: true })
        .filter((i) => i.blocking)
        .map((i) => i.code),
    ).toEqual(['discipline']);
  });

  it('priority: no points are added (a review has none); the priority is the order of the chain', () => {
    const r = eligible('a', { priorityCodes: ['anh_hung'] });
    expect([r.priorityPoints, r.total, r.warnings]).toEqual([0, 0, []]);
  });

  it('ranking over the quota and every step: achievements → woman → ethnic minority → older → longer service', () => {
    const results = [
      eligible('A', { achievementLevel: 3, gender: 'male' }), // the highest achievements
      eligible('B', { achievementLevel: 2, gender: 'male' }),
      eligible('C', { achievementLevel: 2, gender: 'female' }), // woman beats B
      eligible('D', { achievementLevel: 1, gender: 'female', ethnicMinority: true, birthDate: '1980-05-01' }),
      eligible('E', { achievementLevel: 1, gender: 'female', ethnicMinority: false, birthDate: '1970-01-01' }), // ethnic minority D first
      eligible('F', { achievementLevel: 0, gender: 'male', birthDate: '1975-03-02' }),
      eligible('G', { achievementLevel: 0, gender: 'male', birthDate: '1975-03-01' }), // a day older than F
      eligible('H', { achievementLevel: null, gender: 'male', birthDate: '1975-03-02', serviceMonths: 240 }),
      eligible('I', { achievementLevel: null, gender: 'male', birthDate: '1975-03-02', serviceMonths: 241 }), // longer service
    ];
    const out = rankCandidates(p, results, 8);
    expect(out.rows.map((r) => [r.candidateId, r.rank, r.decidedBy])).toEqual([
      ['A', 1, null],
      ['C', 2, 'achievement'],
      ['B', 3, 'female'],
      ['D', 4, 'achievement'],
      ['E', 5, 'ethnic_minority'],
      ['G', 6, 'achievement'],
      ['F', 7, 'older'],
      ['I', 8, 'achievement'],
      ['H', 9, 'longer_service'],
    ]);
    expect(ids(out.rows.filter((r) => r.selected))).toEqual(['A', 'C', 'B', 'D', 'E', 'G', 'F', 'I']);
  });

  it('a tie the chain leaves open is marked for the council (no head step in the text found); the board may add one', () => {
    const same = {
      achievementLevel: 1,
      gender: 'female' as const,
      ethnicMinority: false,
      birthDate: '1980-01-01',
      serviceMonths: 200,
    };
    const results = [eligible('X', same), eligible('Y', same)];
    const out = rankCandidates(p, results, 1);
    expect(out.tiedGroups[0]).toMatchObject({ candidateIds: ['X', 'Y'], seats: 1, needsHeadDecision: true });
    expect(out.rows[0]!.reason).toContain('cần Hội đồng xác định cách phân định');
    const withHeadStep = applyOverrides(p, { tieBreak: { chain: [...p.tieBreak.chain, 'head_decides'] } });
    const settled = rankCandidates(withHeadStep, withHead(results, { Y: 1, X: 2 }), 1);
    expect(settled.rows.map((r) => [r.candidateId, r.status, r.decidedBy])).toEqual([
      ['Y', 'selected', null],
      ['X', 'below_quota', 'head_decides'],
    ]);
  });
});
