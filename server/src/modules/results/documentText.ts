/** The text helpers of the result documents (documents.ts): labels, scores, reasons, dates. */
import {
  type ExamResultsDto,
  getProfile,
  type PartStatus,
  type PositionResultDto,
  type ResultPartDto,
  type ResultRowDto,
} from '@exam/shared';
import { type ExamInfo, zonedWallClock } from '../exams/documents/pdf.js';
import { decisionRefVi, explanationVi } from './explain.js';

export const RANKING_TITLE = 'DANH SÁCH KẾT QUẢ THI VÀ XẾP HẠNG';
export const NOTICE_TITLE = 'THÔNG BÁO KẾT QUẢ THI';
export const CHAIR_TITLE = 'CHỦ TỊCH HỘI ĐỒNG THI';
export const CHAIR_NOTE = '(Ký, ghi rõ họ tên, đóng dấu)';
export const DRAFT_NOTE = 'Bản dự thảo — kết quả chưa được công bố';

/** What the documents show about the exam beyond the results. */
export interface ResultsDocInfo extends ExamInfo {
  /** Place for the date line ("Quảng Nam, ngày …"); dots when unknown. */
  place?: string;
}

export const PART_STATUS_VI: Record<PartStatus, string> = {
  passed: 'Đạt',
  failed: 'Không đạt',
  absent: 'Vắng thi',
  missing: 'Chưa có điểm',
  exempt: 'Miễn thi',
  dropped: 'Không phải thi',
  not_applicable: 'Không áp dụng',
  barred: 'Không được thi tiếp',
  cancelled: 'Bị hủy bài thi',
  unconfigured: 'Chưa cấu hình',
};

// ---------------------------------------------------------------------------------------------
// Shared helpers.

export function infoOf(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): ResultsDocInfo {
  return {
    name: exam?.name ?? r.examName,
    code: exam?.code ?? r.examCode,
    organisingBody: exam?.organisingBody ?? '',
    ...(exam?.place ? { place: exam.place } : {}),
  };
}

export interface PartColumn {
  partId: number;
  name: string;
  scoreScale: number;
  role: ResultPartDto['role'];
}

/**
 * Every part found in the rows, in the order the rows list them, leaving out the parts that apply to
 * none of the candidates listed (issue 13: a promotion exam's parts for other grades).
 */
export function partColumns(r: Pick<ExamResultsDto, 'positions'>): PartColumn[] {
  const seen = new Map<number, PartColumn>();
  const applies = new Set<number>();
  for (const pos of r.positions)
    for (const row of pos.rows)
      for (const p of row.parts) {
        if (!seen.has(p.partId)) seen.set(p.partId, { partId: p.partId, name: p.name, scoreScale: p.scoreScale, role: p.role });
        if (p.status !== 'not_applicable') applies.add(p.partId);
      }
  return [...seen.values()].filter((p) => applies.has(p.partId));
}

/** Whether the documents print priority points: the profile adds them, or a row has some. */
export function showsPriority(r: Pick<ExamResultsDto, 'profileId' | 'positions'>): boolean {
  const profile = getProfile(r.profileId);
  if (!profile || profile.total.priorityAddedTo !== null) return true;
  return r.positions.some((p) => p.rows.some((row) => row.priorityPoints > 0));
}

/** "Ngạch dự thi" for promotion exams, "Vị trí dự tuyển" otherwise (issue 13). */
export function positionLabel(r: Pick<ExamResultsDto, 'profileId'>): string {
  return getProfile(r.profileId)?.kind === 'promotion' ? 'Ngạch dự thi' : 'Vị trí dự tuyển';
}

const NUMBER_VI = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** 86 → "86", 27.5 → "27,5" (vi-VN). */
export function scoreVi(x: number | null | undefined): string {
  return x === null || x === undefined ? '' : NUMBER_VI.format(x);
}

