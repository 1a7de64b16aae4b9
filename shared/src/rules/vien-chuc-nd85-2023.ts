/**
 * Viên chức (public employees) under NĐ 115/2020/NĐ-CP as amended by NĐ 85/2023/NĐ-CP (in force
 * 7/12/2023): recruitment by exam (thi tuyển, Điều 9–10), recruitment by selection (xét tuyển, Điều
 * 11–12) and promotion of the professional title by review (xét thăng hạng, Điều 32, 40). Every fact
 * below was found with the search tool; the pages are named where they are used. None of them is the
 * gazette text: each is a secondary page quoting (or translating) the clause.
 *
 * Thi tuyển, Điều 9 as amended by khoản 4 Điều 1 NĐ 85/2023 (lawnet.vn 129808 "From December 7, 2023 the
 * form, content and time of the … recruitment exam … will change"; lawnet.vn 131300; lawnet.vn 168396):
 *   "1. Round 1: General knowledge test by computerized multiple-choice format. The content of the test
 *   consists of 02 parts … a) Part I: General knowledge, 60 questions … Time for completion is 60 minutes.
 *   Candidates who have passed the official entrance quality assessment are exempt from Part I.
 *   b) Part II: Foreign language, 30 questions … Time for completion is 30 minutes. For job positions not
 *   requiring a foreign language … Part II is not organized. c) The result of Round 1 is determined
 *   according to the number of correct answers for each section …; if the candidate answers correctly at
 *   least 50% of the questions in each section, they are eligible to proceed to Round 2."
 *   Round 2: "the head of the recruiting authority chooses one of three forms: Oral, practical, or
 *   written. If the written form is chosen, one of three formats can be selected: Multiple-choice, essay,
 *   or a combination of both" (lawnet.vn 168396). Tin học is no longer a part.
 * Computer round 1: "the results must be announced to the candidates immediately after the exam time
 *   ends on the computer. Re-examination is not conducted for the computer-based first-round exam
 *   results" (NĐ 115/2020 Điều 15 k3 b, lawnet.vn 81713).
 * Priority, Điều 6 k1–2 (lawnet.vn 166727, 117709): the list of NĐ 138/2020 Điều 5 (7.5 / 5 / 2.5 points
 *   "added to the results of round 2"), only the highest category counts. NĐ 85/2023 did not add the
 *   1.5 points of NĐ 116/2024 for công chức (the 2024 page still lists three groups).
 * Xét tuyển, Điều 11 as amended by khoản 6 Điều 1 NĐ 85/2023 (thuvienphapluat.vn 31985, in Vietnamese):
 *   "1. Vòng 1: Kiểm tra điều kiện dự tuyển tại Phiếu đăng ký dự tuyển theo yêu cầu của vị trí việc làm
 *   cần tuyển, nếu đáp ứng đủ thì người dự tuyển được tham dự vòng 2. … Nếu không có văn bằng, chứng chỉ
 *   ngoại ngữ phù hợp thì Hội đồng xét tuyển tổ chức sát hạch để đánh giá năng lực ngoại ngữ theo yêu cầu
 *   của vị trí tuyển dụng. … 2. Vòng 2 được thực hiện theo quy định tại khoản 2 Điều 9 Nghị định này."
 * Xét thăng hạng, Điều 40 as amended by khoản 20 Điều 1 NĐ 85/2023 (ja.congdoanvietnam.vn 17230, in
 *   Japanese, translated back here): "1. Viên chức trúng tuyển … là người đáp ứng đủ tiêu chuẩn, điều
 *   kiện theo Điều 32 … và được người đứng đầu … phê duyệt kết quả. 2. Trường hợp số viên chức đăng ký
 *   xét thăng hạng nhiều hơn chỉ tiêu thăng hạng được phê duyệt thì việc xác định viên chức trúng tuyển
 *   thực hiện theo thứ tự ưu tiên: a) viên chức có thành tích cao hơn trong hoạt động nghề nghiệp được
 *   cấp có thẩm quyền công nhận; b) viên chức là nữ; c) viên chức là người dân tộc thiểu số; d) viên chức
 *   nhiều tuổi hơn (tính theo ngày, tháng, năm sinh); đ) viên chức có thời gian công tác nhiều hơn."
 *   Since 7/12/2023 thăng hạng is by review only: NĐ 85/2023 "officially abolished regulations on
 *   examinations for promotion of professional titles" (lawnet.vn 130005).
 * Điều 32 as amended by khoản 16 Điều 1 NĐ 85/2023 (baonghean.vn 10265375; lawnet.vn 130005): "completed
 *   tasks well or better in the working year immediately preceding …; not being subject to disciplinary
 *   action; … meet the minimum working time … holding the next lower professional title according to the
 *   … professional title standards".
 */
