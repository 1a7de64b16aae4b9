/**
 * Building blocks shared by several profiles. Every value here carries its [S#] source from
 * ../shared/reference/vn-exam-rules.md; values the reference does not give are null.
 */
import type { LateAdmissionRule, LocalizedText, PriorityCategory, SanctionRule, SubjectHint } from './types.js';

export const SUBJECT_HINT_LABELS: Record<SubjectHint, LocalizedText> = {
  KTC: { vi: 'Kiến thức chung', en: 'General knowledge' },
  NN: { vi: 'Ngoại ngữ', en: 'Foreign language' },
  TH: { vi: 'Tin học', en: 'Information technology' },
  NVCN: { vi: 'Nghiệp vụ chuyên ngành', en: 'Specialised professional knowledge' },
  CM: { vi: 'Chuyên môn, nghiệp vụ', en: 'Professional expertise' },
  KD: { vi: 'Kiểm định chất lượng đầu vào', en: 'Entry-quality assessment' },
};

export const ROUND_1: LocalizedText = { vi: 'Vòng 1', en: 'Round 1' };
export const ROUND_2: LocalizedText = { vi: 'Vòng 2', en: 'Round 2' };

/** Round-2 format choices (NĐ 138/2020 Điều 8 k2 [S6][S17]; NĐ 116/2024 [S14][S15]; NĐ 170/2025 [S53]). */
export const FORMAT_LABELS = {
  interview: { vi: 'Phỏng vấn', en: 'Interview' },
  written: { vi: 'Thi viết', en: 'Written' },
  both: { vi: 'Phỏng vấn và thi viết', en: 'Interview and written' },
  written_interview: { vi: 'Thi viết và phỏng vấn', en: 'Written and interview' },
  written_computer: { vi: 'Thi viết trên máy tính (trắc nghiệm)', en: 'Written on computer (multiple choice)' },
} as const satisfies Record<string, LocalizedText>;

// ---------------------------------------------------------------------------------------------
// Priority categories. Codes are shared across profiles so a candidate's category survives a change
// of profile; the points and the wording differ by regime.

export const PRIORITY_LABELS = {
  anh_hung: {
    vi: 'Anh hùng Lực lượng vũ trang, Anh hùng Lao động',
    en: 'Hero of the People’s Armed Forces, Hero of Labour',
  },
  thuong_binh: {
    vi: 'Thương binh, người hưởng chính sách như thương binh',
    en: 'War invalid, or treated as a war invalid',
  },
  dan_toc_thieu_so: { vi: 'Người dân tộc thiểu số', en: 'Ethnic minority' },
  si_quan_quan_nhan: {
    vi: 'Sĩ quan quân đội, sĩ quan công an, quân nhân chuyên nghiệp',
    en: 'Army or police officer, professional soldier',
  },
  co_yeu: { vi: 'Người làm công tác cơ yếu chuyển ngành', en: 'Cipher (cơ yếu) staff moving to civilian work' },
  thuong_binh_loai_b: { vi: 'Thương binh loại B', en: 'War invalid, category B' },
  qncn_phuc_vien: { vi: 'Quân nhân chuyên nghiệp phục viên', en: 'Demobilised professional soldier' },
  si_quan_du_bi: { vi: 'Học viên tốt nghiệp đào tạo sĩ quan dự bị', en: 'Graduate of reserve-officer training' },
  chi_huy_truong_xa: {
    vi: 'Tốt nghiệp đào tạo chỉ huy trưởng Ban chỉ huy quân sự cấp xã',
    en: 'Graduate of training as commander of a commune military command',
  },
  con_chinh_sach: {
    vi: 'Con liệt sĩ, con thương binh, con bệnh binh và các đối tượng tương tự',
    en: 'Child of a martyr, war invalid or sick soldier, and similar groups',
  },
  xuat_ngu: {
    vi: 'Người hoàn thành nghĩa vụ quân sự, nghĩa vụ công an nhân dân',
    en: 'Completed military or police service',
  },
  tnxp: { vi: 'Đội viên thanh niên xung phong', en: 'Youth volunteer (TNXP)' },
  tri_thuc_tre: {
    vi: 'Đội viên trí thức trẻ tình nguyện từ đủ 24 tháng',
    en: 'Young-intellectual volunteer with at least 24 months',
  },
  can_bo_cong_doan: {
    vi: 'Cán bộ công đoàn trưởng thành từ cơ sở, trong phong trào công nhân',
    en: 'Trade-union cadre who rose from the grassroots workers’ movement',
  },
} as const satisfies Record<string, LocalizedText>;

