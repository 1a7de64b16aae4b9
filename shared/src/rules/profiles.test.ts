/**
 * Worked examples for every profile: pass/fail at exactly 50%, condition parts, coefficients, only the
 * highest priority counting, exemptions, sanctions, and the ranking with each profile's tie-break chain.
 */
import { describe, expect, it } from 'vitest';
import {
  applicableParts,
  applyOverrides,
  type CandidateResult,
  CUSTOM,
  computeCandidateResult,
  getProfile,
  KIEM_DINH_ND06_2023,
  lateAdmissionLimit,
  maxBaseScore,
  ND24_2010,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  type PartScoreInput,
  PROFILE_IDS,
  PROFILES,
  PROMOTION_ND138_2020,
  type ProfileCandidate,
  type RegulationProfile,
  rankCandidates,
  validateProfile,
} from './index.js';

const mc = (partId: string, correct: number, total: number): PartScoreInput => ({ partId, correct, total });
const sc = (partId: string, score: number): PartScoreInput => ({ partId, score });
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({ id, ...extra });
const part = (r: CandidateResult, id: string) => r.parts.find((p) => p.partId === id)!;
const order = (rows: { candidateId: string }[]) => rows.map((r) => r.candidateId);

describe('profile registry', () => {
  it('has the twelve profiles, each valid apart from documented gaps', () => {
    expect(PROFILE_IDS).toHaveLength(12);
    for (const id of PROFILE_IDS) {
      const p = getProfile(id)!;
      expect(p.id).toBe(id);
      expect(validateProfile(p).filter((i) => i.severity === 'error')).toEqual([]);
      // Every built-in profile but custom cites the reference, except the review for thăng hạng viên
      // chức, whose facts all come from pages found with the search tool (named in its source fields).
      if (id === 'vc-xet-thang-hang-nd85-2023') expect(p.tieBreak.source).toContain('NĐ 85/2023');
      else if (id !== 'custom') expect(p.sources.length).toBeGreaterThan(0);
    }
    expect(getProfile('nd999')).toBeUndefined();
  });

  it('profiles are frozen', () => {
    expect(Object.isFrozen(PROFILES['nd138-2020'].parts[0])).toBe(true);
    expect(() => {
      (PROFILES['nd138-2020'].parts[0] as { durationMin: number | null }).durationMin = 1;
    }).toThrow();
  });
});