import {
  lateAdmissionTt001,
  NO_PARTIAL_CREDIT,
  PRIORITY_WORDING_GAP,
  priorityNd138,
  ROUND_1,
  ROUND_2,
  sanctionsTt001,
} from './common.js';
import type { ProfileChoice, ProfilePart, RegulationProfile } from './types.js';

const SRC_R1 = 'NĐ 115/2020 Điều 9 k1 (sửa bởi k4 Điều 1 NĐ 85/2023; lawnet.vn 129808, 131300, 168396)';
const SRC_R2 = 'NĐ 115/2020 Điều 9 k2 (sửa bởi k4 Điều 1 NĐ 85/2023; lawnet.vn 168396)';
const SRC_PRIORITY = 'NĐ 115/2020 Điều 6 khoản 1 (lawnet.vn 166727, 117709)';
const SRC_XT = 'NĐ 115/2020 Điều 11 (sửa bởi k6 Điều 1 NĐ 85/2023; thuvienphapluat.vn 31985)';
const SRC_THANG_HANG = 'NĐ 115/2020 Điều 40 (sửa bởi k20 Điều 1 NĐ 85/2023; ja.congdoanvietnam.vn 17230; lawnet.vn 130005)';
const SRC_ELIG = 'NĐ 115/2020 Điều 32 k1 (sửa bởi k16 Điều 1 NĐ 85/2023; baonghean.vn 10265375; lawnet.vn 130005)';
const SRC_PASS_GAP = 'NĐ 115/2020 Điều 10 và Điều 12: lời văn KHÔNG TÌM THẤY bằng công cụ tìm kiếm';

const EFFECTIVE = {
  from: '2023-12-07',
  to: null,
  note: 'NĐ 85/2023 có hiệu lực từ 7/12/2023 (lawnet.vn 130005). Quy chế: TT 06/2020 đến 30/4/2025, TT 001/2025 từ 1/5/2025. Văn bản thay thế NĐ 115/2020 (nếu có): KHÔNG TÌM THẤY.',
};

/** Round 2 of both the exam and the selection (Điều 11 k2 points back to Điều 9 k2). */
function round2Parts(): ProfilePart[] {
  const part = (id: string, mode: 'interview' | 'practical' | 'written', vi: string, en: string): ProfilePart => ({
    id,
    name: { vi: `Vòng 2 — ${vi}`, en: `Round 2 — ${en}` },
    subject: 'NVCN',
    round: 2,
    mode,
    questionCount: null,
    // The durations under NĐ 85/2023 were NOT FOUND (the pages quoted stop at the formats): the board sets them.
    durationMin: null,
    // One score out of 100 wherever priority points are added to it (round2ScaleIssues).
    scoreScale: 100,
    // The round-2 pass mark (Điều 10 / Điều 12) was NOT FOUND: the board sets it before ranking.
    passRule: { kind: 'none' },
    role: 'counted',
    coefficient: 1,
    exemptibleBy: [],
    droppedWhen: null,
    appliesToGrades: null,
    choice: { choiceId: 'round2_format', options: [id.replace('r2_', '')] },
    ...(mode === 'written'
      ? { note: 'Thi viết: trắc nghiệm, tự luận hoặc kết hợp trắc nghiệm với tự luận (người đứng đầu quyết định).' }
      : {}),
    source: SRC_R2,
  });
  return [
    part('r2_interview', 'interview', 'Phỏng vấn (vấn đáp)', 'Interview (oral)'),
    part('r2_practical', 'practical', 'Thực hành', 'Practical'),
    part('r2_written', 'written', 'Thi viết', 'Written'),
  ];
}

