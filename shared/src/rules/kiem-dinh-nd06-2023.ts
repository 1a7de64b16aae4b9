/**
 * Kiểm định chất lượng đầu vào công chức, NĐ 06/2023 (21/2/2023), amended by NĐ 116/2024, dropped by
 * NĐ 170/2025 [S10][S27][S47]–[S50]. Computer MC, twice a year (July and November); unlimited attempts
 * (Điều 2); result valid 24 months nationwide (Điều 10 k1).
 *
 * Two levels, chosen per candidate by the `level` choice (Điều 5) [S48]:
 *  - posts needing a university degree: 100 questions / 120';
 *  - posts needing trung cấp or cao đẳng: 80 questions / 100'.
 * Pass at ≥50% correct (Điều 6): 50/100 or 40/80 [S48].
 */
import { NO_PARTIAL_CREDIT, ROUND_1, sanctionsUnknown } from './common.js';
import type { ProfilePart, RegulationProfile } from './types.js';

const SRC_FORM = 'NĐ 06/2023 Điều 5 [S10][S48]';
const SRC_PASS = 'NĐ 06/2023 Điều 6 [S48]';

function level(id: string, option: string, name: string, nameEn: string, questions: number, minutes: number): ProfilePart {
  return {
    id,
    name: { vi: `Kiểm định — ${name}`, en: `Kiểm định — ${nameEn}` },
    subject: 'KD',
    round: 1,
    mode: 'computer_mc',
    questionCount: questions,
    durationMin: minutes,
    scoreScale: questions, // the result is the number of correct answers
    passRule: { kind: 'min_percent', percent: 50 },
    role: 'counted',
    coefficient: 1,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: { choiceId: 'level', options: [option] },
    source: `${SRC_FORM}; ${SRC_PASS}`,
  };
}

export const KIEM_DINH_ND06_2023: RegulationProfile = {
  id: 'kiem-dinh-nd06-2023',
  name: {
    vi: 'Kiểm định chất lượng đầu vào công chức theo NĐ 06/2023/NĐ-CP',
    en: 'Civil-service entry-quality assessment under Decree 06/2023',
  },
  kind: 'assessment',
  legalBasis: 'Nghị định 06/2023/NĐ-CP ngày 21/2/2023 (Điều 2, 5, 6, 9, 10, 12), sửa đổi bởi NĐ 116/2024/NĐ-CP.',
  sources: ['S10', 'S47', 'S48', 'S49', 'S50'],
  // The in-force date is not in the reference (signed 21/2/2023); dropped from 1/7/2025 by NĐ 170 [S27].
  effective: { from: null, to: '2025-06-30' },
  targetGrades: null,
  rounds: [{ round: 1, name: ROUND_1 }],
  parts: [
    level('kd_dai_hoc', 'dai_hoc', 'trình độ đại học', 'university level', 100, 120),
    level('kd_trung_cap_cao_dang', 'trung_cap_cao_dang', 'trình độ trung cấp, cao đẳng', 'vocational/college level', 80, 100),
  ],
  choices: [
    {
      id: 'level',
      label: { vi: 'Trình độ vị trí việc làm dự kiến', en: 'Qualification level of the intended post' },
      options: [
        { id: 'dai_hoc', label: { vi: 'Đại học trở lên', en: 'University or higher' } },
        { id: 'trung_cap_cao_dang', label: { vi: 'Trung cấp, cao đẳng', en: 'Vocational or college' } },
      ],
      selected: null,
      perCandidate: true,
      source: SRC_FORM,
    },
  ],
  total: { priorityAddedTo: null, maxBeforePriority: null, minScores: [], source: SRC_PASS },
  // Pass/fail only: no priority points and no ranking.
  priority: { combine: 'highest_only', categories: [], source: SRC_PASS },
  tieBreak: { chain: [], partSources: {}, source: SRC_PASS },
  // Only cancellation is reported: false information or invalid diplomas (Điều 10 k4) [S50]. Exam-room
  // sanctions for kiểm định are NOT FOUND.
  sanctions: sanctionsUnknown('NĐ 06/2023 (NOT FOUND in the reference)').map((s) =>
    s.code === 'huy_ket_qua'
      ? {
          ...s,
          grounds:
            'Khai không đúng thông tin trong Phiếu đăng ký dự kiểm định; sử dụng văn bằng, chứng chỉ, chứng nhận không đúng quy định (Điều 10 k4). Không được đăng ký dự kiểm định trong một kỳ kiểm định tiếp theo',
          source: 'NĐ 06/2023 Điều 10 k4 [S50]',
        }
      : s,
  ),
  timingMode: null, // NOT FOUND
  autoSubmit: null, // NOT FOUND
  showResultImmediately: true, // results given right after the session (Điều 9 k2) [S48]
  resultSheetSigned: null, // NOT FOUND
  noPhucKhaoComputerRound1: true, // no phúc khảo (Điều 9 k2) [S48]
  lateAdmission: null, // NOT FOUND
  bankMultiple: null, // NOT FOUND
  kiemDinhValidityMonths: 24, // Điều 10 k1 [S49]
  // Điều 10 k4 c: "Danh sách các trường hợp bị hủy bỏ kết quả kiểm định được thông báo công khai trên Cổng
  // thông tin điện tử của Bộ Nội vụ … Người bị hủy bỏ kết quả kiểm định không được đăng ký dự kiểm định
  // trong một kỳ kiểm định tiếp theo" (thuvienphapluat.vn 15044; lawnet.vn 112212, found with the search tool).
  cancellationBarsSessions: 1,
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: null,
  eligibility: null,
  gaps: [
    'Nội dung bài kiểm định, thời gian đến muộn, bội số ngân hàng câu hỏi: KHÔNG TÌM THẤY.',
    'Xử lý vi phạm trong phòng thi kiểm định: KHÔNG TÌM THẤY (chỉ có hủy kết quả do khai man, văn bằng không hợp lệ).',
    'Bị hủy kết quả (Điều 10 k4): không được đăng ký một kỳ kiểm định tiếp theo (đã mã hóa). Các vi phạm khác trong phòng thi có dẫn đến hủy kết quả hay không: KHÔNG TÌM THẤY.',
  ],
};
