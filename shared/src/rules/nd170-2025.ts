/**
 * NĐ 170/2025 (from 1/7/2025, under the Luật CBCC 2025) with TT 22/2025 (from 10/12/2025; TT 001/2025
 * before it) [S21][S26][S27][S53][S57][S58]. No national kiểm định and no promotion exams.
 *
 * Nhân viên (01.005): a single specialised exam, oral or practical, 30', out of 100 [S53].
 * Chuyên viên and cán sự (01.003, 01.004): round 1 computer MC 60/60' (≥50%); round 2 written 180'
 * (may be run on computer as 60–120 MC questions over 90–180'), or written + interview [S53].
 * Computer rules (TT 22/2025): fixed window, auto-submit, a printed result list each candidate signs [S21][S57].
 */
import {
  category,
  FORMAT_LABELS,
  lateAdmissionTt22,
  NO_PARTIAL_CREDIT,
  PRIORITY_WORDING_GAP,
  priorityNd138,
  ROUND_1,
  ROUND_2,
  sanctionsTt22,
} from './common.js';
import type { GradeCode, ProfilePart, RegulationProfile } from './types.js';

const SRC_FORMS = 'NĐ 170/2025 [S26][S27][S53]';
const SRC_PASS = 'NĐ 170/2025 Điều 6, Điều 10 [S27][S53]';
const CV_CS: GradeCode[] = ['01.003', '01.004'];

function r2(id: string, option: string, over: Partial<ProfilePart>): ProfilePart {
  return {
    id,
    name: { vi: 'Vòng 2 — Thi viết', en: 'Round 2 — Written' },
    subject: 'NVCN',
    round: 2,
    mode: 'written',
    questionCount: null,
    durationMin: 180,
    scoreScale: 100,
    passRule: { kind: 'min_score', score: 50 }, // as under NĐ 116/2024 (Điều 6) [S53]
    role: 'counted',
    coefficient: 1,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: CV_CS,
    choice: { choiceId: 'round2_format', options: [option] },
    source: SRC_FORMS,
    ...over,
  };
}

function nv(id: string, mode: 'oral' | 'practical'): ProfilePart {
  return {
    id,
    name:
      mode === 'oral'
        ? { vi: 'Thi chuyên ngành (vấn đáp)', en: 'Specialised exam (oral)' }
        : { vi: 'Thi chuyên ngành (thực hành)', en: 'Specialised exam (practical)' },
    subject: 'NVCN',
    // A single exam [S53]; placed in round 2 so the round-2 pass mark, priority and tie-break apply to it.
    round: 2,
    mode,
    questionCount: null,
    durationMin: 30,
    scoreScale: 100,
    passRule: { kind: 'min_score', score: 50 },
    role: 'counted',
    coefficient: 1,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: ['01.005'],
    choice: { choiceId: 'nv_format', options: [mode] },
    source: SRC_FORMS,
  };
}