function round2Choice(): ProfileChoice {
  return {
    id: 'round2_format',
    label: { vi: 'Hình thức thi vòng 2 (người đứng đầu quyết định)', en: 'Round-2 format (the head decides)' },
    options: [
      { id: 'interview', label: { vi: 'Phỏng vấn (vấn đáp)', en: 'Interview (oral)' } },
      { id: 'practical', label: { vi: 'Thực hành', en: 'Practical' } },
      { id: 'written', label: { vi: 'Thi viết', en: 'Written' } },
    ],
    selected: null,
    source: SRC_R2,
  };
}

const RECRUITMENT_GAPS = [
  `Điểm đạt vòng 2: ${SRC_PASS_GAP} — Hội đồng đặt (passRule của phần thi vòng 2) trước khi xếp hạng. Quy định trước đó cho viên chức (NĐ 161/2018 sửa NĐ 29/2012) là từ 50 điểm (lawnet.vn 1075190): chỉ để tham khảo, không tự áp dụng.`,
  'Thứ tự khi bằng điểm (điểm vòng 2 cao hơn, rồi người đứng đầu quyết định): CHƯA KIỂM CHỨNG với lời văn NĐ 115/2020; theo quy định trước đó cho viên chức (NĐ 161/2018, lawnet.vn 1075190) — Hội đồng có thể sửa (tieBreak.chain).',
  'Thời gian thi vòng 2 (phỏng vấn, thực hành, thi viết) theo NĐ 85/2023: KHÔNG TÌM THẤY — Hội đồng đặt.',
  'Bội số ngân hàng câu hỏi theo TT 001/2025: KHÔNG TÌM THẤY (TT 06/2020 Điều 19 quy định 3 lần đến 30/4/2025).',
  'Cách tính giờ và tự động nộp bài trên máy tính đối với viên chức (TT 001/2025): KHÔNG TÌM THẤY.',
  'Có được bảo lưu kết quả hay không: KHÔNG TÌM THẤY.',
  PRIORITY_WORDING_GAP,
];

export const VC_THI_TUYEN_ND85_2023: RegulationProfile = {
  id: 'vc-thi-tuyen-nd85-2023',
  name: {
    vi: 'Thi tuyển viên chức theo NĐ 115/2020 sửa đổi bởi NĐ 85/2023',
    en: 'Public-employee recruitment exam under Decree 115/2020 as amended by Decree 85/2023',
  },
  kind: 'recruitment',
  legalBasis:
    'Nghị định 115/2020/NĐ-CP Điều 6, 9, 10, 15 sửa đổi, bổ sung bởi Nghị định 85/2023/NĐ-CP (hiệu lực 7/12/2023); ' +
    'Nghị định 06/2023/NĐ-CP (kiểm định); Thông tư 06/2020/TT-BNV, từ 1/5/2025 Thông tư 001/2025/TT-BNV.',
  sources: ['S10', 'S20', 'S49'],
  effective: EFFECTIVE,
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
      mode: 'computer_mc',
      questionCount: 60,
      durationMin: 60,
      scoreScale: 60, // the number of correct answers
      passRule: { kind: 'min_percent', percent: 50 },
      role: 'condition',
      coefficient: null,
      // "Candidates who have passed the official entrance quality assessment are exempt from Part I."
      exemptibleBy: ['kiem_dinh'],
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
      // The grounds (k3 Điều 9) were not found verbatim: the board records `foreign_language`.
      exemptibleBy: ['foreign_language'],
      droppedWhen: { foreignLanguageNotRequired: true, note: 'Vị trí việc làm không yêu cầu ngoại ngữ thì không thi Phần II.' },
      appliesToGrades: null,
      choice: null,
      source: SRC_R1,
    },
    ...round2Parts(),
  ],
  choices: [round2Choice()],
  total: { priorityAddedTo: 'round2', maxBeforePriority: null, minScores: [], source: SRC_PRIORITY },
  priority: { combine: 'highest_only', categories: priorityNd138(SRC_PRIORITY), source: SRC_PRIORITY },
  tieBreak: { chain: ['round2_score', 'head_decides'], partSources: {}, source: SRC_PASS_GAP },
  sanctions: sanctionsTt001(),
  timingMode: null,
  autoSubmit: null,
  showResultImmediately: true, // Điều 15 k3 b (lawnet.vn 81713)
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: true, // Điều 15 k3 b (lawnet.vn 81713)
  lateAdmission: lateAdmissionTt001(),
  bankMultiple: null,
  kiemDinhValidityMonths: 24, // NĐ 06/2023 Điều 10 k1 [S49]
  // The date validity is counted to for viên chức was NOT FOUND; counted to the exam date (gap).
  kiemDinhValidAt: 'exam_date',
  kiemDinhMinPercent: null,
  partialCredit: NO_PARTIAL_CREDIT,
  resultsCarryOver: null,
  eligibility: null,
  gaps: [
    ...RECRUITMENT_GAPS,
    'Căn cứ miễn thi Phần II (khoản 3 Điều 9 sửa bởi NĐ 85/2023): lời văn KHÔNG TÌM THẤY — Hội đồng ghi nhận từng trường hợp (foreign_language).',
    'Thời hạn kết quả kiểm định tính đến ngày nào (ngày thi hay hạn nhận phiếu) đối với viên chức: KHÔNG TÌM THẤY — đang tính đến ngày thi; Hội đồng có thể đặt kiemDinhValidAt.',
  ],
};