describe('nd24-2010', () => {
  const p = ND24_2010;
  const full = (ktc: number, w: number, m: number, nn = 60, th = 60) => [
    sc('ktc', ktc),
    sc('nvcn_written', w),
    sc('nvcn_mc', m),
    sc('nn', nn),
    sc('th', th),
  ];

  it('KTC×1 + NVCN written×2 + NVCN MC×1, max 400; NN and TH are conditions, not added', () => {
    expect(maxBaseScore(p)).toBe(400);
    const r = computeCandidateResult(p, cand('a'), full(70, 80, 60, 95, 99));
    expect(r.baseScore).toBe(290); // 70 + 2×80 + 60; the 95 and 99 are not added
    expect(part(r, 'nvcn_written').weighted).toBe(160);
    expect(part(r, 'nn').weighted).toBeNull();
    expect(r.total).toBe(290);
    expect(r.passed).toBe(true);
    expect(r.conditionsMet).toBe(true);
  });

  it('only the highest priority counts: +30 and +20 give +30', () => {
    const r = computeCandidateResult(
      p,
      cand('a', { priorityCodes: ['dan_toc_thieu_so', 'thuong_binh', 'xuat_ngu'] }),
      full(70, 80, 60),
    );
    expect(r.priorityPoints).toBe(30);
    expect(r.priorityCode).toBe('thuong_binh');
    expect(r.total).toBe(320);
  });

  it('every paper needs ≥50: exactly 50 passes, 49 fails; a failed condition fails the candidate', () => {
    expect(computeCandidateResult(p, cand('a'), full(50, 50, 50, 50, 50)).passed).toBe(true);
    const r = computeCandidateResult(p, cand('b'), full(90, 90, 90, 49, 90));
    expect(r.passed).toBe(false);
    expect(r.conditionsMet).toBe(false);
    expect(r.total).toBe(360); // still reported
    expect(r.reasons.map((x) => x.partId)).toEqual(['nn']);
    expect(r.reasons[0]!.message).toContain('49/100 điểm');
  });

  it('a candidate who misses a paper fails', () => {
    const scores = full(80, 80, 80);
    scores[4] = { partId: 'th', absent: true };
    const r = computeCandidateResult(p, cand('a'), scores);
    expect(r.passed).toBe(false);
    expect(r.reasons[0]).toMatchObject({ code: 'part_absent', partId: 'th' });
  });

  it('tie-break: NVCN written, then NVCN MC, then the head decides', () => {
    const res = [
      computeCandidateResult(p, cand('P1'), full(80, 70, 60)), // 280
      computeCandidateResult(p, cand('P2'), full(60, 80, 60)), // 280, written 80
      computeCandidateResult(p, cand('P3'), full(70, 70, 70)), // 280, written 70, MC 70
      computeCandidateResult(p, cand('P4'), full(80, 70, 60)), // identical to P1
      computeCandidateResult(p, cand('P5'), full(90, 90, 40)), // fails NVCN MC
    ];
    expect(res.slice(0, 4).map((r) => r.total)).toEqual([280, 280, 280, 280]);
    const out = rankCandidates(p, res, 3);
    expect(order(out.rows)).toEqual(['P2', 'P3', 'P1', 'P4', 'P5']);
    expect(out.rows.map((r) => r.rank)).toEqual([1, 2, 3, 3, null]);
    expect(out.rows.map((r) => r.decidedBy)).toEqual([null, 'nvcn_written', 'nvcn_mc', null, null]);
    expect(out.rows.map((r) => r.status)).toEqual(['selected', 'selected', 'tie_pending', 'tie_pending', 'failed']);
    expect(out.tiedGroups).toEqual([{ rank: 3, candidateIds: ['P1', 'P4'], seats: 1, needsHeadDecision: true }]);
    expect(out.selectedCount).toBe(2);
    expect(out.rows[4]!.reason).toContain('Nghiệp vụ chuyên ngành (trắc nghiệm)');

    // The head records P4 first: the tie is resolved and marked as the head's decision.
    const decided = [...res.slice(0, 3), computeCandidateResult(p, cand('P4', { headDecisionOrder: 1 }), full(80, 70, 60))];
    decided[0] = computeCandidateResult(p, cand('P1', { headDecisionOrder: 2 }), full(80, 70, 60));
    const out2 = rankCandidates(p, decided, 3);
    expect(order(out2.rows)).toEqual(['P2', 'P3', 'P4', 'P1']);
    expect(out2.rows.map((r) => [r.rank, r.status, r.decidedBy])).toEqual([
      [1, 'selected', null],
      [2, 'selected', 'nvcn_written'],
      [3, 'selected', 'nvcn_mc'],
      [4, 'below_quota', 'head_decides'],
    ]);
    expect(out2.tiedGroups).toEqual([]);
  });

  it('priority points lift a lower score above the others (+10 on 275 beats 280)', () => {
    const res = [
      computeCandidateResult(p, cand('A'), full(80, 70, 60)), // 280
      computeCandidateResult(p, cand('B', { priorityCodes: ['xuat_ngu'] }), full(75, 70, 60)), // 275 + 10
    ];
    const out = rankCandidates(p, res, 1);
    expect(out.rows.map((r) => [r.candidateId, r.total, r.status])).toEqual([
      ['B', 285, 'selected'],
      ['A', 280, 'below_quota'],
    ]);
    expect(out.rows[1]!.decidedBy).toBe('total');
  });
});

