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
  KIEM_DINH_ND06_2023,
  legalIssues,
  ND24_2010,
  ND116_2024,
  ND138_2020,
  ND170_2025,
  type PartScoreInput,
  type ProfileCandidate,
  sessionsBarredAfterCancellation,
  VC_THI_TUYEN_ND85_2023,
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

describe('error 2: the complete priority lists of NĐ 138/2020 Điều 5, NĐ 116/2024 and NĐ 170/2025 Điều 6', () => {
  // NĐ 170/2025 Điều 6 (news.laodong 1534613), as NĐ 138/2020 Điều 5 k1: 7.5 points also for "thương
  // binh loại B"; 5 points also for "quân nhân chuyên nghiệp phục viên, người làm công tác cơ yếu
  // chuyển ngành, học viên tốt nghiệp đào tạo sĩ quan dự bị, tốt nghiệp đào tạo chỉ huy trưởng Ban chỉ
  // huy quân sự cấp xã". Before the fix a co_yeu candidate under nd170 got 0 points and a warning.
  const nd170 = applyOverrides(ND170_2025, {
    choices: [
      { id: 'round2_format', selected: 'written' },
      { id: 'nv_format', selected: 'oral' },
    ],
  });
  const r1 = { partId: 'r1_ktc', correct: 30, total: 60 };
  const score = (code: string) =>
    computeCandidateResult(nd170, cand(code, { grade: '01.003', priorityCodes: [code] }), [r1, sc('r2_written', 60)]);

  it('nd170-2025: cơ yếu 5 points (was 0 with a warning): 60 + 5 = 65', () => {
    const r = score('co_yeu');
    expect(r.warnings).toEqual([]);
    expect([r.priorityPoints, r.total]).toEqual([5, 65]);
  });

  it('nd170-2025: thương binh loại B 7.5; QNCN phục viên, sĩ quan dự bị, chỉ huy trưởng xã 5', () => {
    expect(score('thuong_binh_loai_b').total).toBe(67.5);
    for (const code of ['qncn_phuc_vien', 'si_quan_du_bi', 'chi_huy_truong_xa']) expect(score(code).total).toBe(65);
  });

  it('the three profiles carry the same 12 categories (NĐ 116 and 170 add the 1.5-point trade-union one)', () => {
    const codes = (p: typeof ND138_2020) => p.priority.categories.map((c) => `${c.code}:${c.points}`);
    const base = [
      'anh_hung:7.5',
      'thuong_binh:7.5',
      'thuong_binh_loai_b:7.5',
      'dan_toc_thieu_so:5',
      'si_quan_quan_nhan:5',
      'qncn_phuc_vien:5',
      'co_yeu:5',
      'si_quan_du_bi:5',
      'chi_huy_truong_xa:5',
      'con_chinh_sach:5',
      'xuat_ngu:2.5',
      'tnxp:2.5',
    ];
    expect(codes(ND138_2020)).toEqual(base);
    expect(codes(ND116_2024)).toEqual([...base, 'can_bo_cong_doan:1.5']);
    expect(codes(ND170_2025)).toEqual([...base, 'can_bo_cong_doan:1.5']);
  });
});

describe('error 3: NĐ 24/2010 Điều 9 exempts the foreign-language and IT papers', () => {
  // NĐ 24/2010 Điều 9 "Điều kiện miễn thi một số môn": the foreign-language paper is waived for a degree
  // "về ngoại ngữ" or one earned abroad / taught in a foreign language; the IT paper for an IT
  // qualification (thukyluat.vn 60285; reference §5b). Before the fix a candidate with a
  // foreign-language degree failed with score_missing:nn.
  const scores = [sc('ktc', 60), sc('nvcn_written', 70), sc('nvcn_mc', 65), sc('th', 55)];

  it('a foreign-language degree: NN exempt, passes with 60 + 2 × 70 + 65 = 265', () => {
    const r = computeCandidateResult(ND24_2010, cand('a', { exemptions: ['foreign_language'] }), scores);
    expect(r.parts.find((p) => p.partId === 'nn')).toMatchObject({ status: 'exempt', exemptedBy: 'foreign_language' });
    expect(r.reasons).toEqual([]);
    expect([r.passed, r.total]).toEqual([true, 265]);
  });

  it('an IT qualification exempts the tin học paper; without either exemption both papers are needed', () => {
    const r = computeCandidateResult(ND24_2010, cand('a', { exemptions: ['foreign_language', 'it'] }), scores.slice(0, 3));
    expect(r.passed).toBe(true);
    const none = computeCandidateResult(ND24_2010, cand('b'), scores);
    expect(none.reasons.map((x) => `${x.code}:${x.partId}`)).toEqual(['score_missing:nn']);
  });
});

describe('kiểm định: a cancelled result bars the next session (NĐ 06/2023 Điều 10 k4 c)', () => {
  // "Người bị hủy bỏ kết quả kiểm định không được đăng ký dự kiểm định trong một kỳ kiểm định tiếp theo"
  // (thuvienphapluat.vn 15044; lawnet.vn 112212). Sessions twice a year, July and November [S47].
  const sessions = ['2025-07-19', '2024-07-20', '2024-11-16'];
  it('cancelled 15/8/2024: the November 2024 session is barred, July 2025 is open again', () => {
    expect(KIEM_DINH_ND06_2023.cancellationBarsSessions).toBe(1);
    expect(sessionsBarredAfterCancellation(KIEM_DINH_ND06_2023, '2024-08-15', sessions)).toEqual(['2024-11-16']);
    // a session on the day of the cancellation is not "tiếp theo"; before this rule nothing was barred
    expect(sessionsBarredAfterCancellation(KIEM_DINH_ND06_2023, '2024-07-20', sessions)).toEqual(['2024-11-16']);
    expect(sessionsBarredAfterCancellation({ cancellationBarsSessions: null }, '2024-08-15', sessions)).toEqual([]);
  });
});

describe('TT 22/2025: taking the paper out of the room is a ground for hủy kết quả', () => {
  // TT 22/2025 Nội quy (reference §5b, giadinh.suckhoedoisong.vn): cancellation grounds include taking the
  // paper out of the room; reported for TT 22/2025 only, so TT 001/2025 (viên chức) does not list it.
  it('nd170-2025 lists the ground, and a candidate cancelled on it loses the whole result', () => {
    const huy = ND170_2025.sanctions.find((x) => x.code === 'huy_ket_qua');
    expect(huy?.grounds).toContain('mang bài thi ra ngoài phòng thi');
    expect(VC_THI_TUYEN_ND85_2023.sanctions.find((x) => x.code === 'huy_ket_qua')?.grounds).not.toContain(
      'mang bài thi ra ngoài',
    );
    const p = applyOverrides(ND170_2025, { choices: [{ id: 'round2_format', selected: 'written' }] });
    const r = computeCandidateResult(p, cand('a', { grade: '01.003', sanctions: [{ partId: 'r1_ktc', code: 'huy_ket_qua' }] }), [
      { partId: 'r1_ktc', correct: 50, total: 60 },
      sc('r2_written', 90),
    ]);
    expect([r.passed, r.cancelled, r.reasons[0]?.code]).toEqual([false, true, 'result_cancelled']);
  });
});
