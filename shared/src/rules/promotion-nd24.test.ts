/**
 * Worked examples for thi nâng ngạch công chức 2010–2020 (NĐ 24/2010 + TT 13/2010 + TT 05/2012), the
 * regime the Hậu Giang plan of 3/10/2013 (../shared/seed) calls for: "tổ chức thi nâng ngạch công chức
 * theo nguyên tắc cạnh tranh". The subjects (KTC, chuyên môn, ngoại ngữ, tin học), the time in grade
 * and the eligibility are encoded; who passes was NOT FOUND, so the pass marks, the coefficients of the
 * counted subjects and the tie-break are the board's settings. The examples show the profile refusing to
 * total until they are set, then the board's settings driving pass, ranking and ties.
 */
import { describe, expect, it } from 'vitest';
import {
  applicableParts,
  applyOverrides,
  checkEligibility,
  computeCandidateResult,
  type PartScoreInput,
  PROMOTION_ND24_2010,
  PROMOTION_ND138_2020,
  type ProfileCandidate,
  profileInForce,
  rankCandidates,
  sortByInForce,
  validateProfile,
} from './index.js';

const sc = (partId: string, score: number): PartScoreInput => ({ partId, score });
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({ id, grade: '01.002', ...extra });
const four = (ktc: number, cm: number, nn = 60, th = 60) => [sc('ktc', ktc), sc('cm', cm), sc('nn', nn), sc('th', th)];

/** One board's settings (e.g. its plan under QĐ 1344/QĐ-BNV): every subject ≥ 50, KTC ×1 + CM ×1, ties on CM. */
const board = applyOverrides(PROMOTION_ND24_2010, {
  parts: [
    { id: 'ktc', coefficient: 1, passRule: { kind: 'min_score', score: 50 } },
    { id: 'cm', coefficient: 1, passRule: { kind: 'min_score', score: 50 } },
    { id: 'nn', passRule: { kind: 'min_score', score: 50 } },
    { id: 'th', passRule: { kind: 'min_score', score: 50 } },
  ],
  tieBreak: { chain: ['female', 'head_decides'] },
});

