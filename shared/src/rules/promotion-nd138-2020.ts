/**
 * Thi nâng ngạch công chức under NĐ 138/2020 (Điều 30–38), 1/12/2020 to 30/6/2025 (NĐ 170/2025 has no
 * promotion exams) [S40]–[S46]. Quy chế and Nội quy: TT 06/2020, the instrument paired with NĐ 138 in
 * the reference's timeline (§0) [S19][S36].
 *
 * Who passes (Điều 38) [S44]: ≥50% correct in each MC subject unless exempt; chuyên môn ≥50
 * (to CVCC: ≥100 in total with both papers ≥50); ranked within the promotion quota of the target rank.
 * Tie: woman → ethnic minority → older → longer service → the head decides after consulting the
 * managing agency. No carry-over.
 */
import { lateAdmissionTt06, NO_PARTIAL_CREDIT, ROUND_1, sanctionsTt06 } from './common.js';
import type { GradeCode, ProfilePart, RegulationProfile } from './types.js';

const SRC_SUBJECTS = 'NĐ 138/2020 Điều 37 [S42]';
const SRC_PASS = 'NĐ 138/2020 Điều 38 [S44]';
const SRC_ELIG = 'NĐ 138/2020 Điều 30 k3 [S40]';

function mc(id: string, subject: 'KTC' | 'NN' | 'TH', vi: string, en: string, count: number): ProfilePart {
  return {
    id,
    name: { vi, en },
    subject,
    round: 1,
    mode: 'computer_mc',
    questionCount: count,
    durationMin: count, // KTC 60/60', NN 30/30', TH 30/30' [S42]
    scoreScale: count,
    passRule: { kind: 'min_percent', percent: 50 },
    role: 'condition',
    coefficient: null,
    // "Unless exempt" [S44]; the grounds for exemption in promotion exams are UNVERIFIED [S45]: the
    // board records which candidates are exempt.
    exemptibleBy: subject === 'NN' ? ['foreign_language'] : subject === 'TH' ? ['it'] : [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: null,
    source: `${SRC_SUBJECTS}; ${SRC_PASS}`,
  };
}

function cm(id: string, grades: GradeCode[], over: Partial<ProfilePart>): ProfilePart {
  return {
    id,
    name: { vi: 'Chuyên môn, nghiệp vụ', en: 'Professional expertise' },
    subject: 'CM',
    round: 1,
    mode: 'written',
    questionCount: null,
    durationMin: null,
    scoreScale: 100,
    passRule: { kind: 'min_score', score: 50 },
    role: 'counted',
    coefficient: 1,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: grades,
    choice: null,
    source: `${SRC_SUBJECTS}; ${SRC_PASS}`,
    ...over,
  };
}

export const PROMOTION_ND138_2020: RegulationProfile = {
  id: 'promotion-nd138-2020',
  name: {
    vi: 'Thi nâng ngạch công chức theo NĐ 138/2020/NĐ-CP',
    en: 'Civil-service rank-promotion exam under Decree 138/2020',
  },
  kind: 'promotion',
  legalBasis:
    'Nghị định 138/2020/NĐ-CP Điều 30, 33, 34, 37, 38; Thông tư 02/2021/TT-BNV (mã ngạch, tiêu chuẩn); Thông tư 06/2020/TT-BNV.',
  sources: ['S13', 'S19', 'S27b', 'S36', 'S40', 'S41', 'S42', 'S44', 'S45', 'S59', 'S60', 'S61', 'S62'],
  effective: { from: '2020-12-01', to: '2025-06-30' },
  targetGrades: ['01.001', '01.002', '01.003', '01.004'],
  rounds: [{ round: 1, name: ROUND_1 }],
  parts: [
    mc('ktc', 'KTC', 'Kiến thức chung (trắc nghiệm)', 'General knowledge (MC)', 60),
    mc('nn', 'NN', 'Ngoại ngữ (trắc nghiệm)', 'Foreign language (MC)', 30),
    mc('th', 'TH', 'Tin học (trắc nghiệm)', 'IT (MC)', 30),
    // To CVC: written, 180' [S42].
    cm('cm_written', ['01.002'], {
      name: { vi: 'Chuyên môn, nghiệp vụ (thi viết)', en: 'Professional expertise (written)' },
      durationMin: 180,
    }),
    // To CVCC: write a đề án (≤8 hours) and defend it (≤30'), each out of 100 [S42].
    cm('cm_project', ['01.001'], {
      name: { vi: 'Viết đề án', en: 'Write a project proposal (đề án)' },
      mode: 'project',
      durationMin: 480,
      durationIsMaximum: true,
    }),
    cm('cm_defence', ['01.001'], {
      name: { vi: 'Bảo vệ đề án', en: 'Defend the project proposal' },
      mode: 'oral',
      durationMin: 30,
      durationIsMaximum: true,
    }),
    // To CV or cán sự: form and length UNVERIFIED (the viên chức equivalent, written 120' under
    // NĐ 115/2020 Điều 39 [S43], is not applied). The board sets mode and duration.
    cm('cm_cv_cs', ['01.003', '01.004'], { mode: null, durationMin: null }),
  ],
  choices: [],
  total: {
    // Ranked by the chuyên môn score; MC subjects are conditions; no priority points in Điều 38 [S44].
    priorityAddedTo: null,
    maxBeforePriority: null,
    minScores: [{ of: 'base', min: 100, grades: ['01.001'], source: SRC_PASS }],
    source: SRC_PASS,
  },
  priority: { combine: 'highest_only', categories: [], source: SRC_PASS },
  tieBreak: {
    chain: ['female', 'ethnic_minority', 'older', 'longer_service', 'head_decides'],
    partSources: {},
    source: SRC_PASS,
  },
  sanctions: sanctionsTt06(),
  timingMode: null, // NOT FOUND
  autoSubmit: null, // NOT FOUND
  showResultImmediately: null, // NĐ 138 Điều 14 concerns recruitment; for promotion NOT FOUND
  resultSheetSigned: null, // NOT FOUND
  noPhucKhaoComputerRound1: null, // NOT FOUND for promotion
  lateAdmission: lateAdmissionTt06(),
  bankMultiple: 3, // TT 06/2020 Điều 19 [S36]
  kiemDinhValidityMonths: null,
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: false, // [S44]
  eligibility: {
    serviceTime: [
      {
        // ≥9 years as CV or equivalent, at least 1 of them as CV; probation not counted [S13][S60].
        targetGrade: '01.002',
        fromGrades: ['01.003'],
        minYears: 9,
        minYearsInExactGrade: 1,
        excludesProbation: true,
        source: 'CV 956/BNV-CCVC [S13]; [S60]',
      },
      {
        // CVC → CVCC: 6 years [S27b]; a minimum in exactly CVC is UNVERIFIED.
        targetGrade: '01.001',
        fromGrades: ['01.002'],
        minYears: 6,
        minYearsInExactGrade: null,
        excludesProbation: null,
        source: '[S27b]',
      },
      {
        // CS → CV: 3 years as cán sự (weak source) [S61].
        targetGrade: '01.003',
        fromGrades: ['01.004'],
        minYears: 3,
        minYearsInExactGrade: null,
        excludesProbation: null,
        weakSource: true,
        source: '[S61]',
      },
      {
        // NV → CV: 5 years (weak source) [S61].
        targetGrade: '01.003',
        fromGrades: ['01.005'],
        minYears: 5,
        minYearsInExactGrade: null,
        excludesProbation: null,
        weakSource: true,
        source: '[S61]',
      },
      {
        // NV → CS: NOT FOUND.
        targetGrade: '01.004',
        fromGrades: ['01.005'],
        minYears: null,
        minYearsInExactGrade: null,
        excludesProbation: null,
        source: 'NOT FOUND',
      },
    ],
    // "Hoàn thành tốt nhiệm vụ" or better in the preceding year [S40].
    rating: { min: 'tot', years: 1 },
    noDiscipline: true, // [S40]
    otherConditions: [
      {
        vi: 'Cơ quan, đơn vị có nhu cầu (đề án được cơ quan có thẩm quyền cho ý kiến)',
        en: 'The unit needs the post (plan commented on by BNV / Ban Tổ chức TW) [S41]',
      },
      { vi: 'Có phẩm chất chính trị, đạo đức tốt', en: 'Good political and moral qualities' },
      { vi: 'Có năng lực, trình độ chuyên môn đáp ứng ngạch dự thi', en: 'Competence for the higher rank' },
      {
        vi: 'Đáp ứng tiêu chuẩn văn bằng, chứng chỉ của ngạch dự thi (văn bằng có chuẩn đầu ra ngoại ngữ, tin học được công nhận)',
        en: 'Required diplomas (a degree with built-in foreign-language/IT output standards counts)',
      },
      {
        vi: 'Dự thi ngạch CVCC: có bằng cao cấp lý luận chính trị và chứng chỉ bồi dưỡng ngạch CVCC (TT 02/2021 Điều 5 k4)',
        en: 'To CVCC: advanced political theory and the CVCC state-management certificate [S62]',
      },
    ],
    source: SRC_ELIG,
  },
  gaps: [
    'Hình thức và thời gian thi chuyên môn khi nâng ngạch lên chuyên viên, cán sự: CHƯA KIỂM CHỨNG.',
    'Căn cứ miễn thi ngoại ngữ, tin học trong thi nâng ngạch: CHƯA KIỂM CHỨNG [S45] — Hội đồng ghi nhận từng trường hợp.',
    'Thời gian giữ ngạch CVC tối thiểu khi dự thi CVCC (trong 6 năm): CHƯA KIỂM CHỨNG; nâng ngạch nhân viên lên cán sự: KHÔNG TÌM THẤY.',
    'Thời gian giữ ngạch cán sự/nhân viên khi dự thi chuyên viên: nguồn yếu [S61].',
    'Mức trừ điểm khi khiển trách, cảnh cáo: KHÔNG TÌM THẤY.',
  ],
};