describe('nd138-2020', () => {
  const p = applyOverrides(ND138_2020, { choices: [{ id: 'round2_format', selected: 'written' }] });
  const r1 = (ktc: number, nn: number) => [mc('r1_ktc', ktc, 60), mc('r1_nn', nn, 30)];

  it('round 1 on computer: KTC 60/60, NN 30/30; tin học dropped on computer; 30/60 passes, 29/60 fails', () => {
    expect(p.parts.find((x) => x.id === 'r1_ktc')).toMatchObject({ questionCount: 60, durationMin: 60, mode: 'computer_mc' });
    expect(applicableParts(p, []).map((x) => x.id)).toEqual(['r1_ktc', 'r1_nn', 'r2_written']);
    const ok = computeCandidateResult(p, cand('a'), [...r1(30, 15), sc('r2_written', 65)]);
    expect(ok.passed).toBe(true);
    expect(part(ok, 'r1_th').status).toBe('dropped');
    expect(ok.round2Score).toBe(65);
    expect(ok.total).toBe(65);

    const bad = computeCandidateResult(p, cand('b'), [...r1(29, 15), sc('r2_written', 90)]);
    expect(bad.passed).toBe(false);
    expect(bad.conditionsMet).toBe(false);
    expect(bad.reasons).toHaveLength(1);
    expect(bad.reasons[0]!.message).toBe(
      'Không đạt phần "Vòng 1 — Phần I: Kiến thức chung": 29/60 câu đúng (48,33%), yêu cầu từ 50% trở lên.',
    );
    expect(computeCandidateResult(p, cand('c'), [...r1(30, 14), sc('r2_written', 90)]).passed).toBe(false);
  });

  it('tin học is sat when round 1 is on paper; exemptions skip NN and TH', () => {
    const paper = applyOverrides(p, { parts: [{ id: 'r1_th', mode: 'paper_mc' }] });
    expect(applicableParts(paper, []).map((x) => x.id)).toEqual(['r1_ktc', 'r1_nn', 'r1_th', 'r2_written']);
    expect(applicableParts(paper, ['foreign_language', 'it']).map((x) => x.id)).toEqual(['r1_ktc', 'r2_written']);
    const r = computeCandidateResult(paper, cand('a', { exemptions: ['foreign_language'] }), [
      mc('r1_ktc', 40, 60),
      mc('r1_th', 15, 30),
      sc('r2_written', 70),
    ]);
    expect(part(r, 'r1_nn')).toMatchObject({ status: 'exempt', exemptedBy: 'foreign_language', passed: true });
    expect(r.passed).toBe(true);
  });

  it('round 2 ≥50 (exactly 50 passes); priority 7.5 / 5 / 2.5, highest only, added to round 2', () => {
    const at50 = computeCandidateResult(p, cand('a', { priorityCodes: ['xuat_ngu', 'anh_hung', 'dan_toc_thieu_so'] }), [
      ...r1(45, 20),
      sc('r2_written', 50),
    ]);
    expect(at50.passed).toBe(true);
    expect(at50.priorityPoints).toBe(7.5);
    expect(at50.total).toBe(57.5);
    const five = computeCandidateResult(p, cand('b', { priorityCodes: ['con_chinh_sach', 'tnxp'] }), [
      ...r1(45, 20),
      sc('r2_written', 60),
    ]);
    expect(five.total).toBe(65);
    const below = computeCandidateResult(p, cand('c', { priorityCodes: ['anh_hung'] }), [...r1(45, 20), sc('r2_written', 49.5)]);
    expect(below.passed).toBe(false); // priority does not rescue a round-2 fail
    expect(below.total).toBe(57);
  });

  it('the round-2 format must be chosen; "both" needs the board to set how papers combine', () => {
    const none = computeCandidateResult(ND138_2020, cand('a'), [...r1(40, 20), sc('r2_written', 70)]);
    expect(none.total).toBeNull();
    expect(none.reasons[0]!.message).toContain('chưa chọn "Hình thức thi vòng 2"');

    const both = applyOverrides(ND138_2020, { choices: [{ id: 'round2_format', selected: 'both' }] });
    const unset = computeCandidateResult(both, cand('a'), [
      ...r1(40, 20),
      sc('r2_both_interview', 60),
      sc('r2_both_written', 40),
    ]);
    expect(unset.total).toBeNull();
    expect(unset.reasons.map((x) => x.code)).toEqual(['config_incomplete', 'config_incomplete']);

    const avg = applyOverrides(both, {
      parts: [
        { id: 'r2_both_interview', coefficient: 0.5 },
        { id: 'r2_both_written', coefficient: 0.5 },
      ],
    });
    const pass = computeCandidateResult(avg, cand('a'), [...r1(40, 20), sc('r2_both_interview', 60), sc('r2_both_written', 40)]);
    expect(pass.round2Score).toBe(50);
    expect(pass.passed).toBe(true);
    const fail = computeCandidateResult(avg, cand('b'), [...r1(40, 20), sc('r2_both_interview', 60), sc('r2_both_written', 38)]);
    expect(fail.round2Score).toBe(49);
    expect(fail.reasons).toEqual([
      {
        code: 'min_score',
        message: 'Điểm vòng 2 49 chưa đạt mức tối thiểu 50.',
        messageEn: 'The round-2 score of 49 is below the minimum of 50.',
      },
    ]);
  });

  it('tie-break: higher round 2, then the head decides; quota boundaries', () => {
    const res = [
      computeCandidateResult(p, cand('A', { priorityCodes: ['dan_toc_thieu_so'] }), [...r1(40, 20), sc('r2_written', 70)]), // 75
      computeCandidateResult(p, cand('B', { priorityCodes: ['xuat_ngu'] }), [...r1(40, 20), sc('r2_written', 72.5)]), // 75
      computeCandidateResult(p, cand('C'), [...r1(40, 20), sc('r2_written', 75)]), // 75
      computeCandidateResult(p, cand('D', { priorityCodes: ['si_quan_quan_nhan'] }), [...r1(40, 20), sc('r2_written', 70)]), // 75
    ];
    expect(res.map((r) => r.total)).toEqual([75, 75, 75, 75]);
    const q2 = rankCandidates(p, res, 2);
    expect(order(q2.rows)).toEqual(['C', 'B', 'A', 'D']);
    expect(q2.rows.map((r) => r.decidedBy)).toEqual([null, 'round2_score', 'round2_score', null]);
    expect(q2.rows.map((r) => r.status)).toEqual(['selected', 'selected', 'below_quota', 'below_quota']);
    expect(q2.rows[2]!.reason).toBe('Xếp hạng 3, ngoài chỉ tiêu (chỉ tiêu: 2).');
    expect(q2.tiedGroups).toEqual([{ rank: 3, candidateIds: ['A', 'D'], seats: 0, needsHeadDecision: false }]);

    const q3 = rankCandidates(p, res, 3);
    expect(q3.rows.map((r) => r.status)).toEqual(['selected', 'selected', 'tie_pending', 'tie_pending']);
    expect(q3.rows[2]!.reason).toContain('chờ người đứng đầu cơ quan quyết định');
    expect(q3.tiedGroups[0]!.needsHeadDecision).toBe(true);

    const q4 = rankCandidates(p, res, 4);
    expect(q4.selectedCount).toBe(4);
    expect(q4.tiedGroups[0]).toMatchObject({ seats: 2, needsHeadDecision: false });
  });

  it('sanctions under TT 06/2020: no deduction without a configured percent; đình chỉ cancels the result', () => {
    const warned = computeCandidateResult(p, cand('a', { sanctions: [{ partId: 'r2_written', code: 'khien_trach' }] }), [
      ...r1(40, 20),
      sc('r2_written', 60),
    ]);
    expect(warned.total).toBe(60);
    expect(warned.passed).toBe(true);
    expect(warned.warnings.map((w) => w.code)).toEqual(['deduction_unset']);

    const suspended = computeCandidateResult(p, cand('b', { sanctions: [{ partId: 'r1_ktc', code: 'dinh_chi' }] }), [
      ...r1(40, 20),
      sc('r2_written', 90),
    ]);
    expect(suspended.cancelled).toBe(true);
    expect(suspended.passed).toBe(false);
    expect(suspended.reasons[0]!.message).toBe('Kết quả thi bị hủy do bị "Đình chỉ thi".');
    const out = rankCandidates(p, [warned, suspended], 2);
    expect(out.rows.map((r) => [r.candidateId, r.status])).toEqual([
      ['a', 'selected'],
      ['b', 'sanction'],
    ]);
  });

  it('delivery rules: results shown at once, no phúc khảo, bank ×3, late ≤30′', () => {
    expect(p.showResultImmediately).toBe(true);
    expect(p.noPhucKhaoComputerRound1).toBe(true);
    expect(p.bankMultiple).toBe(3);
    expect(lateAdmissionLimit(p, 60)).toBe(30);
    expect(p.sanctions.find((s) => s.code === 'canh_cao')!.deductionPercent).toBeNull();
  });
});

