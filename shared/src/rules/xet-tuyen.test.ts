/**
 * Worked examples for xét tuyển under NĐ 170/2025 (Điều 5, 6, 11; news.laodong 1585140, 1534613):
 * round 2 vấn đáp out of 100, priority points added to round 2, ties broken by the higher round 2 and
 * then by the head of the recruiting body. The pass mark is 50 (Điều 12 k1 a, news.laodong.vn 1588155;
 * it was a board setting before that page was found).
 */
import { describe, expect, it } from 'vitest';
import { computeCandidateResult, type ProfileCandidate, rankCandidates, validateProfile, XET_TUYEN_ND170_2025 } from './index.js';

const p = XET_TUYEN_ND170_2025;
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({
  id,
  choices: { xet_tuyen_group: 'vung_dac_biet_kho_khan' },
  ...extra,
});
const oral = (score: number) => [{ partId: 'r2_oral', score }];

describe('xet-tuyen-nd170-2025', () => {
  it('the profile: one oral of 30′ out of 100, three groups, valid apart from its gaps', () => {
    expect(XET_TUYEN_ND170_2025.parts.map((x) => [x.id, x.mode, x.durationMin, x.scoreScale])).toEqual([
      ['r2_oral', 'oral', 30, 100],
    ]);
    expect(XET_TUYEN_ND170_2025.choices[0]!.options.map((o) => o.id)).toEqual(['vung_dac_biet_kho_khan', 'cu_tuyen', 'tai_nang']);
    expect(validateProfile(XET_TUYEN_ND170_2025).filter((i) => i.severity === 'error')).toEqual([]);
    // Điều 12 k1 a: round 2 ≥ 50 (no longer a board setting)
    expect(XET_TUYEN_ND170_2025.parts[0]!.passRule).toEqual({ kind: 'min_score', score: 50 });
    expect(XET_TUYEN_ND170_2025.gaps.some((g) => g.startsWith('Điểm đạt vòng 2'))).toBe(false);
  });

  it('pass: 50 passes, 49.5 fails (Điều 12 k1 a)', () => {
    expect(computeCandidateResult(p, cand('a'), oral(50)).passed).toBe(true);
    const r = computeCandidateResult(p, cand('b'), oral(49.5));
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(['part_failed']);
  });

  it('priority: thương binh loại B +7.5 on round 2, only the highest of two categories', () => {
    const r = computeCandidateResult(p, cand('a', { priorityCodes: ['thuong_binh_loai_b', 'tnxp'] }), oral(60));
    expect([r.round2Score, r.priorityPoints, r.total]).toEqual([60, 7.5, 67.5]);
  });

  it('ranking and every tie-break step: total, then the higher round 2, then the head decides', () => {
    // A 70 (no priority) = 70; B 65 + 5 (dân tộc thiểu số) = 70; C 68 + 2.5 (xuất ngũ) = 70.5; D 70 = 70; E 45 fails
    const res = [
      computeCandidateResult(p, cand('A'), oral(70)),
      computeCandidateResult(p, cand('B', { priorityCodes: ['dan_toc_thieu_so'] }), oral(65)),
      computeCandidateResult(p, cand('C', { priorityCodes: ['xuat_ngu'] }), oral(68)),
      computeCandidateResult(p, cand('D'), oral(70)),
      computeCandidateResult(p, cand('E'), oral(45)),
    ];
    const out = rankCandidates(p, res, 2);
    expect(out.rows.map((r) => [r.candidateId, r.rank, r.status, r.decidedBy])).toEqual([
      ['C', 1, 'selected', null],
      ['A', 2, 'tie_pending', 'total'],
      ['D', 2, 'tie_pending', null],
      ['B', 4, 'below_quota', 'round2_score'], // 70 = 70 in total, but round 2 65 < 70
      ['E', null, 'failed', null],
    ]);
    expect(out.tiedGroups[0]).toMatchObject({ candidateIds: ['A', 'D'], seats: 1, needsHeadDecision: true });
    // the head's recorded order settles A and D
    const decided = rankCandidates(
      p,
      res.map((r) =>
        r.candidateId === 'D'
          ? { ...r, tie: { ...r.tie, headDecisionOrder: 1 } }
          : r.candidateId === 'A'
            ? { ...r, tie: { ...r.tie, headDecisionOrder: 2 } }
            : r,
      ),
      2,
    );
    expect(decided.rows.slice(0, 3).map((r) => [r.candidateId, r.status, r.decidedBy])).toEqual([
      ['C', 'selected', null],
      ['D', 'selected', 'total'],
      ['A', 'below_quota', 'head_decides'],
    ]);
  });
});