export type PriorityCode = keyof typeof PRIORITY_LABELS;

export function category(code: PriorityCode, points: number, source: string, label?: LocalizedText): PriorityCategory {
  return { code, label: label ?? PRIORITY_LABELS[code], points, source };
}

/**
 * NĐ 138/2020 Điều 5 k1 [S8], the same list in NĐ 116/2024 (which adds 1.5 points, see
 * priorityNd116) and NĐ 170/2025 Điều 6 (reference §5b, news.laodong 1534613):
 *   a) "Anh hùng Lực lượng vũ trang, Anh hùng Lao động, thương binh, người hưởng chính sách như
 *      thương binh, thương binh loại B: Được cộng 7,5 điểm vào kết quả điểm vòng 2";
 *   b) "Người dân tộc thiểu số, sĩ quan quân đội, sĩ quan công an, quân nhân chuyên nghiệp phục viên,
 *      người làm công tác cơ yếu chuyển ngành, học viên tốt nghiệp đào tạo sĩ quan dự bị, tốt nghiệp
 *      đào tạo chỉ huy trưởng Ban chỉ huy quân sự cấp xã …, con liệt sĩ, con thương binh, con bệnh
 *      binh, con của người hưởng chính sách như thương binh, con của thương binh loại B, con đẻ của
 *      người hoạt động kháng chiến bị nhiễm chất độc hóa học, con Anh hùng Lực lượng vũ trang, con Anh
 *      hùng Lao động: Được cộng 5 điểm vào kết quả điểm vòng 2";
 *   c) "Người hoàn thành nghĩa vụ quân sự, nghĩa vụ tham gia công an nhân dân, đội viên thanh niên
 *      xung phong: Được cộng 2,5 điểm vào kết quả điểm vòng 2".
 * Each group is split into one code per kind of person so the candidate import names exactly one.
 * The wording is as the secondary sources quote it; the search tool found no primary text (gaps).
 */
export function priorityNd138(source = 'NĐ 138/2020 Điều 5 khoản 1 [S8]'): PriorityCategory[] {
  const s = source;
  return [
    category('anh_hung', 7.5, s),
    category('thuong_binh', 7.5, s),
    category('thuong_binh_loai_b', 7.5, s),
    category('dan_toc_thieu_so', 5, s),
    category('si_quan_quan_nhan', 5, s, { vi: 'Sĩ quan quân đội, sĩ quan công an', en: 'Army or police officer' }),
    category('qncn_phuc_vien', 5, s),
    category('co_yeu', 5, s),
    category('si_quan_du_bi', 5, s),
    category('chi_huy_truong_xa', 5, s),
    category('con_chinh_sach', 5, s, {
      vi: 'Con liệt sĩ, con thương binh, con bệnh binh, con của người hưởng chính sách như thương binh, con của thương binh loại B, con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học, con Anh hùng Lực lượng vũ trang, con Anh hùng Lao động',
      en: 'Child of a martyr, war invalid (incl. category B), sick soldier or person treated as a war invalid; biological child of a resistance fighter exposed to toxic chemicals; child of a Hero',
    }),
    category('xuat_ngu', 2.5, s, {
      vi: 'Người hoàn thành nghĩa vụ quân sự, nghĩa vụ tham gia công an nhân dân',
      en: 'Completed military or police service',
    }),
    category('tnxp', 2.5, s),
  ];
}

/** The gap every profile using priorityNd138 lists. */
export const PRIORITY_WORDING_GAP =
  'Danh sách đối tượng ưu tiên: theo lời trích của các nguồn thứ cấp [S8] và mục 5b tài liệu tham khảo; KHÔNG TÌM THẤY văn bản gốc bằng công cụ tìm kiếm. Phần sau "chỉ huy trưởng Ban chỉ huy quân sự cấp xã" (điều kiện được phong quân hàm sĩ quan dự bị) cần đối chiếu văn bản gốc.';

// ---------------------------------------------------------------------------------------------
// Sanctions.

/**
 * TT 06/2020 Nội quy Điều 2 [S19][S39]. Percentage deductions: NOT FOUND (null). Đình chỉ leads to
 * hủy kết quả (k4: "having been suspended"); whether it also bars later papers is NOT FOUND.
 */