describe('nd116-2024', () => {
  const written = applyOverrides(ND116_2024, { choices: [{ id: 'round2_format', selected: 'written' }] });
  const wi = applyOverrides(ND116_2024, {
    choices: [{ id: 'round2_format', selected: 'written_interview' }],
    parts: [
      { id: 'r2_wi_written', coefficient: 0.5 },
      { id: 'r2_wi_interview', coefficient: 0.5 },
    ],
  });
  const kdValid = { resultDate: '2024-07-20', correct: 70, total: 100, passed: true };
  // The validity of a kiểm định result counts to the application deadline (NĐ 116/2024); here the
  // deadline is set on the exam day so the 24-month edge below reads the same either way.
  const exam = { examDate: '2025-03-15', applicationDeadline: '2025-03-15' };

  it('tin học is gone; round 1 is KTC + NN; NN dropped when the post needs none', () => {
    expect(ND116_2024.parts.some((x) => x.subject === 'TH')).toBe(false);
    expect(applicableParts(written, []).map((x) => x.id)).toEqual(['r1_ktc', 'r1_nn', 'r2_written']);
    expect(applicableParts(written, [], { foreignLanguageRequired: false }).map((x) => x.id)).toEqual(['r1_ktc', 'r2_written']);
    const r = computeCandidateResult(written, cand('a', { foreignLanguageRequired: false }), [
      mc('r1_ktc', 30, 60),
      sc('r2_written', 50),
    ]);
    expect(part(r, 'r1_nn').status).toBe('dropped');
    expect(r.passed).toBe(true);
  });

  it('a valid kiểm định result exempts round 1; +1.5 trade-union priority', () => {
    expect(applicableParts(written, ['kiem_dinh']).map((x) => x.id)).toEqual(['r2_written']);
    const r = computeCandidateResult(
      written,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: kdValid, priorityCodes: ['can_bo_cong_doan'] }),
      [sc('r2_written', 80)],
      exam,
    );
    expect(part(r, 'r1_ktc')).toMatchObject({ status: 'exempt', exemptedBy: 'kiem_dinh' });
    expect(part(r, 'r1_nn').status).toBe('exempt');
    expect(r.priorityPoints).toBe(1.5);
    expect(r.total).toBe(81.5);
    expect(r.tie.kiemDinhExempt).toBe(true);
    expect(r.tie.kiemDinhScore).toBe(70);

    // A 5-point category and the 1.5 one: only 5 counts.
    const two = computeCandidateResult(
      written,
      cand('b', { exemptions: ['kiem_dinh'], kiemDinh: kdValid, priorityCodes: ['can_bo_cong_doan', 'dan_toc_thieu_so'] }),
      [sc('r2_written', 80)],
      exam,
    );
    expect(two.total).toBe(85);
  });

  it('an expired kiểm định result (over 24 months) does not exempt', () => {
    const r = computeCandidateResult(
      written,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: { ...kdValid, resultDate: '2023-03-14' } }),
      [sc('r2_written', 80)],
      exam,
    );
    expect(r.warnings[0]!.message).toBe(
      'Kết quả kiểm định ngày 14/03/2023 đã hết hiệu lực (24 tháng, tính đến hạn nhận phiếu đăng ký 15/03/2025) nên không được miễn.',
    );
    expect(r.passed).toBe(false);
    expect(r.reasons.map((x) => [x.code, x.partId])).toEqual([
      ['score_missing', 'r1_ktc'],
      ['score_missing', 'r1_nn'],
    ]);
    // Exactly 24 months before the exam is still valid.
    const edge = computeCandidateResult(
      written,
      cand('b', { exemptions: ['kiem_dinh'], kiemDinh: { ...kdValid, resultDate: '2023-03-15' } }),
      [sc('r2_written', 80)],
      exam,
    );
    expect(edge.passed).toBe(true);
  });

  it('claiming the kiểm định exemption without a kiểm định record does not exempt', () => {
    for (const kiemDinh of [undefined, null]) {
      const r = computeCandidateResult(written, cand('a', { exemptions: ['kiem_dinh'], kiemDinh }), [sc('r2_written', 80)], exam);
      expect(r.warnings).toEqual([
        {
          code: 'kiem_dinh_invalid',
          message: 'Không có kết quả kiểm định nên không được miễn.',
          messageEn: 'No kiểm định result, so no exemption.',
        },
      ]);
      expect(part(r, 'r1_ktc')).toMatchObject({ status: 'missing', exemptedBy: null });
      expect(part(r, 'r1_nn').status).toBe('missing');
      expect(r.passed).toBe(false);
      expect(r.tie.kiemDinhExempt).toBe(false);
    }
    // Sitting round 1 instead, the candidate is scored as anyone else; other exemptions still apply.
    const sat = computeCandidateResult(
      written,
      cand('b', { exemptions: ['kiem_dinh', 'foreign_language'] }),
      [mc('r1_ktc', 30, 60), sc('r2_written', 80)],
      exam,
    );
    expect(sat.warnings.map((w) => w.code)).toEqual(['kiem_dinh_invalid']);
    expect(part(sat, 'r1_nn')).toMatchObject({ status: 'exempt', exemptedBy: 'foreign_language' });
    expect(sat.passed).toBe(true);
    expect(sat.total).toBe(80);
  });

  it('written + interview: both sat, each ≥50', () => {
    const ok = computeCandidateResult(wi, cand('a'), [
      mc('r1_ktc', 30, 60),
      mc('r1_nn', 15, 30),
      sc('r2_wi_written', 50),
      sc('r2_wi_interview', 50),
    ]);
    expect(ok.passed).toBe(true);
    expect(ok.round2Score).toBe(50);
    const bad = computeCandidateResult(wi, cand('b'), [
      mc('r1_ktc', 30, 60),
      mc('r1_nn', 15, 30),
      sc('r2_wi_written', 95),
      sc('r2_wi_interview', 45),
    ]);
    expect(bad.round2Score).toBe(70);
    expect(bad.passed).toBe(false);
    expect(bad.reasons.map((x) => x.partId)).toEqual(['r2_wi_interview']);
  });

  it('tie-break at every step: round 2 → written → kiểm định exempt → kiểm định score → KTC correct → head', () => {
    const notExempt = (id: string, ktc: number, w: number, i: number, extra: Partial<ProfileCandidate> = {}) =>
      computeCandidateResult(
        wi,
        cand(id, extra),
        [mc('r1_ktc', ktc, 60), mc('r1_nn', 20, 30), sc('r2_wi_written', w), sc('r2_wi_interview', i)],
        exam,
      );
    const exempt = (id: string, kd: number, w: number, i: number) =>
      computeCandidateResult(
        wi,
        cand(id, { exemptions: ['kiem_dinh'], kiemDinh: { ...kdValid, correct: kd } }),
        [sc('r2_wi_written', w), sc('r2_wi_interview', i)],
        exam,
      );
    const res = [
      notExempt('X', 40, 70, 70), // 70, written 70, not exempt, KTC 40
      notExempt('B', 50, 60, 70, { priorityCodes: ['dan_toc_thieu_so'] }), // 65 + 5 = 70
      exempt('C', 60, 70, 70), // exempt, kiểm định 60
      notExempt('A', 30, 80, 60), // 70, written 80
      notExempt('E', 45, 70, 70), // not exempt, KTC 45
      exempt('D', 70, 70, 70), // exempt, kiểm định 70
      notExempt('F', 40, 70, 70), // identical to X
    ];
    expect(res.map((r) => r.total)).toEqual([70, 70, 70, 70, 70, 70, 70]);
    const out = rankCandidates(wi, res, 5);
    expect(order(out.rows)).toEqual(['A', 'D', 'C', 'E', 'X', 'F', 'B']);
    expect(out.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 5, 7]);
    expect(out.rows.map((r) => r.decidedBy)).toEqual([
      null,
      'written_score',
      'kiem_dinh_score',
      'kiem_dinh_exempt',
      'ktc_correct',
      null,
      'round2_score',
    ]);
    expect(out.rows.map((r) => r.status)).toEqual([
      'selected',
      'selected',
      'selected',
      'selected',
      'tie_pending',
      'tie_pending',
      'below_quota',
    ]);
    expect(out.tiedGroups).toEqual([{ rank: 5, candidateIds: ['X', 'F'], seats: 1, needsHeadDecision: true }]);
  });
});