/** A part's cell: the score when there is one, else the status ("Vắng thi", "Miễn thi" …). */
export function partText(p: ResultPartDto | undefined): string {
  if (!p) return '';
  return p.score !== null ? scoreVi(p.score) : PART_STATUS_VI[p.status];
}

export function partValue(p: ResultPartDto | undefined): number | string {
  if (!p) return '';
  return p.score !== null ? p.score : PART_STATUS_VI[p.status];
}

export const partOf = (row: ResultRowDto, partId: number) => row.parts.find((p) => p.partId === partId);

/** Why the candidate is not selected, or '' when selected. */
export function reasonText(row: ResultRowDto): string {
  if (row.selected) return '';
  if (row.reason) return row.reason;
  if (row.status === 'tie_pending') return 'Bằng điểm ở ngưỡng chỉ tiêu, chờ người đứng đầu quyết định.';
  return row.reasons.join(' ');
}

/** Why the row has its place, as one paragraph (issue 13). */
export function explanationText(row: ResultRowDto): string {
  return explanationVi(row.explanation);
}

/** "Trúng tuyển", or "Không trúng tuyển" and the reason on the next line. */
export function resultText(row: ResultRowDto): string {
  if (row.selected) return 'Trúng tuyển';
  const why = reasonText(row);
  const head = row.status === 'tie_pending' ? 'Chưa xác định' : 'Không trúng tuyển';
  return why ? `${head}\n${why}` : head;
}

export interface TieMark {
  /** 1-based group number within the position */
  group: number;
  note: string;
}

/** The tied groups of a position, by candidate, with what became of them. */
export function tieMarks(pos: PositionResultDto): Map<number, TieMark> {
  const marks = new Map<number, TieMark>();
  const rows = new Map(pos.rows.map((r) => [r.candidateId, r]));
  pos.tiedGroups.forEach((g, i) => {
    const members = g.candidateIds.map((id) => rows.get(id)).filter((r): r is ResultRowDto => !!r);
    let note: string;
    if (g.decision)
      note = `Thủ trưởng đã quyết định${g.decision.ref ? ` — ${decisionRefVi(g.decision.ref)}` : ''} (${g.decision.reason})`;
    else if (members.some((m) => m.status === 'tie_pending')) note = 'chờ người đứng đầu quyết định';
    else if (members.every((m) => m.selected)) note = 'cùng trong chỉ tiêu';
    else note = 'cùng ngoài chỉ tiêu';
    for (const id of g.candidateIds) if (!marks.has(id)) marks.set(id, { group: i + 1, note });
  });
  return marks;
}

/** Rows in rank order (ranked first, by rank; then the others as listed). */
export function rankOrder(rows: readonly ResultRowDto[]): ResultRowDto[] {
  const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  return [...ranked, ...rows.filter((r) => r.rank === null)];
}

export const byNumber = (a: ResultRowDto, b: ResultRowDto) => a.number.localeCompare(b.number, 'vi', { numeric: true });

/** The date line of a signature block: "Quảng Nam, ngày 05 tháng 02 năm 2026". */
export function dateLineVi(iso: string, place?: string): string {
  const w = zonedWallClock(iso);
  const where = place?.trim() || '……………';
  if (!w) return `${where}, ngày …… tháng …… năm ……`;
  // days 1–9 and months 1–2 take a leading zero in administrative documents
  const d = String(w.d).padStart(2, '0');
  const m = w.m < 3 ? String(w.m).padStart(2, '0') : String(w.m);
  return `${where}, ngày ${d} tháng ${m} năm ${w.y}`;
}

/** The priority category's Vietnamese label under the exam's profile; "đối tượng <code>" when unknown. */
export function priorityLabel(r: Pick<ExamResultsDto, 'profileId'>, code: string): string {
  return getProfile(r.profileId)?.priority.categories.find((c) => c.code === code)?.label.vi ?? `đối tượng ${code}`;
}

export const docDate = (r: ExamResultsDto) => r.published?.publishedAt ?? r.computedAt;

// ---------------------------------------------------------------------------------------------
// XLSX.
