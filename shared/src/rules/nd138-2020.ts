/**
 * NĐ 138/2020 (original text, 1/12/2020 until amended by NĐ 116/2024 on 17/9/2024) with TT 06/2020
 * (Quy chế and Nội quy, in force 20/1/2021): two-round recruitment [S1][S6][S8][S16]–[S19].
 */
import {
  FORMAT_LABELS,
  lateAdmissionTt06,
  NO_PARTIAL_CREDIT,
  PRIORITY_WORDING_GAP,
  priorityNd138,
  ROUND_1,
  ROUND_2,
  sanctionsTt06,
} from './common.js';
import type { ProfilePart, RegulationProfile } from './types.js';

const SRC_R1 = 'NĐ 138/2020 Điều 8 k1 [S1]';
const SRC_R2 = 'NĐ 138/2020 Điều 8 k2 [S6][S17]';
const SRC_PASS = 'NĐ 138/2020 Điều 9 [S18]';
const SRC_EXEMPT = 'NĐ 138/2020 (miễn thi ngoại ngữ, tin học) [S16]';

function interview(id: string, coefficient: number | null, option: string): ProfilePart {
  return {
    id,
    name: { vi: 'Vòng 2 — Phỏng vấn', en: 'Round 2 — Interview' },
    subject: 'NVCN',
    round: 2,
    mode: 'interview',
    questionCount: null,
    durationMin: 30,
    prepMaxMin: 15,
    scoreScale: 100,
    // Single format: round 2 ≥50 [S18]. When both formats are used, only the round-2 score is bound
    // (see total.minScores); a per-paper minimum is NOT FOUND for NĐ 138 (NĐ 116 added one).
    passRule: option === 'both' ? { kind: 'none' } : { kind: 'min_score', score: 50 },
    role: 'counted',
    coefficient,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: { choiceId: 'round2_format', options: [option] },
    source: SRC_R2,
  };
}

function written(id: string, coefficient: number | null, option: string): ProfilePart {
  return {
    id,
    name: { vi: 'Vòng 2 — Thi viết', en: 'Round 2 — Written' },
    subject: 'NVCN',
    round: 2,
    mode: 'written',
    questionCount: null,
    durationMin: 180, // not counting time to copy the questions [S6]
    scoreScale: 100,
    passRule: option === 'both' ? { kind: 'none' } : { kind: 'min_score', score: 50 },
    role: 'counted',
    coefficient,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: { choiceId: 'round2_format', options: [option] },
    source: SRC_R2,
  };
}