export const ND170_2025: RegulationProfile = {
  id: 'nd170-2025',
  name: {
    vi: 'Thi tuyển công chức theo NĐ 170/2025/NĐ-CP và TT 22/2025/TT-BNV',
    en: 'Civil-service recruitment under Decree 170/2025 and Circular 22/2025',
  },
  kind: 'recruitment',
  legalBasis:
    'Luật Cán bộ, công chức 2025; Nghị định 170/2025/NĐ-CP ngày 30/6/2025 (hiệu lực 1/7/2025); ' +
    'Thông tư 22/2025/TT-BNV (hiệu lực 10/12/2025; trước đó TT 001/2025/TT-BNV).',
  sources: ['S20', 'S21', 'S26', 'S27', 'S53', 'S57', 'S58'],
  effective: { from: '2025-07-01', to: null },
  targetGrades: ['01.003', '01.004', '01.005'],
  rounds: [
    { round: 1, name: ROUND_1 },
    { round: 2, name: ROUND_2 },
  ],
  parts: [
    {
      id: 'r1_ktc',
      name: { vi: 'Vòng 1 — Trắc nghiệm trên máy tính', en: 'Round 1 — Computer multiple choice' },
      // The reference gives the form (60 questions/60') but not the content; KTC is a hint only.
      subject: 'KTC',
      round: 1,
      mode: 'computer_mc',
      questionCount: 60,
      durationMin: 60,
      scoreScale: 60,
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      exemptibleBy: [], // no kiểm định under NĐ 170 [S27]
      droppedWhen: null,
      appliesToGrades: CV_CS,
      choice: null,
      source: SRC_FORMS,
    },
    r2('r2_written', 'written', {}),
    r2('r2_written_mc', 'written_computer', {
      name: { vi: 'Vòng 2 — Thi viết trên máy tính (trắc nghiệm)', en: 'Round 2 — Written on computer (MC)' },
      mode: 'computer_mc',
      questionCount: null, // the board sets 60–120 [S53]
      questionCountRange: { min: 60, max: 120 },
      durationMin: null, // the board sets 90–180' [S53]
      durationRange: { min: 90, max: 180 },
    }),
    // Written + interview: how the two combine, and the interview length, are NOT FOUND.
    r2('r2_wi_written', 'written_interview', { coefficient: null }),
    r2('r2_wi_interview', 'written_interview', {
      name: { vi: 'Vòng 2 — Phỏng vấn', en: 'Round 2 — Interview' },
      mode: 'interview',
      durationMin: null, // NOT FOUND for NĐ 170
      coefficient: null,
    }),
    nv('nv_oral', 'oral'),
    nv('nv_practical', 'practical'),
  ],
  choices: [
    {
      id: 'round2_format',
      label: { vi: 'Hình thức thi vòng 2 (chuyên viên, cán sự)', en: 'Round-2 format (specialist, officer)' },
      options: [
        { id: 'written', label: FORMAT_LABELS.written },
        { id: 'written_computer', label: FORMAT_LABELS.written_computer },
        { id: 'written_interview', label: FORMAT_LABELS.written_interview },
      ],
      selected: null,
      source: SRC_FORMS,
    },
    {
      id: 'nv_format',
      label: { vi: 'Hình thức thi ngạch nhân viên', en: 'Staff-rank exam format' },
      options: [
        { id: 'oral', label: { vi: 'Vấn đáp', en: 'Oral' } },
        { id: 'practical', label: { vi: 'Thực hành', en: 'Practical' } },
      ],
      selected: null,
      source: SRC_FORMS,
    },
  ],
  total: {
    priorityAddedTo: 'round2', // as under NĐ 116/2024 [S53]
    maxBeforePriority: null,
    minScores: [{ of: 'round2', min: 50, grades: null, source: SRC_PASS }],
    source: SRC_PASS,
  },
  priority: {
    combine: 'highest_only',
    categories: [
      ...priorityNd138('NĐ 170/2025 Điều 6 (reference §5b, news.laodong 1534613) [S53]'),
      category('can_bo_cong_doan', 1.5, 'NĐ 116/2024 [S52], giữ nguyên theo NĐ 170/2025 [S53]'),
    ],
    source: 'NĐ 170/2025 Điều 6 (như NĐ 116/2024) [S53]',
  },
  tieBreak: {
    // Higher round 2 → higher written score → head decides (Điều 10) [S27][S53].
    chain: ['round2_score', 'written_score', 'head_decides'],
    partSources: { written_score: ['r2_written', 'r2_written_mc', 'r2_wi_written'] },
    source: SRC_PASS,
  },
  sanctions: sanctionsTt22(),
  timingMode: 'fixed_window', // the clock runs from the programmed start, logged in or not [S21][S57]
  autoSubmit: true, // answers auto-save; the paper auto-submits at the end [S21][S57]
  showResultImmediately: true, // the technician prints the result list right after the paper [S21][S57]
  resultSheetSigned: true, // each candidate signs the printed result list [S21][S57]
  noPhucKhaoComputerRound1: null, // NOT FOUND for NĐ 170 / TT 22
  lateAdmission: lateAdmissionTt22(),
  bankMultiple: null, // NOT FOUND in TT 22/2025
  kiemDinhValidityMonths: null, // no national kiểm định [S27]
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: null, // NOT FOUND
  eligibility: null,
  gaps: [
    PRIORITY_WORDING_GAP,
    'Thi viết và phỏng vấn ở vòng 2: cách tính điểm vòng 2 và thời gian phỏng vấn KHÔNG TÌM THẤY.',
    'Thi viết trên máy tính ở vòng 2: Hội đồng chọn số câu (60–120) và thời gian (90–180 phút).',
    'Nội dung vòng 1 (60 câu/60 phút) không được nêu trong tài liệu tham khảo.',
    'Mức trừ điểm khi khiển trách, cảnh cáo: không có thông tin (KHÔNG TÌM THẤY).',
    'Bội số ngân hàng câu hỏi theo TT 22/2025; có phúc khảo vòng 1 trên máy tính hay không; bảo lưu kết quả: KHÔNG TÌM THẤY.',
    'NĐ 170/2025 Điều 18 (tài liệu tham khảo mục 5b): 20 ngày để hoàn thiện hồ sơ; gian lận thì hủy kết quả và không được đăng ký ở kỳ tuyển dụng tiếp theo — Hội đồng ghi nhận ngoài hệ thống, lời văn gốc KHÔNG TÌM THẤY.',
    'Xét tuyển (NĐ 170/2025 Điều 5): đối tượng, vòng 2 vấn đáp và tiêu chí khi bằng điểm KHÔNG TÌM THẤY bằng công cụ tìm kiếm; chưa có hồ sơ riêng.',
  ],
};
