import { describe, expect, it } from 'vitest';
import {
  bestPriority,
  type CandidateResult,
  checkEligibility,
  computeCandidateResult,
  isEligible,
  KIEM_DINH_ND06_2023,
  kiemDinhValid,
  ND24_2010,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  PROMOTION_ND138_2020,
  type ProfilePart,
  type PromotionCandidate,
  partPassed,
  rankCandidates,
} from './index.js';
import { addMonths } from './logic.js';

const pct50 = { passRule: { kind: 'min_percent', percent: 50 }, scoreScale: 60 } satisfies Pick<
  ProfilePart,
  'passRule' | 'scoreScale'
>;
const score50 = { passRule: { kind: 'min_score', score: 50 }, scoreScale: 100 } satisfies Pick<
  ProfilePart,
  'passRule' | 'scoreScale'
>;

describe('partPassed: exactly at the threshold passes', () => {
  it('percent of correct answers', () => {
    expect(partPassed(pct50, { correct: 30, total: 60 })).toBe(true);
    expect(partPassed(pct50, { correct: 29, total: 60 })).toBe(false);
    expect(partPassed({ ...pct50, scoreScale: 30 }, { correct: 15, total: 30 })).toBe(true);
    expect(partPassed({ ...pct50, scoreScale: 30 }, { correct: 14, total: 30 })).toBe(false);
    expect(partPassed({ ...pct50, scoreScale: 100 }, { correct: 50, total: 100 })).toBe(true);
    expect(partPassed({ ...pct50, scoreScale: 80 }, { correct: 40, total: 80 })).toBe(true);
    expect(partPassed({ ...pct50, scoreScale: 80 }, { correct: 39, total: 80 })).toBe(false);
    expect(partPassed(pct50, { correct: 0, total: 0 })).toBe(false);
  });

  it('a score on the part scale', () => {
    expect(partPassed(score50, { score: 50 })).toBe(true);
    expect(partPassed(score50, { score: 49.99 })).toBe(false);
    expect(partPassed(pct50, { score: 30 })).toBe(true); // 30 of 60 = 50%
    expect(partPassed(pct50, { score: 29.5 })).toBe(false);
    // An MC count on a 100-point scale with a score rule: 30/60 → 50 points.
    expect(partPassed(score50, { correct: 30, total: 60 })).toBe(true);
    expect(partPassed(score50, { correct: 29, total: 60 })).toBe(false);
  });
});

describe('bestPriority: only the highest category counts', () => {
  it('per regime', () => {
    expect(bestPriority(ND24_2010, ['thuong_binh', 'dan_toc_thieu_so'])).toBe(30);
    expect(bestPriority(ND24_2010, ['xuat_ngu', 'dan_toc_thieu_so'])).toBe(20);
    expect(bestPriority(ND24_2010, ['tri_thuc_tre'])).toBe(10);
    expect(bestPriority(ND138_2020, ['anh_hung'])).toBe(7.5);
    expect(bestPriority(ND138_2020, ['dan_toc_thieu_so', 'xuat_ngu'])).toBe(5);
    expect(bestPriority(ND138_2020, ['tnxp'])).toBe(2.5);
    expect(bestPriority(ND138_2020, ['can_bo_cong_doan'])).toBe(0); // only from NĐ 116/2024
    expect(bestPriority(ND116_2024, ['can_bo_cong_doan'])).toBe(1.5);
    expect(bestPriority(ND116_2024, ['can_bo_cong_doan', 'tnxp'])).toBe(2.5);
    expect(bestPriority(ND170_2025, ['can_bo_cong_doan'])).toBe(1.5);
    expect(bestPriority(ND138_2020, [])).toBe(0);
    expect(bestPriority(ND138_2020, ['khong_co'])).toBe(0);
  });

  it('an unknown code is flagged, not counted', () => {
    const p = ND24_2010;
    const r = computeCandidateResult(p, { id: 'a', priorityCodes: ['khong_co'] }, [
      { partId: 'ktc', score: 60 },
      { partId: 'nvcn_written', score: 60 },
      { partId: 'nvcn_mc', score: 60 },
      { partId: 'nn', score: 60 },
      { partId: 'th', score: 60 },
    ]);
    expect(r.total).toBe(240);
    expect(r.warnings).toEqual([
      {
        code: 'unknown_priority',
        message: 'Đối tượng ưu tiên "khong_co" không có trong quy định áp dụng.',
        messageEn: 'The priority category "khong_co" is not in the applicable regulation.',
      },
    ]);
  });
});