export const ND138_2020: RegulationProfile = {
  id: 'nd138-2020',
  name: {
    vi: 'Thi tuyển công chức theo NĐ 138/2020/NĐ-CP',
    en: 'Civil-service recruitment exam under Decree 138/2020',
  },
  kind: 'recruitment',
  legalBasis:
    'Nghị định 138/2020/NĐ-CP (Điều 5, 8, 9, 14, 15); Thông tư 06/2020/TT-BNV ban hành Quy chế và Nội quy thi (hiệu lực 20/1/2021).',
  sources: ['S1', 'S6', 'S8', 'S16', 'S17', 'S18', 'S19', 'S22', 'S32', 'S36', 'S39'],
  effective: { from: '2020-12-01', to: '2024-09-16' },
  targetGrades: null,
  rounds: [
    { round: 1, name: ROUND_1 },
    { round: 2, name: ROUND_2 },
  ],
  parts: [
    {
      id: 'r1_ktc',
      name: { vi: 'Vòng 1 — Phần I: Kiến thức chung', en: 'Round 1 — Part I: General knowledge' },
      subject: 'KTC',
      round: 1,
      mode: 'computer_mc', // on computer; paper only if computers are unavailable [S1]
      questionCount: 60,
      durationMin: 60,
      scoreScale: 60,
      passRule: { kind: 'min_percent', percent: 50 }, // ≥50% correct in each part [S1]
      role: 'condition',
      coefficient: null,
      exemptibleBy: [],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: SRC_R1,
    },
    {
      id: 'r1_nn',
      name: { vi: 'Vòng 1 — Phần II: Ngoại ngữ', en: 'Round 1 — Part II: Foreign language' },
      subject: 'NN',
      round: 1,
      mode: 'computer_mc',
      questionCount: 30,
      durationMin: 30,
      scoreScale: 30,
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      exemptibleBy: ['foreign_language'], // [S16]
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      note: 'Tiếng Anh, Nga, Pháp, Đức, Trung hoặc ngoại ngữ khác theo yêu cầu vị trí việc làm [S1].',
      source: `${SRC_R1}; ${SRC_EXEMPT}`,
    },
    {
      id: 'r1_th',
      name: { vi: 'Vòng 1 — Phần III: Tin học', en: 'Round 1 — Part III: IT' },
      subject: 'TH',
      round: 1,
      mode: 'computer_mc',
      questionCount: 30,
      durationMin: 30,
      scoreScale: 30,
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      exemptibleBy: ['it'], // trung cấp or higher IT degree [S16]
      droppedWhen: { onComputer: true, note: 'Không thi phần tin học khi thi trên máy tính [S1].' },
      appliesToGrades: null,
      choice: null,
      source: `${SRC_R1}; ${SRC_EXEMPT}`,
    },
    interview('r2_interview', 1, 'interview'),
    written('r2_written', 1, 'written'),
    // Both formats: how the two papers combine into the round-2 score is NOT FOUND, so the
    // coefficients are null until the board sets them.
    interview('r2_both_interview', null, 'both'),
    written('r2_both_written', null, 'both'),
  ],
  choices: [
    {
      id: 'round2_format',
      label: { vi: 'Hình thức thi vòng 2', en: 'Round-2 format' },
      options: [
        { id: 'interview', label: FORMAT_LABELS.interview },
        { id: 'written', label: FORMAT_LABELS.written },
        { id: 'both', label: FORMAT_LABELS.both },
      ],
      selected: null, // the board chooses [S6][S17]
      source: SRC_R2,
    },
  ],
  total: {
    // Ranked by round 2 + priority; round 1 is pass/fail only [S18].
    priorityAddedTo: 'round2',
    maxBeforePriority: null,
    minScores: [{ of: 'round2', min: 50, grades: null, source: SRC_PASS }],
    source: SRC_PASS,
  },
  priority: { combine: 'highest_only', categories: priorityNd138(), source: 'NĐ 138/2020 Điều 5 [S8]' },
  tieBreak: {
    // Higher round 2, then the head decides [S18].
    chain: ['round2_score', 'head_decides'],
    partSources: {},
    source: SRC_PASS,
  },
  sanctions: sanctionsTt06(),
  timingMode: null, // NOT FOUND in TT 06/2020
  autoSubmit: null, // NOT FOUND in TT 06/2020
  showResultImmediately: true, // NĐ 138 Điều 14: announced immediately after the test [S17][S32]
  resultSheetSigned: null, // NOT FOUND in TT 06/2020
  noPhucKhaoComputerRound1: true, // [S17][S32]
  lateAdmission: lateAdmissionTt06(),
  bankMultiple: 3, // TT 06/2020 Quy chế Điều 19 [S36]
  kiemDinhValidityMonths: null, // kiểm định came with NĐ 06/2023 and NĐ 116/2024
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: false, // [S18]
  eligibility: null,
  gaps: [
    PRIORITY_WORDING_GAP,
    'Khi thi cả phỏng vấn và viết ở vòng 2: cách tính điểm vòng 2 (hệ số mỗi bài) KHÔNG TÌM THẤY — Hội đồng phải đặt hệ số.',
    'Mức trừ điểm khi khiển trách, cảnh cáo (TT 06/2020): KHÔNG TÌM THẤY.',
    'Đình chỉ thi có cấm thi tiếp các phần sau hay không (TT 06/2020): KHÔNG TÌM THẤY.',
    'Hạn phúc khảo: KHÔNG TÌM THẤY trong văn bản; thực tiễn 15 ngày [S23].',
    'Xử lý sự cố máy tính, cộng giờ; hiển thị điểm/ký xác nhận cuối giờ (TT 06/2020): KHÔNG TÌM THẤY.',
    'Cách tính giờ (khung giờ cố định hay từ lúc thí sinh bắt đầu): KHÔNG TÌM THẤY.',
  ],
};
