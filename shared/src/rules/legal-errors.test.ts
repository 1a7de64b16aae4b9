/**
 * Issue 12: worked examples for the errors an audit found against the legal texts. Each example failed
 * on the code before the fix; the comment quotes the clause and its source. Error 1 (partial credit) is
 * in ranking-examples.test.ts and ../results/scoring.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  CUSTOM,
  computeCandidateResult,
  legalIssues,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  type PartScoreInput,
  type ProfileCandidate,
  validateProfile,
} from './index.js';

const sc = (partId: string, score: number): PartScoreInput => ({ partId, score });
const cand = (id: string, extra: Partial<ProfileCandidate> = {}): ProfileCandidate => ({ id, ...extra });

describe('error 4: kiểm định validity counts to the application deadline (NĐ 116/2024)', () => {
  // NĐ 116/2024 (sửa NĐ 138/2020 Điều 8): the candidate whose kiểm định result "còn thời hạn … tính đến
  // thời điểm hết hạn nhận Phiếu đăng ký dự tuyển" and reaches the score the recruiting body requires
  // is exempt from round 1 (reference §5b, baohaiduong.vn). NĐ 06/2023 Điều 10 k1: valid 24 months [S49].
  const written = applyOverrides(ND116_2024, { choices: [{ id: 'round2_format', selected: 'written' }] });
  const kd = { resultDate: '2023-05-10', correct: 70, total: 100, passed: true };
  const ctx = { examDate: '2025-06-01', applicationDeadline: '2025-04-30' };

  it('result 10/5/2023, deadline 30/4/2025, exam 1/6/2025: exempt (valid to 10/5/2025, after the deadline)', () => {
    const r = computeCandidateResult(
      written,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: kd }),
      [sc('r2_written', 70)],
      ctx,
    );
    expect(r.warnings).toEqual([]);
    expect(r.parts.find((p) => p.partId === 'r1_ktc')).toMatchObject({ status: 'exempt', exemptedBy: 'kiem_dinh' });
    expect(r.passed).toBe(true);
    expect(r.total).toBe(70);
  });

  it('expired before the deadline: not exempt, and the message names the deadline', () => {
    const r = computeCandidateResult(
      written,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: { ...kd, resultDate: '2023-04-29' } }),
      [sc('r2_written', 70)],
      ctx,
    );
    expect(r.warnings[0]!.message).toBe(
      'Kết quả kiểm định ngày 29/04/2023 đã hết hiệu lực (24 tháng, tính đến hạn nhận phiếu đăng ký 30/04/2025) nên không được miễn.',
    );
    expect(r.passed).toBe(false);
  });

  it('the recruiting body’s minimum kiểm định score: 70% < 75% required is not exempt, 75% is', () => {
    const min75 = applyOverrides(written, { kiemDinhMinPercent: 75 });
    const below = computeCandidateResult(
      min75,
      cand('a', { exemptions: ['kiem_dinh'], kiemDinh: kd }),
      [sc('r2_written', 70)],
      ctx,
    );
    expect(below.warnings.map((w) => w.message)).toEqual([
      'Kết quả kiểm định 70% thấp hơn mức cơ quan tuyển dụng yêu cầu (75%) nên không được miễn.',
    ]);
    expect(below.passed).toBe(false);
    const at = computeCandidateResult(
      min75,
      cand('b', { exemptions: ['kiem_dinh'], kiemDinh: { ...kd, correct: 75 } }),
      [sc('r2_written', 70)],
      ctx,
    );
    expect(at.passed).toBe(true);
    expect(legalIssues(applyOverrides(written, { kiemDinhMinPercent: 120 })).map((i) => i.path)).toEqual(['kiemDinhMinPercent']);
  });

  it('without a deadline on the exam the validity cannot be checked: a warning says so', () => {
    const r = computeCandidateResult(written, cand('a', { exemptions: ['kiem_dinh'], kiemDinh: kd }), [sc('r2_written', 70)], {
      examDate: '2025-06-01',
    });
    expect(r.warnings.map((w) => w.code)).toEqual(['config_incomplete']);
  });
});

describe('error 5: round 2 is one score out of 100', () => {
  // NĐ 138/2020 Điều 8 k2 (round 2 "thang điểm 100") and Điều 9 k1 ("có kết quả điểm thi vòng 2 đạt từ
  // 50 điểm trở lên"), kept by NĐ 116/2024 and NĐ 170/2025 Điều 6 [S14][S18][S53]. Written ×1 +
  // interview ×1 made a 200-point round 2, halving the weight of the 7.5/5/2.5 priority points and
  // making the 50-point minimum meaningless. How the two papers combine is NOT FOUND: the board's
  // coefficients are accepted as long as they yield 100.
  const wi = (a: number, b: number) =>
    applyOverrides(ND116_2024, {
      choices: [{ id: 'round2_format', selected: 'written_interview' }],
      parts: [
        { id: 'r2_wi_written', coefficient: a },
        { id: 'r2_wi_interview', coefficient: b },
      ],
    });

  it('written ×1 + interview ×1 (200 points) is refused; 0.5 + 0.5 and 0.6 + 0.4 are accepted', () => {
    const bad = legalIssues(wi(1, 1));
    expect(bad.map((i) => i.path)).toEqual(['parts.coefficient']);
    expect(bad[0]!.message).toContain('đang là 200');
    expect(legalIssues(wi(0.5, 0.5))).toEqual([]);
    expect(legalIssues(wi(0.6, 0.4))).toEqual([]);
  });

  it('nd170-2025 checks each rank: chuyên viên written + interview ×1 each is refused, nhân viên’s single exam is fine', () => {
    const p = applyOverrides(ND170_2025, {
      choices: [
        { id: 'round2_format', selected: 'written_interview' },
        { id: 'nv_format', selected: 'oral' },
      ],
      parts: [
        { id: 'r2_wi_written', coefficient: 1 },
        { id: 'r2_wi_interview', coefficient: 1 },
      ],
    });
    const issues = legalIssues(p);
    expect(issues.map((i) => i.message.match(/ngạch (\d\d\.\d{3})/)?.[1])).toEqual(['01.003', '01.004']);
  });

  it('every built-in profile as shipped, and with the written format chosen, yields 100', () => {
    for (const p of [ND138_2020, ND116_2024, ND170_2025]) {
      expect(legalIssues(p)).toEqual([]);
      expect(legalIssues(applyOverrides(p, { choices: [{ id: 'round2_format', selected: 'written' }] }))).toEqual([]);
    }
  });
});

describe('partial credit is refused outside the custom profile', () => {
  it('nd138-2020 with partialCredit: true is an error; custom with it is labelled outside the regulations', () => {
    expect(legalIssues(applyOverrides(ND138_2020, { partialCredit: true })).map((i) => i.path)).toEqual(['partialCredit']);
    expect(validateProfile(applyOverrides(CUSTOM, { partialCredit: true })).some((i) => i.path === 'partialCredit')).toBe(false);
    expect(CUSTOM.gaps.some((g) => g.includes('NGOÀI QUY ĐỊNH'))).toBe(true);
  });
});