describe('nd170-2025', () => {
  const p = applyOverrides(ND170_2025, {
    choices: [
      { id: 'round2_format', selected: 'written' },
      { id: 'nv_format', selected: 'oral' },
    ],
  });

  it('TT 22/2025 computer rules: fixed window, auto-submit, signed result sheet, late 5′/10′', () => {
    expect(p.timingMode).toBe('fixed_window');
    expect(p.autoSubmit).toBe(true);
    expect(p.resultSheetSigned).toBe(true);
    expect(p.showResultImmediately).toBe(true);
    expect(lateAdmissionLimit(p, 30)).toBe(5);
    expect(lateAdmissionLimit(p, 60)).toBe(10);
    expect(lateAdmissionLimit(p, 180)).toBe(10);
    expect(lateAdmissionLimit(p, 45)).toBe('chair_decides');
    expect(p.bankMultiple).toBeNull(); // NOT FOUND in TT 22/2025
  });

  it('chuyên viên: round 1 60/60 at ≥50%, round 2 written ≥50, +1.5 priority', () => {
    expect(applicableParts(p, [], { grade: '01.003' }).map((x) => x.id)).toEqual(['r1_ktc', 'r2_written']);
    const r = computeCandidateResult(p, cand('a', { grade: '01.003', priorityCodes: ['can_bo_cong_doan'] }), [
      mc('r1_ktc', 30, 60),
      sc('r2_written', 50),
    ]);
    expect(r.passed).toBe(true);
    expect(r.total).toBe(51.5);
    const f = computeCandidateResult(p, cand('b', { grade: '01.003' }), [mc('r1_ktc', 29, 60), sc('r2_written', 90)]);
    expect(f.passed).toBe(false);
    expect(f.reasons[0]!.partId).toBe('r1_ktc');
  });

  it('nhân viên: one specialised exam (oral), 30′, out of 100; no round 1', () => {
    expect(applicableParts(p, [], { grade: '01.005' }).map((x) => x.id)).toEqual(['nv_oral']);
    const r = computeCandidateResult(p, cand('n', { grade: '01.005', priorityCodes: ['xuat_ngu'] }), [sc('nv_oral', 64)]);
    expect(r.passed).toBe(true);
    expect(r.total).toBe(66.5);
    const missingGrade = computeCandidateResult(p, cand('x'), [sc('nv_oral', 64)]);
    expect(missingGrade.total).toBeNull();
    expect(missingGrade.reasons.at(-1)!.message).toBe('Chưa xác định ngạch của vị trí dự tuyển hoặc ngạch dự thi.');
  });

  it('đình chỉ (TT 22/2025): the paper is cancelled, later papers barred, result cancelled', () => {
    const r = computeCandidateResult(p, cand('a', { grade: '01.003', sanctions: [{ partId: 'r1_ktc', code: 'dinh_chi' }] }), [
      mc('r1_ktc', 50, 60),
      sc('r2_written', 80),
    ]);
    expect(part(r, 'r1_ktc')).toMatchObject({ status: 'cancelled', score: 0 });
    expect(part(r, 'r2_written').status).toBe('barred');
    expect(r.cancelled).toBe(true);
    expect(r.reasons.map((x) => x.code)).toEqual(['result_cancelled', 'paper_cancelled', 'barred']);
  });

  it('tie-break: round 2 → written → head decides', () => {
    const wi = applyOverrides(p, {
      choices: [{ id: 'round2_format', selected: 'written_interview' }],
      parts: [
        { id: 'r2_wi_written', coefficient: 0.5 },
        { id: 'r2_wi_interview', coefficient: 0.5, durationMin: 30 },
      ],
    });
    const mk = (id: string, w: number, i: number) =>
      computeCandidateResult(wi, cand(id, { grade: '01.003' }), [
        mc('r1_ktc', 40, 60),
        sc('r2_wi_written', w),
        sc('r2_wi_interview', i),
      ]);
    const res = [mk('B', 60, 80), mk('A', 80, 60), mk('C', 60, 80), mk('Z', 70, 60)];
    const out = rankCandidates(wi, res, 2);
    expect(order(out.rows)).toEqual(['A', 'B', 'C', 'Z']);
    expect(out.rows.map((r) => r.decidedBy)).toEqual([null, 'written_score', null, 'total']);
    expect(out.rows.map((r) => r.status)).toEqual(['selected', 'tie_pending', 'tie_pending', 'below_quota']);
  });

  it('round 2 on computer: the question count must stay within 60–120', () => {
    const bad = applyOverrides(p, { parts: [{ id: 'r2_written_mc', questionCount: 130, durationMin: 120 }] });
    expect(
      validateProfile(bad)
        .filter((i) => i.severity === 'error')
        .map((i) => i.path),
    ).toEqual([]); // not in play
    const inPlay = applyOverrides(bad, { choices: [{ id: 'round2_format', selected: 'written_computer' }] });
    expect(validateProfile(inPlay).filter((i) => i.severity === 'error')).toEqual([
      { path: 'parts[r2_written_mc].questionCount', severity: 'error', message: 'Số câu phải trong khoảng 60–120.' },
    ]);
  });
});

