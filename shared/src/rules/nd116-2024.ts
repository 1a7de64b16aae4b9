/**
 * NĐ 138/2020 as amended by NĐ 116/2024 (17/9/2024 to 30/6/2025) [S14][S15][S51][S52]: tin học
 * removed from round 1, a valid kiểm định result (NĐ 06/2023) exempts round 1, a new tie-break chain
 * and a +1.5 priority category. Quy chế: TT 06/2020, then TT 001/2025 from 1/5/2025 [S19][S20].
 */
import {
  category,
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

const SRC_AMEND = 'NĐ 116/2024 sửa NĐ 138/2020 Điều 8 [S14][S15][S51]';
const SRC_PASS = 'NĐ 138/2020 Điều 9 (sửa bởi NĐ 116/2024) [S18][S51]';

function round2Part(id: string, mode: 'written' | 'interview', option: string, coefficient: number | null): ProfilePart {
  return {
    id,
    name:
      mode === 'written'
        ? { vi: 'Vòng 2 — Thi viết', en: 'Round 2 — Written' }
        : { vi: 'Vòng 2 — Phỏng vấn', en: 'Round 2 — Interview' },
    subject: 'NVCN',
    round: 2,
    mode,
    questionCount: null,
    // Durations are NĐ 138 Điều 8 k2 (written 180', interview 30' with ≤15' preparation) [S6][S17];
    // the reference reports no change to them by NĐ 116.
    durationMin: mode === 'written' ? 180 : 30,
    ...(mode === 'interview' ? { prepMaxMin: 15 } : {}),
    scoreScale: 100,
    // Written alone: round 2 ≥50. Written + interview: both papers must be sat with ≥50% each [S14][S15].
    passRule: { kind: 'min_score', score: 50 },
    role: 'counted',
    coefficient,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: { choiceId: 'round2_format', options: [option] },
    source: SRC_AMEND,
  };
}

export const ND116_2024: RegulationProfile = {
  id: 'nd116-2024',
  name: {
    vi: 'Thi tuyển công chức theo NĐ 138/2020 sửa đổi bởi NĐ 116/2024',
    en: 'Civil-service recruitment under Decree 138/2020 as amended by Decree 116/2024',
  },
  kind: 'recruitment',
  legalBasis:
    'Nghị định 138/2020/NĐ-CP sửa đổi, bổ sung bởi Nghị định 116/2024/NĐ-CP (17/9/2024); Nghị định 06/2023/NĐ-CP (kiểm định); ' +
    'Thông tư 06/2020/TT-BNV, từ 1/5/2025 Thông tư 001/2025/TT-BNV.',
  sources: ['S8', 'S10', 'S14', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20', 'S36', 'S49', 'S51', 'S52'],
  // NĐ 116/2024 is in force on signing (17/9/2024) [S14][S15]. NĐ 170/2025 replaces it from 1/7/2025,
  // but Điều 70 (chuyển tiếp): a recruitment whose round 1 was finished before 1/7/2025 goes on under
  // the old rules for up to 3 months (reference §5b, news.laodong 1538619), so exams up to 30/9/2025
  // may still be held under this profile; the board confirms that round 1 ended before 1/7/2025.
  effective: {
    from: '2024-09-17',
    to: '2025-09-30',
    note: 'Từ 1/7/2025 chỉ áp dụng cho kỳ tuyển dụng đã thi xong vòng 1 trước 1/7/2025, tối đa 3 tháng (NĐ 170/2025 Điều 70).',
  },
  targetGrades: null,
  rounds: [
    { round: 1, name: ROUND_1 },
    { round: 2, name: ROUND_2 },
  ],
  parts: [
    {
      id: 'r1_ktc',
      name: { vi: 'Vòng 1 — Kiến thức chung', en: 'Round 1 — General knowledge' },
      subject: 'KTC',
      round: 1,
      mode: 'computer_mc',
      questionCount: 60,
      durationMin: 60,
      scoreScale: 60,
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      exemptibleBy: ['kiem_dinh'], // a valid kiểm định pass exempts round 1 [S14][S15]
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: SRC_AMEND,
    },
    {
      id: 'r1_nn',
      name: { vi: 'Vòng 1 — Ngoại ngữ', en: 'Round 1 — Foreign language' },
      subject: 'NN',
      round: 1,
      mode: 'computer_mc',
      questionCount: 30,
      durationMin: 30,
      scoreScale: 30,
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      // Foreign-language exemption now covers 3 cases (the board records which) [S14]; kiểm định
      // exempts the whole of round 1.
      exemptibleBy: ['foreign_language', 'kiem_dinh'],
      droppedWhen: { foreignLanguageNotRequired: true, note: 'Không thi nếu vị trí việc làm không yêu cầu ngoại ngữ [S14].' },
      appliesToGrades: null,
      choice: null,
      source: SRC_AMEND,
    },
    // Tin học is removed from round 1 [S14][S15].
    round2Part('r2_written', 'written', 'written', 1),
    // Written + interview: how the two combine into the round-2 score is NOT FOUND (coefficients null).
    round2Part('r2_wi_written', 'written', 'written_interview', null),
    round2Part('r2_wi_interview', 'interview', 'written_interview', null),
  ],
  choices: [
    {
      id: 'round2_format',
      label: { vi: 'Hình thức thi vòng 2', en: 'Round-2 format' },
      options: [
        { id: 'written', label: FORMAT_LABELS.written },
        { id: 'written_interview', label: FORMAT_LABELS.written_interview },
      ],
      selected: null, // the board chooses
      source: SRC_AMEND,
    },
  ],
  total: {
    priorityAddedTo: 'round2',
    maxBeforePriority: null,
    minScores: [{ of: 'round2', min: 50, grades: null, source: SRC_PASS }],
    source: SRC_PASS,
  },
  priority: {
    combine: 'highest_only',
    categories: [
      ...priorityNd138('NĐ 138/2020 Điều 5 khoản 1 (sửa bởi NĐ 116/2024) [S8][S52]'),
      category('can_bo_cong_doan', 1.5, 'NĐ 116/2024 [S52]'),
    ],
    source: 'NĐ 138/2020 Điều 5 (sửa bởi NĐ 116/2024) [S8][S52]',
  },
  tieBreak: {
    chain: ['round2_score', 'written_score', 'kiem_dinh_exempt', 'kiem_dinh_score', 'ktc_correct', 'head_decides'],
    partSources: { written_score: ['r2_written', 'r2_wi_written'], ktc_correct: ['r1_ktc'] },
    source: 'NĐ 116/2024 [S51]',
  },
  // TT 06/2020 until 30/4/2025; TT 001/2025 from 1/5/2025 (use sanctionsTt22 values by override).
  sanctions: sanctionsTt06(),
  timingMode: null, // NOT FOUND before TT 22/2025
  autoSubmit: null, // NOT FOUND before TT 22/2025
  showResultImmediately: true, // NĐ 138 Điều 14, no change reported [S17][S32]
  resultSheetSigned: null, // NOT FOUND before TT 22/2025
  noPhucKhaoComputerRound1: true, // NĐ 138 Điều 14–15, no change reported [S17][S32]
  // TT 06/2020 (30'); from 1/5/2025 TT 001/2025: ≤5' / ≤10' (override with the TT 22 bands).
  lateAdmission: lateAdmissionTt06(),
  bankMultiple: 3, // TT 06/2020 Điều 19 [S36]; the TT 001/2025 rule is NOT FOUND
  kiemDinhValidityMonths: 24, // NĐ 06/2023 Điều 10 k1 [S49]
  // "còn thời hạn … tính đến thời điểm hết hạn nhận Phiếu đăng ký dự tuyển" (NĐ 116/2024; reference
  // §5b, baohaiduong.vn): validity counts to the application deadline, not the exam date.
  kiemDinhValidAt: 'application_deadline',
  // The recruiting body may require a minimum kiểm định score (NĐ 116/2024; reference §5b): an exam
  // setting, none until the board enters it.
  kiemDinhMinPercent: null,
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: false, // NĐ 138 Điều 9, no change reported [S18]
  eligibility: null,
  gaps: [
    PRIORITY_WORDING_GAP,
    'Thi viết và phỏng vấn ở vòng 2: cách tính điểm vòng 2 (hệ số mỗi bài) KHÔNG TÌM THẤY — Hội đồng phải đặt hệ số.',
    'Mức trừ điểm khi khiển trách, cảnh cáo: KHÔNG TÌM THẤY.',
    'Từ 1/5/2025 (TT 001/2025): thời gian đến muộn 5/10 phút, 4 hình thức kỷ luật — Hội đồng cập nhật nếu thi sau ngày này.',
    'Bội số ngân hàng câu hỏi theo TT 001/2025: KHÔNG TÌM THẤY (mặc định theo TT 06/2020).',
    'Cách tính giờ, nộp bài tự động, ký xác nhận kết quả: KHÔNG TÌM THẤY trước TT 22/2025.',
  ],
};