export const VC_XET_TUYEN_ND85_2023: RegulationProfile = {
  id: 'vc-xet-tuyen-nd85-2023',
  name: {
    vi: 'Xét tuyển viên chức theo NĐ 115/2020 sửa đổi bởi NĐ 85/2023',
    en: 'Public-employee recruitment by selection under Decree 115/2020 as amended by Decree 85/2023',
  },
  kind: 'recruitment',
  legalBasis:
    'Nghị định 115/2020/NĐ-CP Điều 6, 11, 12 sửa đổi, bổ sung bởi Nghị định 85/2023/NĐ-CP (hiệu lực 7/12/2023); ' +
    'Thông tư 06/2020/TT-BNV, từ 1/5/2025 Thông tư 001/2025/TT-BNV.',
  sources: ['S20'],
  effective: EFFECTIVE,
  targetGrades: null,
  rounds: [
    { round: 1, name: ROUND_1 },
    { round: 2, name: ROUND_2 },
  ],
  parts: [
    {
      // Round 1 checks the application; only the foreign-language check is sat, and only by a candidate
      // without a suitable diploma or certificate when the position requires a foreign language.
      id: 'r1_nn_sat_hach',
      name: { vi: 'Vòng 1 — Sát hạch năng lực ngoại ngữ', en: 'Round 1 — Foreign-language check' },
      subject: 'NN',
      round: 1,
      mode: null, // NOT FOUND: the council decides how the check is held
      questionCount: null,
      durationMin: null,
      scoreScale: 100,
      passRule: { kind: 'none' }, // NOT FOUND: the council sets what passes
      role: 'condition',
      coefficient: null,
      exemptibleBy: ['foreign_language'], // holds a diploma or certificate of k3 Điều 9
      droppedWhen: { foreignLanguageNotRequired: true, note: 'Chỉ khi vị trí việc làm yêu cầu ngoại ngữ.' },
      appliesToGrades: null,
      choice: null,
      note: 'Vòng 1 kiểm tra điều kiện dự tuyển tại Phiếu đăng ký; người có văn bằng, chứng chỉ ngoại ngữ theo khoản 3 Điều 9 được miễn sát hạch.',
      source: SRC_XT,
    },
    ...round2Parts(),
  ],
  choices: [round2Choice()],
  total: { priorityAddedTo: 'round2', maxBeforePriority: null, minScores: [], source: SRC_PRIORITY },
  priority: { combine: 'highest_only', categories: priorityNd138(SRC_PRIORITY), source: SRC_PRIORITY },
  tieBreak: { chain: ['round2_score', 'head_decides'], partSources: {}, source: SRC_PASS_GAP },
  sanctions: sanctionsTt001(),
  timingMode: null,
  autoSubmit: null,
  showResultImmediately: null,
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: null,
  lateAdmission: lateAdmissionTt001(),
  bankMultiple: null,
  kiemDinhValidityMonths: null,
  partialCredit: NO_PARTIAL_CREDIT,
  resultsCarryOver: null,
  eligibility: null,
  gaps: [
    ...RECRUITMENT_GAPS,
    'Hình thức và mức đạt của sát hạch ngoại ngữ ở vòng 1 xét tuyển: KHÔNG TÌM THẤY — Hội đồng xét tuyển quyết định.',
  ],
};