describe('promotion-nd24-2010', () => {
  it('dates: in force up to 30/11/2020, then promotion-nd138-2020; the 2013 plan of Hậu Giang falls under it', () => {
    expect(profileInForce(PROMOTION_ND24_2010, '2013-11-15').inForce).toBe(true);
    expect(profileInForce(PROMOTION_ND24_2010, '2020-11-30').inForce).toBe(true);
    expect(profileInForce(PROMOTION_ND24_2010, '2020-12-01').inForce).toBe(false);
    expect(profileInForce(PROMOTION_ND138_2020, '2013-11-15').inForce).toBe(false);
    const sorted = sortByInForce([PROMOTION_ND138_2020, PROMOTION_ND24_2010], '2013-11-15').map((p) => p.id);
    expect(sorted).toEqual(['promotion-nd24-2010', 'promotion-nd138-2020']);
  });

  it('the subjects KTC, chuyên môn, ngoại ngữ, tin học; NN and TH exempt on a degree; valid apart from its gaps', () => {
    expect(PROMOTION_ND24_2010.parts.map((x) => [x.id, x.subject, x.role])).toEqual([
      ['ktc', 'KTC', 'counted'],
      ['cm', 'CM', 'counted'],
      ['nn', 'NN', 'condition'],
      ['th', 'TH', 'condition'],
    ]);
    expect(applicableParts(PROMOTION_ND24_2010, ['foreign_language', 'it']).map((x) => x.id)).toEqual(['ktc', 'cm']);
    const issues = validateProfile(PROMOTION_ND24_2010);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.filter((i) => i.path.endsWith('.coefficient')).map((i) => i.path)).toEqual([
      'parts[ktc].coefficient',
      'parts[cm].coefficient',
    ]);
    expect(PROMOTION_ND24_2010.gaps[0]).toMatch(/^Điều kiện trúng tuyển kỳ thi nâng ngạch .*KHÔNG TÌM THẤY/);
  });

  it('as shipped the total is not computed: the pass rule is NOT FOUND and nothing is guessed', () => {
    const r = computeCandidateResult(PROMOTION_ND24_2010, cand('a'), four(90, 90));
    expect([r.passed, r.total]).toEqual([false, null]);
    expect(r.reasons.map((x) => x.code)).toEqual(['config_incomplete', 'config_incomplete']);
  });

  it('pass, with the board’s settings: each subject ≥ 50; a foreign-language degree exempts NN (Điều 9)', () => {
    expect(computeCandidateResult(board, cand('a'), four(50, 50)).passed).toBe(true);
    const r = computeCandidateResult(board, cand('b'), four(80, 49));
    expect([r.passed, r.reasons.map((x) => [x.code, x.partId])]).toEqual([false, [['part_failed', 'cm']]]);
    const ex = computeCandidateResult(board, cand('c', { exemptions: ['foreign_language'] }), [
      sc('ktc', 70),
      sc('cm', 70),
      sc('th', 55),
    ]);
    expect([ex.passed, ex.total]).toEqual([true, 140]);
  });

  it('priority: none in a promotion exam (no category is added to the total)', () => {
    const r = computeCandidateResult(board, cand('a', { priorityCodes: ['anh_hung'] }), four(60, 60));
    expect([r.priorityPoints, r.total]).toEqual([0, 120]);
  });

  it('ranking on the competitive principle within the quota; ties by the board’s chain (woman, then the head)', () => {
    const results = [
      computeCandidateResult(board, cand('A', { gender: 'male' }), four(70, 80)), // 150
      computeCandidateResult(board, cand('B', { gender: 'female' }), four(75, 75)), // 150, woman
      computeCandidateResult(board, cand('C', { gender: 'male' }), four(80, 70)), // 150
      computeCandidateResult(board, cand('D', { gender: 'male' }), four(90, 90)), // 180
      computeCandidateResult(board, cand('E', { gender: 'male' }), four(95, 40)), // fails CM
    ];
    const out = rankCandidates(board, results, 3);
    expect(out.rows.map((r) => [r.candidateId, r.rank, r.status, r.decidedBy])).toEqual([
      ['D', 1, 'selected', null],
      ['B', 2, 'selected', 'total'],
      ['A', 3, 'tie_pending', 'female'],
      ['C', 3, 'tie_pending', null],
      ['E', null, 'failed', null],
    ]);
    // with the profile's own (empty) chain the same tie is left to the council, not to a guessed rule
    const plain = applyOverrides(board, { tieBreak: { chain: [] } });
    const open = rankCandidates(plain, results, 3);
    expect(open.tiedGroups[0]).toMatchObject({ candidateIds: ['A', 'B', 'C'], seats: 2, needsHeadDecision: true });
    expect(open.rows[0]!.status).toBe('selected');
  });

  it('eligibility: CV → CVC after 9 years (probation excluded), rated “tốt” 3 years running, no discipline', () => {
    const ok = { currentGrade: '01.003' as const, targetGrade: '01.002' as const, yearsInGrade: 9, underDiscipline: false };
    expect(checkEligibility(PROMOTION_ND24_2010, { ...ok, ratings: ['tot', 'xuat_sac', 'tot'] })).toEqual([]);
    const short = checkEligibility(PROMOTION_ND24_2010, { ...ok, yearsInGrade: 8.9, ratings: ['tot', 'tot', 'tot'] });
    expect(short.map((i) => i.code)).toEqual(['years_in_grade']);
    const rated = checkEligibility(PROMOTION_ND24_2010, { ...ok, ratings: ['tot', 'hoan_thanh', 'tot'] });
    expect(rated.map((i) => i.code)).toEqual(['rating']);
    expect(checkEligibility(PROMOTION_ND24_2010, { ...ok, ratings: ['tot', 'tot'] }).map((i) => i.code)).toEqual(['rating']);
  });
});