describe('kiem-dinh-nd06-2023', () => {
  const p = KIEM_DINH_ND06_2023;
  const uni = { choices: { level: 'dai_hoc' } };
  const col = { choices: { level: 'trung_cap_cao_dang' } };

  it('university 100/120′, trung cấp–cao đẳng 80/100′, chosen per candidate', () => {
    expect(p.parts.map((x) => [x.id, x.questionCount, x.durationMin])).toEqual([
      ['kd_dai_hoc', 100, 120],
      ['kd_trung_cap_cao_dang', 80, 100],
    ]);
    expect(applicableParts(p, [], uni).map((x) => x.id)).toEqual(['kd_dai_hoc']);
    expect(applicableParts(p, [], col).map((x) => x.id)).toEqual(['kd_trung_cap_cao_dang']);
    expect(p.kiemDinhValidityMonths).toBe(24);
    expect(p.noPhucKhaoComputerRound1).toBe(true);
  });

  it('pass at ≥50%: 50/100 and 40/80 pass, 49/100 and 39/80 fail', () => {
    const r = (extra: Partial<ProfileCandidate>, s: PartScoreInput) => computeCandidateResult(p, cand('k', extra), [s]);
    const a = r(uni, mc('kd_dai_hoc', 50, 100));
    expect(a.passed).toBe(true);
    expect(a.total).toBe(50);
    expect(r(uni, mc('kd_dai_hoc', 49, 100)).passed).toBe(false);
    expect(r(col, mc('kd_trung_cap_cao_dang', 40, 80)).passed).toBe(true);
    expect(r(col, mc('kd_trung_cap_cao_dang', 39, 80)).passed).toBe(false);
    // No level chosen: the result cannot be computed.
    expect(r({}, mc('kd_dai_hoc', 90, 100)).reasons[0]!.code).toBe('config_incomplete');
  });

  it('no priority points in an assessment', () => {
    const r = computeCandidateResult(p, cand('k', { ...uni, priorityCodes: ['anh_hung'] }), [mc('kd_dai_hoc', 60, 100)]);
    expect(r.priorityPoints).toBe(0);
    expect(r.total).toBe(60);
  });
});