export function sanctionsTt06(): SanctionRule[] {
  const s = 'TT 06/2020 Nội quy Điều 2 [S19][S39]';
  return [
    {
      code: 'khien_trach',
      label: { vi: 'Khiển trách', en: 'Reprimand' },
      grounds: 'Cố ý ngồi sai chỗ; trao đổi sau khi đã bị nhắc nhở; mang tài liệu, thiết bị vào phòng thi',
      deductionPercent: null, // NOT FOUND in TT 06/2020
      paperCancelled: false,
      barsLaterParts: false,
      cancelsResult: false,
      source: s,
    },
    {
      code: 'canh_cao',
      label: { vi: 'Cảnh cáo', en: 'Warning' },
      grounds: 'Trao đổi bài làm, giấy nháp; chép bài hoặc cho người khác chép; sử dụng tài liệu, thiết bị',
      deductionPercent: null, // NOT FOUND in TT 06/2020
      paperCancelled: false,
      barsLaterParts: false,
      cancelsResult: false,
      source: s,
    },
    {
      code: 'dinh_chi',
      label: { vi: 'Đình chỉ thi', en: 'Suspension from the exam' },
      grounds: null, // the grounds for đình chỉ under TT 06/2020 are NOT FOUND
      deductionPercent: null,
      paperCancelled: null, // NOT FOUND
      barsLaterParts: null, // NOT FOUND
      cancelsResult: true, // Điều 2 k4: a suspended candidate's results are cancelled
      source: s,
    },
    {
      code: 'huy_ket_qua',
      label: { vi: 'Hủy kết quả thi', en: 'Results cancelled' },
      grounds: 'Viết, vẽ nội dung không liên quan; đánh tráo bài thi, thi hộ; đã bị đình chỉ thi',
      deductionPercent: null,
      paperCancelled: true,
      barsLaterParts: null,
      cancelsResult: true,
      source: s,
    },
  ];
}

/**
 * TT 001/2025 and TT 22/2025 [S20][S21][S57]: four sanctions; no percentage deductions were reported
 * (null). Đình chỉ: that paper is cancelled and the remaining papers may not be sat; being suspended is
 * itself a ground for hủy kết quả.
 */
export function sanctionsTt22(): SanctionRule[] {
  const s = 'TT 22/2025 (and TT 001/2025) Nội quy [S20][S21][S57]';
  return [
    {
      code: 'khien_trach',
      label: { vi: 'Khiển trách', en: 'Reprimand' },
      grounds: 'Ngồi sai chỗ; trao đổi sau khi đã bị nhắc nhở lần đầu',
      deductionPercent: null, // no percentage deduction reported
      paperCancelled: false,
      barsLaterParts: false,
      cancelsResult: false,
      source: s,
    },
    {
      code: 'canh_cao',
      label: { vi: 'Cảnh cáo', en: 'Warning' },
      grounds: 'Tái phạm sau khiển trách; trao đổi bài làm; chép bài; mang thiết bị vào phòng thi',
      deductionPercent: null, // no percentage deduction reported
      paperCancelled: false,
      barsLaterParts: false,
      cancelsResult: false,
      source: s,
    },
    {
      code: 'dinh_chi',
      label: { vi: 'Đình chỉ thi', en: 'Suspension from the exam' },
      grounds: 'Tái phạm sau cảnh cáo; sử dụng thiết bị, tài liệu; gây rối',
      deductionPercent: null,
      paperCancelled: true,
      barsLaterParts: true,
      cancelsResult: true, // "having been suspended" is a ground for hủy kết quả
      source: s,
    },
    {
      code: 'huy_ket_qua',
      label: { vi: 'Hủy kết quả thi', en: 'Results cancelled' },
      // TT 22/2025 adds taking the paper out of the room to the grounds for cancellation (reference §5b,
      // giadinh.suckhoedoisong.vn 26/10/2025; the exact wording of that point was NOT FOUND with the search tool).
      grounds:
        'Viết, vẽ nội dung không liên quan; đánh tráo bài thi, thi hộ; mang bài thi ra ngoài phòng thi; đã bị đình chỉ thi. Nếu đã là viên chức thì thông báo cơ quan quản lý',
      deductionPercent: null,
      paperCancelled: true,
      barsLaterParts: null,
      cancelsResult: true,
      source: s,
    },
  ];
}

