/**
 * Thi nâng ngạch công chức 2010–2020: NĐ 24/2010/NĐ-CP (Mục 2 Chương III, Điều 29 ff.) with
 * TT 13/2010/TT-BNV (Chương II) as amended by TT 05/2012/TT-BNV, held "theo nguyên tắc cạnh tranh"
 * (QĐ 1344/QĐ-BNV 2011 [S11]) — the regime of the 2013 provincial plan in ../shared/seed. promotion-nd138-2020
 * does not cover it: that profile encodes NĐ 138/2020 Điều 36–38 from 1/12/2020.
 *
 * What was found (reference §1 and the search tool):
 * - subjects: kiến thức chung, chuyên môn nghiệp vụ, ngoại ngữ, tin học [S13b];
 * - eligibility, k3 Điều 29 NĐ 24/2010 (weak source) [S12]: the unit needs the post; "hoàn thành tốt nhiệm
 *   vụ" for 3 consecutive years; good political and moral qualities, not under discipline; the
 *   competence and diplomas of the higher rank. The file: VBHN 05/VBHN-BNV Điều 16 "an assessment … based
 *   on the criteria and conditions stipulated in Clause 3, Article 29 of Decree 24/2010" (lawnet.vn 153330);
 * - time in grade: CV → CVC ≥ 9 years as CV or equivalent, probation not counted (CV 956/BNV-CCVC, 2014)
 *   [S13]; CVC → CVCC 6 years [S27b]; CS → CV 3 years (weak) [S61];
 * - the plan: TT 13/2010 Điều 15 ("kế hoạch thi nâng ngạch"), replaced from 1/7/2019 by the "đề án thi
 *   nâng ngạch" sent to BNV for comment (TT 03/2019/TT-BNV; lawnet.vn 150215); TT 05/2017/TT-BNV (in force
 *   1/10/2017) amended TT 13/2010 on organising promotion exams (baocaotaichinh.vn 95475);
 * - QĐ 1344/QĐ-BNV (BNV's 2011 CVC exam, reference only) [S11]: KTC written 180'/120', chuyên môn MC 45' or
 *   written 180', ngoại ngữ written level B 90', tin học MC or practical 45'.
 * NOT FOUND, after searching again (Vietnamese and English queries on TT 13/2010, TT 05/2012, "nguyên tắc
 * cạnh tranh", "người trúng tuyển kỳ thi nâng ngạch"): who passes a promotion exam (the pass mark of each
 * subject, which subjects add to the total, the tie-break), and what NĐ 161/2018 changed for promotion from
 * 15/1/2019. So every pass rule is a board setting ('none' until set), the counted subjects carry no
 * coefficient until the board sets one (the total stays blocked, never guessed), and the tie-break chain is
 * empty: equal totals at the last place are marked for the council, never decided here.
 * Exemptions: NĐ 24/2010 Điều 9 ("Điều kiện miễn thi một số môn": foreign language — a degree in a foreign
 * language, or studied abroad / in a foreign language; IT — an IT qualification) is the recruitment
 * article (see nd24-2010.ts); that it applied to promotion exams is UNVERIFIED, so the board records each
 * exemption (`foreign_language`, `it`) as for promotion-nd138-2020.
 */
import { NO_PARTIAL_CREDIT, ROUND_1, sanctionsUnknown } from './common.js';
import type { ProfilePart, RegulationProfile } from './types.js';

const SRC_SUBJECTS = 'NĐ 24/2010; TT 13/2010 (sửa bởi TT 05/2012) [S13b]';
const SRC_PASS = 'TT 13/2010, TT 05/2012: quy định xác định người trúng tuyển KHÔNG TÌM THẤY';
const SRC_ELIG = 'NĐ 24/2010 Điều 29 khoản 3 [S12]; VBHN 05/VBHN-BNV Điều 16 (lawnet.vn 153330)';