describe('promotion-nd138-2020', () => {
  const p = PROMOTION_ND138_2020;
  const mcs = (ktc = 30, nn = 15, th = 15) => [mc('ktc', ktc, 60), mc('nn', nn, 30), mc('th', th, 30)];

  it('MC parts KTC 60/60, NN 30/30, TH 30/30; CVC chuyên môn written 180′; CVCC đề án ≤8h + defence ≤30′', () => {
    expect(applicableParts(p, [], { grade: '01.002' }).map((x) => [x.id, x.questionCount ?? x.mode, x.durationMin])).toEqual([
      ['ktc', 60, 60],
      ['nn', 30, 30],
      ['th', 30, 30],
      ['cm_written', 'written', 180],
    ]);
    expect(
      applicableParts(p, [], { grade: '01.001' }).map((x) => [x.id, x.mode, x.durationMin, x.durationIsMaximum ?? false]),
    ).toEqual([
      ['ktc', 'computer_mc', 60, false],
      ['nn', 'computer_mc', 30, false],
      ['th', 'computer_mc', 30, false],
      ['cm_project', 'project', 480, true],
      ['cm_defence', 'oral', 30, true],
    ]);
  });

  it('CVC: 50% on each MC part and ≥50 chuyên môn; total is the chuyên môn score, no priority', () => {
    const r = computeCandidateResult(p, cand('a', { grade: '01.002', priorityCodes: ['anh_hung'] }), [
      ...mcs(),
      sc('cm_written', 50),
    ]);
    expect(r.passed).toBe(true);
    expect(r.total).toBe(50);
    expect(r.priorityPoints).toBe(0);
    const f = computeCandidateResult(p, cand('b', { grade: '01.002' }), [...mcs(30, 15, 14), sc('cm_written', 90)]);
    expect(f.reasons.map((x) => x.partId)).toEqual(['th']);
  });

  it('CVCC: ≥100 in total with both papers ≥50', () => {
    const g = { grade: '01.001' as const };
    const ok = computeCandidateResult(p, cand('a', g), [...mcs(), sc('cm_project', 50), sc('cm_defence', 50)]);
    expect(ok.total).toBe(100);
    expect(ok.passed).toBe(true);
    const oneLow = computeCandidateResult(p, cand('b', g), [...mcs(), sc('cm_project', 49), sc('cm_defence', 80)]);
    expect(oneLow.total).toBe(129);
    expect(oneLow.passed).toBe(false);
    expect(oneLow.reasons.map((x) => x.partId)).toEqual(['cm_project']);
    // The ≥100 total binds on its own when a board lowers a paper's pass mark.
    const lowered = applyOverrides(p, { parts: [{ id: 'cm_project', passRule: { kind: 'min_score', score: 40 } }] });
    const sum99 = computeCandidateResult(lowered, cand('c', g), [...mcs(), sc('cm_project', 45), sc('cm_defence', 54)]);
    expect(sum99.reasons).toEqual([
      {
        code: 'min_score',
        message: 'Tổng điểm 99 chưa đạt mức tối thiểu 100.',
        messageEn: 'The total of 99 is below the minimum of 100.',
      },
    ]);
    // The ≥100 rule is only for CVCC: a CVC written 60 passes.
    expect(computeCandidateResult(p, cand('d', { grade: '01.002' }), [...mcs(), sc('cm_written', 60)]).passed).toBe(true);
  });

  it('a foreign-language exemption skips the NN paper', () => {
    const r = computeCandidateResult(p, cand('a', { grade: '01.002', exemptions: ['foreign_language'] }), [
      mc('ktc', 30, 60),
      mc('th', 15, 30),
      sc('cm_written', 70),
    ]);
    expect(part(r, 'nn').status).toBe('exempt');
    expect(r.passed).toBe(true);
  });

  it('tie-break: woman → ethnic minority → older → longer service → head decides; quota 5 and 2', () => {
    const mk = (id: string, extra: Partial<ProfileCandidate>) =>
      computeCandidateResult(p, cand(id, { grade: '01.002', ...extra }), [...mcs(), sc('cm_written', 70)]);
    const res = [
      mk('M4', { gender: 'male', birthDate: '1972-03-03', serviceMonths: 250 }),
      mk('M2', { gender: 'male', birthDate: '1970-01-01', serviceMonths: 100 }),
      mk('W', { gender: 'female', birthDate: '1985-05-01', serviceMonths: 120 }),
      mk('M5', { gender: 'male', birthDate: '1972-03-03', serviceMonths: 250 }),
      mk('M1', { gender: 'male', ethnicMinority: true, birthDate: '1990-01-01', serviceMonths: 60 }),
      mk('M3', { gender: 'male', birthDate: '1972-03-03', serviceMonths: 300 }),
    ];
    const out = rankCandidates(p, res, 5);
    expect(order(out.rows)).toEqual(['W', 'M1', 'M2', 'M3', 'M4', 'M5']);
    expect(out.rows.map((r) => r.decidedBy)).toEqual([null, 'female', 'ethnic_minority', 'older', 'longer_service', null]);
    expect(out.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 5]);
    expect(out.tiedGroups).toEqual([{ rank: 5, candidateIds: ['M4', 'M5'], seats: 1, needsHeadDecision: true }]);

    const q2 = rankCandidates(p, res, 2);
    expect(q2.rows.map((r) => r.selected)).toEqual([true, true, false, false, false, false]);
    expect(q2.rows[2]!.status).toBe('below_quota');
  });
});

