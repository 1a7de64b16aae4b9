/**
 * Xét tuyển công chức (recruitment by selection, not by exam) under NĐ 170/2025 (from 1/7/2025), found
 * with the search tool (news.laodong 1585140 quoting Điều 5; 1534613; ja.laodong 1585963 quoting Điều 11):
 * - Điều 5, who: "1. Người cam kết tình nguyện làm việc từ 05 năm trở lên ở vùng có điều kiện kinh tế -
 *   xã hội đặc biệt khó khăn; 2. Người học theo chế độ cử tuyển theo quy định của Luật Giáo dục, sau khi
 *   tốt nghiệp về công tác tại địa phương nơi cử đi học; 3. Sinh viên tốt nghiệp xuất sắc, nhà khoa học
 *   trẻ tài năng thuộc đối tượng chính sách thu hút, trọng dụng người có tài năng" (translated back
 *   from the English and Japanese pages: the exact Vietnamese wording is NOT FOUND), each group
 *   selected separately;
 * - Điều 11: round 1 checks the conditions on the application form; round 2 is vấn đáp on the
 *   profession, 30 minutes, marked out of 100;
 * - ties at the last seat: higher round 2, then the head of the recruiting body decides (1534613);
 * - priority points of Điều 6 apply "in the recruitment or selection exam" (1534613).
 * - Điều 12, who passes (news.laodong.vn 1588155 "Quy định về xác định người trúng tuyển trong kỳ xét
 *   tuyển công chức", quoting Điều 12 in English, found with the search tool since issue 12's first
 *   pass): "1. … a) With a score of round 2 of 50 points or more; b) Having a second round score plus a
 *   priority score prescribed in Article 6 … higher is taken in order of points from high to low within
 *   the recruitment quota … 2. In case there are 2 or more people with the total score … equal in the
 *   final indicator …, the person with the higher round 2 score will be the successful bidder; if it is
 *   still not determined, the head of the competent recruitment agency will decide … 4. … not allowed to
 *   reserve the admission results". The round-2 pass mark, once a gap, is therefore 50.
 */
import {
  category,
  lateAdmissionTt22,
  NO_PARTIAL_CREDIT,
  PRIORITY_WORDING_GAP,
  priorityNd138,
  ROUND_1,
  ROUND_2,
  sanctionsTt22,
} from './common.js';
import type { RegulationProfile } from './types.js';

const SRC = 'NĐ 170/2025 Điều 5, Điều 11, Điều 12 (news.laodong 1585140, 1534613, 1588155; ja.laodong 1585963)';

export const XET_TUYEN_ND170_2025: RegulationProfile = {
  id: 'xet-tuyen-nd170-2025',
  name: {
    vi: 'Xét tuyển công chức theo NĐ 170/2025/NĐ-CP',
    en: 'Civil-service recruitment by selection under Decree 170/2025',
  },
  kind: 'recruitment',
  legalBasis: 'Luật Cán bộ, công chức 2025; Nghị định 170/2025/NĐ-CP Điều 5, 6, 11 (hiệu lực 1/7/2025); Thông tư 22/2025/TT-BNV.',
  sources: ['S21', 'S26', 'S27', 'S57'],
  effective: { from: '2025-07-01', to: null },
  targetGrades: null,
  rounds: [
    { round: 1, name: ROUND_1 },
    { round: 2, name: ROUND_2 },
  ],
  parts: [
    {
      id: 'r2_oral',
      name: { vi: 'Vòng 2 — Vấn đáp chuyên môn, nghiệp vụ', en: 'Round 2 — Professional oral exam' },
      subject: 'NVCN',
      round: 2,
      mode: 'oral',
      questionCount: null,
      durationMin: 30, // Điều 11 [ja.laodong 1585963]
      prepMaxMin: null, // the preparation time before the oral is NOT FOUND in Vietnamese
      scoreScale: 100,
      passRule: { kind: 'min_score', score: 50 }, // Điều 12 k1 a (news.laodong.vn 1588155)
      role: 'counted',
      coefficient: 1,
      exemptibleBy: [],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      note: 'Vòng 1 kiểm tra điều kiện, tiêu chuẩn tại Phiếu đăng ký dự tuyển; đủ điều kiện thì vào vòng 2.',
      source: SRC,
    },
  ],
  choices: [
    {
      id: 'xet_tuyen_group',
      label: { vi: 'Nhóm đối tượng xét tuyển (NĐ 170/2025 Điều 5)', en: 'Selection group (Decree 170/2025 Art. 5)' },
      options: [
        {
          id: 'vung_dac_biet_kho_khan',
          label: {
            vi: 'Cam kết tình nguyện làm việc từ 05 năm trở lên ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn',
            en: 'Volunteers for 5+ years in an area of particular socio-economic difficulty',
          },
        },
        {
          id: 'cu_tuyen',
          label: {
            vi: 'Người học theo chế độ cử tuyển, sau khi tốt nghiệp về công tác tại địa phương cử đi học',
            en: 'Nominated student returning to the locality that sent them',
          },
        },
        {
          id: 'tai_nang',
          label: {
            vi: 'Sinh viên tốt nghiệp xuất sắc, nhà khoa học trẻ tài năng',
            en: 'Excellent graduate or talented young scientist',
          },
        },
      ],
      selected: null,
      perCandidate: true, // each group is selected separately; the board records each candidate's group
      source: SRC,
    },
  ],
  total: { priorityAddedTo: 'round2', maxBeforePriority: null, minScores: [], source: SRC },
  priority: {
    combine: 'highest_only',
    categories: [
      ...priorityNd138('NĐ 170/2025 Điều 6 (news.laodong 1534613: "in the recruitment or selection exam")'),
      category('can_bo_cong_doan', 1.5, 'NĐ 170/2025 Điều 6 (news.laodong 1534613)'),
    ],
    source: 'NĐ 170/2025 Điều 6',
  },
  tieBreak: {
    // Điều 12 k2: "the person with the higher round 2 score … if it is still not determined, the head of
    // the competent recruitment agency will decide" (news.laodong 1588155; 1534613).
    chain: ['round2_score', 'head_decides'],
    partSources: {},
    source: 'NĐ 170/2025 Điều 12 k2 (news.laodong 1588155, 1534613)',
  },
  sanctions: sanctionsTt22(),
  timingMode: null, // an oral exam: no computer clock
  autoSubmit: null,
  showResultImmediately: null,
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: null,
  lateAdmission: lateAdmissionTt22(),
  bankMultiple: null,
  kiemDinhValidityMonths: null,
  partialCredit: NO_PARTIAL_CREDIT,
  resultsCarryOver: false, // Điều 12 k4 (news.laodong 1588155)
  eligibility: null,
  gaps: [
    PRIORITY_WORDING_GAP,
    'Lời văn tiếng Việt của Điều 5 và Điều 11, thời gian chuẩn bị trước khi vấn đáp: KHÔNG TÌM THẤY (chỉ có bản tin tiếng Anh, tiếng Nhật).',
  ],
};