function subject(id: string, hint: 'KTC' | 'CM' | 'NN' | 'TH', vi: string, en: string, counted: boolean): ProfilePart {
  return {
    id,
    name: { vi, en },
    subject: hint,
    round: 1,
    mode: null, // NOT FOUND for the 2010 regime (QĐ 1344/QĐ-BNV is one ministry's plan) [S11]
    questionCount: null,
    durationMin: null,
    scoreScale: 100,
    passRule: { kind: 'none' }, // NOT FOUND: the board sets the pass mark
    role: counted ? 'counted' : 'condition',
    coefficient: null, // NOT FOUND: a counted subject blocks the total until the board sets it
    exemptibleBy: hint === 'NN' ? ['foreign_language'] : hint === 'TH' ? ['it'] : [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: null,
    source: SRC_SUBJECTS,
  };
}

export const PROMOTION_ND24_2010: RegulationProfile = {
  id: 'promotion-nd24-2010',
  name: {
    vi: 'Thi nâng ngạch công chức theo NĐ 24/2010/NĐ-CP (nguyên tắc cạnh tranh)',
    en: 'Civil-service rank-promotion exam under Decree 24/2010 (competitive principle)',
  },
  kind: 'promotion',
  legalBasis:
    'Nghị định 24/2010/NĐ-CP Mục 2 Chương III (sửa đổi bởi NĐ 93/2010, từ 15/1/2019 NĐ 161/2018); Thông tư 13/2010/TT-BNV ' +
    'Chương II (sửa đổi bởi TT 05/2012/TT-BNV, TT 05/2017/TT-BNV, TT 03/2019/TT-BNV); QĐ 1344/QĐ-BNV (tham khảo).',
  sources: ['S11', 'S12', 'S13', 'S13b', 'S27b', 'S28', 'S30', 'S61'],
  // In force until NĐ 138/2020 took over on 1/12/2020 (reference §0). The start date of NĐ 24/2010 is
  // not in the reference (only its signing, 15/3/2010).
  effective: {
    from: null,
    to: '2020-11-30',
    note: 'Từ 15/1/2019 NĐ 161/2018 sửa NĐ 24/2010 và từ 1/7/2019 TT 03/2019 thay kế hoạch thi bằng đề án thi nâng ngạch; nội dung thay đổi về thi nâng ngạch KHÔNG TÌM THẤY.',
  },
  targetGrades: ['01.001', '01.002', '01.003', '01.004'],
  rounds: [{ round: 1, name: ROUND_1 }],
  parts: [
    subject('ktc', 'KTC', 'Kiến thức chung', 'General knowledge', true),
    subject('cm', 'CM', 'Chuyên môn, nghiệp vụ', 'Professional expertise', true),
    subject('nn', 'NN', 'Ngoại ngữ', 'Foreign language', false),
    subject('th', 'TH', 'Tin học', 'IT', false),
  ],
  choices: [],
  total: {
    // Competitive principle: ranked by the total within the promotion quota; no priority points found.
    priorityAddedTo: null,
    maxBeforePriority: null,
    minScores: [],
    source: SRC_PASS,
  },
  priority: { combine: 'highest_only', categories: [], source: SRC_PASS },
  tieBreak: { chain: [], partSources: {}, source: SRC_PASS },
  sanctions: sanctionsUnknown('TT 13/2010 (KHÔNG TÌM THẤY)'),
  timingMode: null,
  autoSubmit: null,
  showResultImmediately: null,
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: null,
  lateAdmission: null,
  bankMultiple: null,
  kiemDinhValidityMonths: null,
  partialCredit: NO_PARTIAL_CREDIT,
  resultsCarryOver: null,
  eligibility: {
    serviceTime: [
      {
        targetGrade: '01.002',
        fromGrades: ['01.003'],
        minYears: 9,
        minYearsInExactGrade: null, // "at least 1 year as CV" is from a 2019 dispatch [S60], not the 2010 regime
        excludesProbation: true,
        source: 'CV 956/BNV-CCVC (2014) [S13]',
      },
      {
        targetGrade: '01.001',
        fromGrades: ['01.002'],
        minYears: 6,
        minYearsInExactGrade: null,
        excludesProbation: null,
        source: '[S27b]',
      },
      {
        targetGrade: '01.003',
        fromGrades: ['01.004'],
        minYears: 3,
        minYearsInExactGrade: null,
        excludesProbation: null,
        weakSource: true,
        source: '[S61]',
      },
    ],
    // "hoàn thành tốt nhiệm vụ" for 3 consecutive years (k3 Điều 29, weak source) [S12]
    rating: { min: 'tot', years: 3 },
    noDiscipline: true,
    otherConditions: [
      { vi: 'Cơ quan, đơn vị có nhu cầu và vị trí việc làm phù hợp với ngạch dự thi', en: 'The unit needs the post' },
      { vi: 'Có phẩm chất chính trị, đạo đức tốt', en: 'Good political and moral qualities' },
      {
        vi: 'Có năng lực, trình độ chuyên môn, nghiệp vụ và văn bằng, chứng chỉ theo tiêu chuẩn ngạch dự thi',
        en: 'Competence and the diplomas of the higher rank',
      },
    ],
    source: SRC_ELIG,
  },
  gaps: [
    'Điều kiện trúng tuyển kỳ thi nâng ngạch (điểm đạt từng môn, môn nào cộng vào tổng, thứ tự khi bằng điểm) theo TT 13/2010, TT 05/2012: KHÔNG TÌM THẤY sau khi tìm lại — Hội đồng đặt passRule, hệ số (coefficient) các môn tính điểm và tieBreak.chain; khi chưa đặt, tổng điểm chưa được tính.',
    'Vai trò của ngoại ngữ, tin học (điều kiện, không cộng vào tổng) lấy theo thi tuyển (NĐ 24/2010 Điều 10 [S3]): CHƯA KIỂM CHỨNG đối với thi nâng ngạch.',
    'Hình thức, thời gian thi từng môn: KHÔNG TÌM THẤY; QĐ 1344/QĐ-BNV (kỳ thi CVC năm 2011 của Bộ Nội vụ) chỉ để tham khảo [S11].',
    'Miễn thi ngoại ngữ, tin học: NĐ 24/2010 Điều 9 là điều về thi tuyển; áp dụng cho thi nâng ngạch CHƯA KIỂM CHỨNG — Hội đồng ghi nhận từng trường hợp.',
    'Thay đổi về thi nâng ngạch của NĐ 161/2018 (từ 15/1/2019): KHÔNG TÌM THẤY.',
    'Thời gian giữ ngạch: CV → CVC 9 năm [S13], CVC → CVCC 6 năm [S27b], CS → CV 3 năm (nguồn yếu) [S61]; NV → CS: KHÔNG TÌM THẤY.',
    'Hình thức kỷ luật, mức trừ điểm, thời gian đến muộn theo TT 13/2010: KHÔNG TÌM THẤY.',
  ],
};