describe('kiểm định validity: 24 months', () => {
  it('valid through the same day 24 months later, not the day after', () => {
    expect(addMonths('2023-07-15', 24)).toBe('2025-07-15');
    expect(kiemDinhValid('2023-07-15', '2023-07-15', KIEM_DINH_ND06_2023)).toBe(true);
    expect(kiemDinhValid('2023-07-15', '2025-07-15', KIEM_DINH_ND06_2023)).toBe(true);
    expect(kiemDinhValid('2023-07-15', '2025-07-16', KIEM_DINH_ND06_2023)).toBe(false);
    expect(kiemDinhValid('2023-07-15', '2023-07-14', KIEM_DINH_ND06_2023)).toBe(false); // before the result
    expect(kiemDinhValid('2023-11-30', '2025-11-30', ND116_2024)).toBe(true);
    expect(kiemDinhValid('2023-11-30', '2025-12-01', ND116_2024)).toBe(false);
  });

  it('month ends clamp (29/2 + 24 months = 28/2)', () => {
    expect(addMonths('2024-02-29', 24)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(kiemDinhValid('2024-02-29', '2026-02-28', KIEM_DINH_ND06_2023)).toBe(true);
    expect(kiemDinhValid('2024-02-29', '2026-03-01', KIEM_DINH_ND06_2023)).toBe(false);
  });

  it('a profile without kiểm định accepts none; bad dates throw', () => {
    expect(kiemDinhValid('2024-01-01', '2024-06-01', ND138_2020)).toBe(false);
    expect(() => kiemDinhValid('2024-02-30', '2024-06-01', KIEM_DINH_ND06_2023)).toThrow(RangeError);
    expect(() => kiemDinhValid('1/2/2024', '2024-06-01', KIEM_DINH_ND06_2023)).toThrow(RangeError);
  });
});

describe('checkEligibility (promotion-nd138-2020)', () => {
  const p = PROMOTION_ND138_2020;
  const cvc: PromotionCandidate = {
    currentGrade: '01.003',
    targetGrade: '01.002',
    yearsInGrade: 9,
    yearsInExactGrade: 1,
    ratings: ['hoan_thanh', 'tot', 'xuat_sac'],
    underDiscipline: false,
  };

  it('a CV with 9 years (1 as CV), rated well last year and not disciplined is eligible for CVC', () => {
    expect(checkEligibility(p, cvc)).toEqual([]);
    expect(isEligible(p, cvc)).toBe(true);
  });

  it('years in grade: 8.5 < 9', () => {
    expect(checkEligibility(p, { ...cvc, yearsInGrade: 8.5 })).toEqual([
      {
        code: 'years_in_grade',
        blocking: true,
        message:
          'Chưa đủ thời gian giữ ngạch Chuyên viên hoặc tương đương: yêu cầu tối thiểu 9 năm (không kể thời gian tập sự), hiện có 8,5 năm.',
      },
    ]);
  });

  it('years in exactly the lower grade: 0.5 < 1', () => {
    const issues = checkEligibility(p, { ...cvc, yearsInExactGrade: 0.5 });
    expect(issues.map((i) => i.code)).toEqual(['years_in_exact_grade']);
    expect(issues[0]!.message).toBe('Chưa đủ thời gian giữ ngạch Chuyên viên: yêu cầu tối thiểu 1 năm, hiện có 0,5 năm.');
  });

  it('rating: the preceding year must be "hoàn thành tốt" or better', () => {
    const issues = checkEligibility(p, { ...cvc, ratings: ['xuat_sac', 'hoan_thanh'] });
    expect(issues).toEqual([
      {
        code: 'rating',
        blocking: true,
        message:
          'Chưa đạt yêu cầu xếp loại: năm liền trước phải được xếp loại từ "Hoàn thành tốt nhiệm vụ" trở lên (có năm xếp loại "Hoàn thành nhiệm vụ").',
      },
    ]);
    expect(checkEligibility(p, { ...cvc, ratings: [] }).map((i) => i.message)).toEqual([
      'Thiếu kết quả xếp loại chất lượng năm liền trước.',
    ]);
  });

  it('discipline', () => {
    expect(checkEligibility(p, { ...cvc, underDiscipline: true }).map((i) => i.code)).toEqual(['discipline']);
  });

  it('every failure is listed together', () => {
    const issues = checkEligibility(p, {
      ...cvc,
      yearsInGrade: 4,
      yearsInExactGrade: 0,
      ratings: ['khong_hoan_thanh'],
      underDiscipline: true,
    });
    expect(issues.map((i) => i.code)).toEqual(['years_in_grade', 'years_in_exact_grade', 'rating', 'discipline']);
    expect(isEligible(p, { ...cvc, underDiscipline: true })).toBe(false);
  });

  it('CVC → CVCC needs 6 years', () => {
    const cvcc: PromotionCandidate = {
      ...cvc,
      currentGrade: '01.002',
      targetGrade: '01.001',
      yearsInGrade: 6,
      yearsInExactGrade: null,
    };
    expect(checkEligibility(p, cvcc)).toEqual([]);
    expect(checkEligibility(p, { ...cvcc, yearsInGrade: 5.9 }).map((i) => i.message)).toEqual([
      'Chưa đủ thời gian giữ ngạch Chuyên viên chính hoặc tương đương: yêu cầu tối thiểu 6 năm, hiện có 5,9 năm.',
    ]);
  });

  it('CS → CV 3 years, NV → CV 5 years (weak source); NV → CS is left to the board', () => {
    const base: PromotionCandidate = {
      ...cvc,
      currentGrade: '01.004',
      targetGrade: '01.003',
      yearsInGrade: 3,
      yearsInExactGrade: null,
    };
    expect(checkEligibility(p, base)).toEqual([]);
    expect(checkEligibility(p, { ...base, currentGrade: '01.005' }).map((i) => i.code)).toEqual(['years_in_grade']);
    expect(checkEligibility(p, { ...base, currentGrade: '01.005', yearsInGrade: 5 })).toEqual([]);
    const nvCs = checkEligibility(p, { ...base, currentGrade: '01.005', targetGrade: '01.004', yearsInGrade: 1 });
    expect(nvCs.map((i) => [i.code, i.blocking])).toEqual([['rule_unset', false]]);
    expect(isEligible(p, { ...base, currentGrade: '01.005', targetGrade: '01.004', yearsInGrade: 1 })).toBe(true);
  });

  it('wrong current grade, grade not offered, missing data', () => {
    expect(checkEligibility(p, { ...cvc, currentGrade: '01.004' }).map((i) => i.code)).toEqual(['current_grade']);
    expect(checkEligibility(p, { ...cvc, targetGrade: '01.005' }).map((i) => i.message)).toEqual([
      'Kỳ thi không tổ chức thi nâng ngạch lên Nhân viên (01.005).',
    ]);
    expect(checkEligibility(p, { ...cvc, yearsInGrade: null, underDiscipline: null }).map((i) => i.code)).toEqual([
      'data_missing',
      'data_missing',
    ]);
  });

  it('recruitment profiles have no eligibility rules', () => {
    expect(checkEligibility(ND138_2020, { ...cvc, underDiscipline: true })).toEqual([]);
  });
});

describe('bad input data is reported, not thrown', () => {
  it('an invalid birth date is ignored for the "older" criterion with a warning', () => {
    const scores = [
      { partId: 'ktc', correct: 30, total: 60 },
      { partId: 'nn', correct: 15, total: 30 },
      { partId: 'th', correct: 15, total: 30 },
      { partId: 'cm_written', score: 70 },
    ];
    const bad = computeCandidateResult(
      PROMOTION_ND138_2020,
      { id: 'a', grade: '01.002', gender: 'male', birthDate: '1980-02-30' },
      scores,
    );
    expect(bad.warnings).toEqual([
      {
        code: 'invalid_data',
        message: 'Ngày sinh không hợp lệ: 1980-02-30.',
        messageEn: 'The date of birth is not valid: 1980-02-30.',
      },
    ]);
    expect(bad.tie.birthDate).toBeNull();
    const good = computeCandidateResult(
      PROMOTION_ND138_2020,
      { id: 'b', grade: '01.002', gender: 'male', birthDate: '1990-01-01' },
      scores,
    );
    const out = rankCandidates(PROMOTION_ND138_2020, [bad, good], 1);
    expect(out.rows.map((r) => [r.candidateId, r.decidedBy])).toEqual([
      ['b', null],
      ['a', 'older'],
    ]);
  });

  it('a score above the scale is invalid', () => {
    const r = computeCandidateResult(ND24_2010, { id: 'a' }, [{ partId: 'ktc', score: 101 }]);
    expect(r.reasons[0]).toEqual({
      code: 'invalid_score',
      partId: 'ktc',
      message: 'Điểm phần "Kiến thức chung (thi viết)" không hợp lệ (thang điểm 100).',
      messageEn: 'The score of part "General knowledge (written)" is not valid (scale 100).',
    });
    expect(r.total).toBeNull();
  });
});

describe('rankCandidates: performance', () => {
  it('ranks 100,000 candidates within the quota (speed is measured by `npm run bench -- results`)', () => {
    const n = 100_000;
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const results: CandidateResult[] = [];
    for (let i = 0; i < n; i++) {
      const w = Math.round(rnd() * 100);
      const iv = Math.round(rnd() * 100);
      const r2 = (w + iv) / 2;
      const exempt = rnd() < 0.3;
      results.push({
        candidateId: `c${i}`,
        grade: null,
        parts: [],
        conditionsMet: true,
        baseScore: r2,
        round2Score: r2,
        priorityPoints: 0,
        priorityCode: null,
        total: r2 + [0, 0, 0, 1.5, 2.5, 5][Math.floor(rnd() * 6)]!,
        passed: rnd() < 0.8,
        cancelled: false,
        reasons: [],
        warnings: [],
        tie: {
          round2Score: r2,
          writtenScore: w,
          kiemDinhExempt: exempt,
          kiemDinhScore: exempt ? Math.round(rnd() * 100) : null,
          ktcCorrect: exempt ? null : Math.floor(rnd() * 61),
          nvcnWritten: null,
          nvcnMc: null,
          achievement: null,
          female: rnd() < 0.5,
          ethnicMinority: rnd() < 0.1,
          birthDate: `19${70 + Math.floor(rnd() * 30)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
          serviceMonths: Math.floor(rnd() * 400),
          headDecisionOrder: null,
        },
      });
    }
    const out = rankCandidates(ND116_2024, results, 5_000);
    // The promotion chain (woman, minority, older, longer service) parses a date per candidate.
    const out2 = rankCandidates(PROMOTION_ND138_2020, results, 5_000);

    const passing = results.filter((r) => r.passed).length;
    expect(out.rows).toHaveLength(n);
    expect(out.rows.filter((r) => r.rank !== null)).toHaveLength(passing);
    expect(out.selectedCount).toBeGreaterThan(4_900);
    expect(out.selectedCount).toBeLessThanOrEqual(5_000);
    expect(out2.selectedCount).toBeLessThanOrEqual(5_000);
    // Ranked rows are in non-increasing total order, ranks never decrease.
    let sorted = true;
    for (let i = 1; i < passing; i++) {
      const a = out.rows[i - 1]!;
      const b = out.rows[i]!;
      if (b.total! > a.total! || b.rank! < a.rank!) sorted = false;
    }
    expect(sorted).toBe(true);
    // Selected + pending + below-quota + failed account for everyone.
    const count = (s: string) => out.rows.filter((r) => r.status === s).length;
    expect(count('selected') + count('tie_pending') + count('below_quota')).toBe(passing);
    expect(count('failed')).toBe(n - passing);
  });
});

describe('reasons in both languages (issue 19)', () => {
  const all = (ktc: number) => [
    { partId: 'ktc', score: ktc },
    { partId: 'nvcn_written', score: 60 },
    { partId: 'nvcn_mc', score: 60 },
    { partId: 'nn', score: 60 },
    { partId: 'th', score: 60 },
  ];

  it('a failed part, an absent part and a place outside the quota each read in Vietnamese and in English', () => {
    const failed = computeCandidateResult(ND24_2010, { id: 'f' }, all(40));
    expect(failed.reasons).toEqual([
      {
        code: 'part_failed',
        partId: 'ktc',
        message: 'Không đạt phần "Kiến thức chung (thi viết)": 40/100 điểm (40%), yêu cầu từ 50 điểm trở lên.',
        messageEn: 'Did not pass part "General knowledge (written)": 40/100 points (40%), 50 points or more required.',
      },
    ]);
    const absent = computeCandidateResult(ND24_2010, { id: 'a' }, [{ partId: 'ktc', absent: true }, ...all(60).slice(1)]);
    expect(absent.reasons[0]?.message).toBe('Không dự thi phần "Kiến thức chung (thi viết)".');
    expect(absent.reasons[0]?.messageEn).toBe('Absent from part "General knowledge (written)".');

    const first = computeCandidateResult(ND24_2010, { id: 'b' }, all(90));
    const second = computeCandidateResult(ND24_2010, { id: 'c' }, all(70));
    const out = rankCandidates(ND24_2010, [failed, first, second], 1);
    const row = (id: string) => out.rows.find((r) => r.candidateId === id);
    expect(row('b')).toMatchObject({ status: 'selected', reason: null, reasonEn: null });
    expect(row('c')).toMatchObject({
      status: 'below_quota',
      reason: 'Xếp hạng 2, ngoài chỉ tiêu (chỉ tiêu: 1).',
      reasonEn: 'Ranked 2, outside the quota (quota: 1).',
    });
    expect(row('f')).toMatchObject({
      status: 'failed',
      reason: failed.reasons[0]?.message,
      reasonEn: failed.reasons[0]?.messageEn,
    });
    // no English reason is left in Vietnamese
    for (const r of out.rows) if (r.reasonEn) expect(r.reasonEn).not.toMatch(/Không|Xếp hạng|chỉ tiêu/);
  });
});