/** Sanctions with every effect unknown except that hủy kết quả cancels the result (by its name). */
export function sanctionsUnknown(source: string): SanctionRule[] {
  return (
    [
      ['khien_trach', { vi: 'Khiển trách', en: 'Reprimand' }],
      ['canh_cao', { vi: 'Cảnh cáo', en: 'Warning' }],
      ['dinh_chi', { vi: 'Đình chỉ thi', en: 'Suspension from the exam' }],
      ['huy_ket_qua', { vi: 'Hủy kết quả thi', en: 'Results cancelled' }],
    ] as const
  ).map(([code, label]) => ({
    code,
    label,
    grounds: null,
    deductionPercent: null,
    paperCancelled: code === 'huy_ket_qua' ? true : null,
    barsLaterParts: null,
    cancelsResult: code === 'huy_ket_qua' ? true : null,
    source,
  }));
}

// ---------------------------------------------------------------------------------------------
// Late admission.

/** TT 06/2020 Nội quy Điều 1 [S19]: more than 30' late is not admitted. */
export function lateAdmissionTt06(): LateAdmissionRule {
  return {
    bands: [{ paperMinAtLeast: null, paperMinAtMost: null, maxLateMin: 30 }],
    otherwise: 'not_admitted',
    source: 'TT 06/2020 Nội quy Điều 1 [S19]',
  };
}

/** TT 001/2025 and TT 22/2025 [S20][S21][S57]: ≤5' for papers up to 30', ≤10' for 60' or more; otherwise the chair decides. */
export function lateAdmissionTt22(): LateAdmissionRule {
  return {
    bands: [
      { paperMinAtLeast: null, paperMinAtMost: 30, maxLateMin: 5 },
      { paperMinAtLeast: 60, paperMinAtMost: null, maxLateMin: 10 },
    ],
    otherwise: 'chair_decides',
    source: 'TT 22/2025 (and TT 001/2025) Nội quy [S20][S21][S57]',
  };
}

// ---------------------------------------------------------------------------------------------
// Partial credit.

/**
 * NĐ 138/2020 Điều 8 k1 (kept by NĐ 116/2024 and, for round 1, NĐ 170/2025): "Kết quả thi vòng 1 được
 * xác định theo số câu trả lời đúng cho từng phần thi …, nếu trả lời đúng từ 50% số câu hỏi trở lên
 * cho từng phần thi thì người dự tuyển được thi tiếp vòng 2" [S18] (lawnet 67370; the same sentence for
 * viên chức under NĐ 115/2020, found with the search tool). A multiple-answer question ticked only in
 * part is not "trả lời đúng": the pass rule, the score and the tie-break "số câu trả lời đúng" count
 * fully correct answers only. No regime in the reference scores a multiple-choice answer in part, so
 * every official profile says false; the custom profile alone may turn it on, outside the regulations.
 */
export const NO_PARTIAL_CREDIT = false;

// ---------------------------------------------------------------------------------------------
// TT 001/2025 for viên chức.

/**
 * TT 001/2025/TT-BNV (in force 1/5/2025, replacing TT 06/2020; S20): the Nội quy and Quy chế for
 * công chức and viên chức alike. TT 22/2025 (from 10/12/2025) replaced its công chức parts only [S21], so
 * TT 001/2025 still governs viên chức exams: late arrival ≤5' for papers up to 30', ≤10' for 60' or more,
 * other cases for the chair to decide (vietnam.vn, "Bộ Nội vụ ban hành Nội quy và Quy chế tuyển dụng,
 * nâng ngạch, xét thăng hạng công chức, viên chức", found with the search tool).
 */
export function lateAdmissionTt001(): LateAdmissionRule {
  return { ...lateAdmissionTt22(), source: 'TT 001/2025 Nội quy Điều 1 [S20] (vietnam.vn)' };
}

/**
 * The four sanctions of TT 001/2025 [S20] as the reference reports them for TT 001/2025 and TT 22/2025
 * together; taking the paper out of the room is a ground reported for TT 22/2025 only, so it is left out.
 */
export function sanctionsTt001(): SanctionRule[] {
  const s = 'TT 001/2025 Nội quy [S20]';
  return sanctionsTt22().map((r) =>
    r.code === 'huy_ket_qua'
      ? {
          ...r,
          grounds:
            'Viết, vẽ nội dung không liên quan; đánh tráo bài thi, thi hộ; đã bị đình chỉ thi. Nếu đã là viên chức thì thông báo cơ quan quản lý',
          source: s,
        }
      : { ...r, source: s },
  );
}