describe('custom', () => {
  it('starts empty: nothing to sit, the result cannot be computed, the gaps are listed', () => {
    expect(applicableParts(CUSTOM, [])).toEqual([]);
    const r = computeCandidateResult(CUSTOM, cand('a'), []);
    expect(r.total).toBeNull();
    expect(r.reasons[0]!.message).toBe('Cấu hình kỳ thi chưa đầy đủ: chưa khai báo phần thi nào.');
    expect(validateProfile(CUSTOM).map((i) => i.path)).toEqual([
      'sanctions[khien_trach].deductionPercent',
      'sanctions[canh_cao].deductionPercent',
      'sanctions[dinh_chi].deductionPercent',
      'bankMultiple',
      'timingMode',
      'lateAdmission',
    ]);
  });

  it('the board fills it in: parts, priority, tie-break', () => {
    const p: RegulationProfile = applyOverrides(CUSTOM, {
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
          coefficient: 2,
        },
      ],
      total: { priorityAddedTo: 'total' },
      priority: { categories: [{ code: 'dtts', label: { vi: 'Dân tộc thiểu số', en: 'Ethnic minority' }, points: 3 }] },
      bankMultiple: 2,
    });
    const r = computeCandidateResult(p, cand('a', { priorityCodes: ['dtts'] }), [sc('viet', 60)]);
    expect(r.total).toBe(123); // 60 × 2 + 3
    expect(r.passed).toBe(true);
    expect(computeCandidateResult(p, cand('e'), [sc('viet', 50)]).passed).toBe(true);
    expect(computeCandidateResult(p, cand('f'), [sc('viet', 49.5)]).passed).toBe(false);
    expect(validateProfile(p).map((i) => i.path)).not.toContain('bankMultiple');
    const out = rankCandidates(p, [r, computeCandidateResult(p, cand('b', { priorityCodes: ['dtts'] }), [sc('viet', 60)])], 1);
    expect(out.tiedGroups[0]).toEqual({ rank: 1, candidateIds: ['a', 'b'], seats: 1, needsHeadDecision: true });
  });
});
