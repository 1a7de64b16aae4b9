import { describe, expect, it } from 'vitest';
import { type EligibilityData, evaluateEligibility, formatYearsMonths, parseYearsMonths } from './eligibility.js';
import { ETHNICITIES, findEthnicity, isEthnicMinority } from './ethnicities.js';
import { PROMOTION_ND138_2020 } from './promotion-nd138-2020.js';

const base: EligibilityData = {
  currentGrade: '01.003',
  monthsInGrade: 9 * 12,
  monthsInExactGrade: 9 * 12,
  ratings: ['tot'],
  underDiscipline: false,
  serviceMonths: 151,
};
const toCvc = (d: Partial<EligibilityData>, eq = []) =>
  evaluateEligibility(PROMOTION_ND138_2020, '01.002', { ...base, ...d }, eq);

describe('years and months (issue 13)', () => {
  it('counts 12 years 7 months as 151 months, in every accepted spelling, and refuses decimal years', () => {
    for (const s of ['12 năm 7 tháng', '12 nam 7 thang', '12n7t', '12 năm, 7 tháng', '12y 7m'])
      expect(parseYearsMonths(s)).toBe(151);
    expect(parseYearsMonths('9')).toBe(108);
    expect(parseYearsMonths('7 tháng')).toBe(7);
    expect(parseYearsMonths('12,5833')).toBeNull();
    expect(parseYearsMonths('12 năm 13 tháng')).toBeNull();
    expect(formatYearsMonths(151)).toBe('12 năm 7 tháng');
  });
});

describe('eligibility for CV → CVC (NĐ 138/2020)', () => {
  it('fails "at least 1 year in the current grade" when 9 years are only reached with an earlier grade', () => {
    const v = toCvc({ monthsInGrade: 9 * 12 + 3, monthsInExactGrade: 7 });
    expect(v.status).toBe('not_eligible');
    expect(v.reasons.join(' ')).toMatch(/Chưa đủ thời gian giữ ngạch Chuyên viên: yêu cầu tối thiểu 1 năm, hiện có 7 tháng/);
    expect(toCvc({ monthsInGrade: 9 * 12, monthsInExactGrade: 12 }).status).toBe('eligible');
    expect(toCvc({ monthsInGrade: 9 * 12 - 1 }).status).toBe('not_eligible');
  });

  it('accepts an equivalent grade through the exam table, with its source; refuses an unknown one', () => {
    const eq = [{ code: '06.031', name: 'Kế toán viên', equivalentTo: '01.003' as const, source: 'Văn bản do Hội đồng dẫn' }];
    const ok = evaluateEligibility(PROMOTION_ND138_2020, '01.002', { ...base, currentGrade: '06.031' }, eq);
    expect(ok.status).toBe('eligible');
    expect(ok.grade?.via).toContain('Văn bản do Hội đồng dẫn');
    const no = evaluateEligibility(PROMOTION_ND138_2020, '01.002', { ...base, currentGrade: '06.031' }, []);
    expect(no.status).toBe('not_eligible');
    expect(no.reasons[0]).toMatch(/chưa có trong bảng ngạch tương đương/);
  });
});

describe('the 54 ethnic groups', () => {
  it('has 54 groups, one majority; "Việt (Kinh)" is not a minority, "Tày" and "H\'mông" are', () => {
    expect(ETHNICITIES).toHaveLength(54);
    expect(new Set(ETHNICITIES.map((e) => e.id)).size).toBe(54);
    expect(ETHNICITIES.filter((e) => !e.minority).map((e) => e.id)).toEqual(['kinh']);
    for (const s of ['Việt (Kinh)', 'Kinh', 'kinh', 'Việt', 'dân tộc Kinh']) expect(isEthnicMinority(s)).toBe(false);
    expect(isEthnicMinority('Tày')).toBe(true);
    expect(findEthnicity("H'mông")?.name).toBe('Mông');
    expect(isEthnicMinority('Không rõ')).toBeNull();
  });
});