export const VC_XET_THANG_HANG_ND85_2023: RegulationProfile = {
  id: 'vc-xet-thang-hang-nd85-2023',
  name: {
    vi: 'Xét thăng hạng chức danh nghề nghiệp viên chức theo NĐ 115/2020 sửa đổi bởi NĐ 85/2023',
    en: 'Public-employee professional-title promotion by review under Decree 115/2020 as amended by Decree 85/2023',
  },
  kind: 'title_promotion',
  legalBasis: 'Nghị định 115/2020/NĐ-CP Điều 32, 40 sửa đổi, bổ sung bởi Nghị định 85/2023/NĐ-CP (hiệu lực 7/12/2023).',
  sources: [],
  effective: EFFECTIVE,
  targetGrades: null,
  rounds: [],
  // A review: the council checks each file (Điều 32); nothing is sat or marked.
  parts: [],
  choices: [],
  total: { priorityAddedTo: null, maxBeforePriority: null, minScores: [], basis: 'review', source: SRC_THANG_HANG },
  priority: { combine: 'highest_only', categories: [], source: SRC_THANG_HANG },
  tieBreak: {
    // Điều 40 k2 a–đ. What follows đ) was NOT FOUND (the page quoted elides it): no 'head_decides' step.
    chain: ['achievement', 'female', 'ethnic_minority', 'older', 'longer_service'],
    partSources: {},
    source: SRC_THANG_HANG,
  },
  sanctions: [],
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
    // The minimum time in the title below comes from each sector's title standards: not built in.
    serviceTime: [],
    rating: { min: 'tot', years: 1 }, // "completed tasks well or better in the working year immediately preceding"
    noDiscipline: true, // "not being subject to disciplinary action"
    otherConditions: [
      { vi: 'Có phẩm chất chính trị, đạo đức nghề nghiệp tốt', en: 'Good political qualities and professional ethics' },
      {
        vi: 'Có năng lực, trình độ chuyên môn, nghiệp vụ để đảm nhận chức danh nghề nghiệp ở hạng cao hơn liền kề trong cùng lĩnh vực',
        en: 'Capacity to hold the adjacent higher title in the same field',
      },
      {
        vi: 'Đáp ứng yêu cầu về văn bằng, chứng chỉ và yêu cầu khác của tiêu chuẩn chức danh nghề nghiệp dự xét',
        en: 'Diplomas, certificates and other requirements of the title standards',
      },
      {
        vi: 'Đáp ứng thời gian công tác tối thiểu giữ chức danh nghề nghiệp hạng dưới liền kề theo tiêu chuẩn chức danh',
        en: 'Minimum time holding the next lower title, per the title standards',
      },
    ],
    source: SRC_ELIG,
  },
  gaps: [
    'Điều 40 khoản 2: phần sau điểm đ) (người đứng đầu quyết định khi vẫn bằng nhau?) KHÔNG TÌM THẤY — chuỗi dừng ở thời gian công tác; Hội đồng thêm bước "head_decides" (tieBreak.chain) nếu có căn cứ.',
    'Cách so sánh "thành tích cao hơn" (điểm a): KHÔNG TÌM THẤY thang đo — Hội đồng ghi mức thành tích của từng viên chức (số, cao hơn là hơn) kèm căn cứ.',
    'Chấm điểm hồ sơ như biện pháp bổ trợ (dự thảo Quy chế, news.laodong.vn 1428681): văn bản chính thức KHÔNG TÌM THẤY — không áp dụng.',
    'Thời gian giữ hạng dưới liền kề: theo tiêu chuẩn chức danh nghề nghiệp từng ngành — Hội đồng kiểm tra hồ sơ, không có sẵn trong quy chế này.',
  ],
};
