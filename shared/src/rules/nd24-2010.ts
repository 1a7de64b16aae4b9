/**
 * NĐ 24/2010 (amended by NĐ 93/2010; consolidated 01/NĐHN-BNV) with TT 13/2010/TT-BNV (amended by
 * TT 05/2012): recruitment rules in force from 2010 to 14/1/2019 [S30]. One round, all parts in it.
 */
import { category, NO_PARTIAL_CREDIT, ROUND_1, sanctionsUnknown } from './common.js';
import type { RegulationProfile } from './types.js';

const SRC_SUBJECTS = 'NĐ 24/2010 Điều 8 [S2]';
const SRC_SCORING = 'NĐ 24/2010 Điều 10 [S3]';
const SRC_PASS = 'NĐ 24/2010 Điều 11 [S3]';
const SRC_PRIORITY = 'NĐ 24/2010 Điều 5 [S4]';

export const ND24_2010: RegulationProfile = {
  id: 'nd24-2010',
  name: {
    vi: 'Thi tuyển công chức theo NĐ 24/2010/NĐ-CP',
    en: 'Civil-service recruitment exam under Decree 24/2010',
  },
  kind: 'recruitment',
  legalBasis:
    'Nghị định 24/2010/NĐ-CP ngày 15/3/2010 (sửa đổi bởi NĐ 93/2010/NĐ-CP; VBHN 01/NĐHN-BNV ngày 3/10/2013); ' +
    'Thông tư 13/2010/TT-BNV ngày 30/12/2010 (sửa đổi bởi TT 05/2012/TT-BNV).',
  sources: ['S2', 'S3', 'S4', 'S29', 'S30'],
  // In force until NĐ 161/2018 took effect on 15/1/2019 [S5][S7]. The in-force date of NĐ 24/2010
  // itself is not in the reference (only the signing date 15/3/2010).
  effective: { from: null, to: '2019-01-14' },
  targetGrades: null,
  rounds: [{ round: 1, name: ROUND_1 }],
  parts: [
    {
      id: 'ktc',
      name: { vi: 'Kiến thức chung (thi viết)', en: 'General knowledge (written)' },
      subject: 'KTC',
      round: 1,
      mode: 'written',
      questionCount: null,
      durationMin: null, // NOT FOUND: TT 13/2010 Điều 7 durations
      scoreScale: 100, // every paper is marked out of 100 [S3]
      passRule: { kind: 'min_score', score: 50 }, // ≥50 on every paper [S3]
      role: 'counted',
      coefficient: 1, // [S3]
      exemptibleBy: [],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: `${SRC_SUBJECTS}; ${SRC_SCORING}`,
    },
    {
      id: 'nvcn_written',
      name: { vi: 'Nghiệp vụ chuyên ngành (thi viết)', en: 'Specialised knowledge (written)' },
      subject: 'NVCN',
      round: 1,
      mode: 'written',
      questionCount: null,
      durationMin: null, // NOT FOUND
      scoreScale: 100,
      passRule: { kind: 'min_score', score: 50 },
      role: 'counted',
      coefficient: 2, // [S3]
      exemptibleBy: [],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      note: 'Nếu vị trí việc làm là ngoại ngữ hoặc công nghệ thông tin thì thi nghiệp vụ chuyên ngành là ngoại ngữ/tin học [S2].',
      source: `${SRC_SUBJECTS}; ${SRC_SCORING}`,
    },
    {
      id: 'nvcn_mc',
      name: { vi: 'Nghiệp vụ chuyên ngành (trắc nghiệm)', en: 'Specialised knowledge (multiple choice)' },
      subject: 'NVCN',
      round: 1,
      // A multiple-choice paper; whether on computer or answer sheets is NOT FOUND: the board picks
      // 'computer_mc' or 'paper_mc'.
      mode: null,
      questionCount: null, // NOT FOUND
      durationMin: null, // NOT FOUND
      scoreScale: 100,
      passRule: { kind: 'min_score', score: 50 },
      role: 'counted',
      coefficient: 1, // [S3]
      exemptibleBy: [],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: `${SRC_SUBJECTS}; ${SRC_SCORING}`,
    },
    {
      id: 'nn',
      name: { vi: 'Ngoại ngữ (hoặc tiếng dân tộc thiểu số)', en: 'Foreign language (or a minority language)' },
      subject: 'NN',
      round: 1,
      mode: null, // NOT FOUND for recruitment
      questionCount: null,
      durationMin: null, // NOT FOUND
      scoreScale: 100,
      passRule: { kind: 'min_score', score: 50 },
      role: 'condition', // ×1 but not added to the total [S3]
      coefficient: 1,
      // NĐ 24/2010 Điều 9 ("Điều kiện miễn thi một số môn"): the foreign-language paper is waived for a
      // candidate who "có bằng tốt nghiệp đại học, sau đại học về ngoại ngữ" or "có bằng tốt nghiệp đại
      // học, sau đại học ở nước ngoài hoặc tốt nghiệp đại học, sau đại học tại cơ sở đào tạo bằng tiếng
      // nước ngoài ở Việt Nam" (thukyluat.vn 60285, comparing NĐ 161/2018 with NĐ 24/2010, found with the
      // search tool; reference §5b, baonghean.vn). The board records the ground as `foreign_language`.
      exemptibleBy: ['foreign_language'],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: `${SRC_SUBJECTS}; ${SRC_SCORING}`,
    },
    {
      id: 'th',
      name: { vi: 'Tin học văn phòng', en: 'Office IT' },
      subject: 'TH',
      round: 1,
      mode: null, // NOT FOUND for recruitment
      questionCount: null,
      durationMin: null, // NOT FOUND
      scoreScale: 100,
      passRule: { kind: 'min_score', score: 50 },
      role: 'condition', // ×1 but not added to the total [S3]
      coefficient: 1,
      // NĐ 24/2010 Điều 9: a single ground waives the IT paper, an IT qualification ("trước đây chỉ có
      // 01 trường hợp duy nhất được miễn thi tin học …, đó là các đối tượng có bằng tốt nghiệp …",
      // thukyluat.vn 60285). Its exact level (the quoted page is cut there) is NOT FOUND: the board
      // checks the diploma and records `it`.
      exemptibleBy: ['it'],
      droppedWhen: null,
      appliesToGrades: null,
      choice: null,
      source: `${SRC_SUBJECTS}; ${SRC_SCORING}`,
    },
  ],
  choices: [],
  total: {
    // Result = KTC + weighted NVCN + priority; max 400 before priority [S3].
    priorityAddedTo: 'total',
    maxBeforePriority: 400,
    minScores: [],
    source: SRC_SCORING,
  },
  priority: {
    // Only the single highest category applies [S4].
    combine: 'highest_only',
    categories: [
      category('anh_hung', 30, SRC_PRIORITY),
      category('thuong_binh', 30, SRC_PRIORITY),
      category('dan_toc_thieu_so', 20, SRC_PRIORITY),
      category('si_quan_quan_nhan', 20, SRC_PRIORITY),
      category('co_yeu', 20, SRC_PRIORITY),
      category('con_chinh_sach', 20, SRC_PRIORITY, {
        vi: 'Con liệt sĩ, con thương binh, con bệnh binh, con của người hưởng chính sách như thương binh, con của người hoạt động cách mạng trước 19/8/1945, con đẻ của người bị nhiễm chất độc da cam, con Anh hùng',
        en: 'Child of a martyr, war invalid, sick soldier, person treated as a war invalid, pre-19/8/1945 revolutionary, Agent Orange victim (biological), or hero',
      }),
      category('xuat_ngu', 10, SRC_PRIORITY),
      category('tnxp', 10, SRC_PRIORITY),
      category('tri_thuc_tre', 10, SRC_PRIORITY),
    ],
    source: SRC_PRIORITY,
  },
  tieBreak: {
    // Higher NVCN written, then higher NVCN MC, then the head of the recruiting body decides [S3].
    chain: ['nvcn_written', 'nvcn_mc', 'head_decides'],
    partSources: { nvcn_written: ['nvcn_written'], nvcn_mc: ['nvcn_mc'] },
    source: SRC_PASS,
  },
  // Sanctions under TT 13/2010: NOT FOUND. Only field practice is known (recorded, not applied).
  sanctions: sanctionsUnknown('TT 13/2010 (NOT FOUND in the reference)').map((s) =>
    s.code === 'khien_trach'
      ? { ...s, practiceExample: 'Hà Nội 2015: trừ 20% điểm bài thi [S29] — thực tiễn, không phải quy định' }
      : s.code === 'canh_cao'
        ? { ...s, practiceExample: 'Hà Nội 2015: trừ 40% điểm bài thi [S29] — thực tiễn, không phải quy định' }
        : s.code === 'dinh_chi'
          ? { ...s, practiceExample: 'Hà Nội 2015: bài thi bị đình chỉ được 0 điểm [S29] — thực tiễn, không phải quy định' }
          : s,
  ),
  timingMode: null,
  autoSubmit: null,
  showResultImmediately: null,
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: null,
  lateAdmission: null, // NOT FOUND for TT 13/2010
  bankMultiple: null, // NOT FOUND for TT 13/2010
  kiemDinhValidityMonths: null, // no kiểm định then
  partialCredit: NO_PARTIAL_CREDIT, // only fully correct answers count ("số câu trả lời đúng", see common.ts)
  resultsCarryOver: false, // không bảo lưu [S3]
  eligibility: null,
  gaps: [
    'Thời gian thi các môn (TT 13/2010 Điều 7): KHÔNG TÌM THẤY. QĐ 1344/QĐ-BNV (thi nâng ngạch 2011) chỉ là tham khảo [S11].',
    'Hình thức thi ngoại ngữ, tin học và phương tiện thi trắc nghiệm NVCN (máy tính hay giấy): KHÔNG TÌM THẤY.',
    'Miễn thi (NĐ 24/2010 Điều 9): ngoại ngữ — bằng đại học, sau đại học về ngoại ngữ, hoặc học ở nước ngoài / bằng tiếng nước ngoài; tin học — một trường hợp có bằng tốt nghiệp chuyên ngành tin học, trình độ tối thiểu KHÔNG TÌM THẤY (Hội đồng kiểm tra văn bằng).',
    'Hình thức kỷ luật và mức trừ điểm theo TT 13/2010: KHÔNG TÌM THẤY. Hà Nội 2015 trừ 20%/40% chỉ là ví dụ thực tiễn [S29].',
    'Thời gian đến muộn được dự thi, bội số ngân hàng câu hỏi: KHÔNG TÌM THẤY.',
  ],
};
