/**
 * Result documents of an exam (issue 6), generated from the ExamResultsDto alone (pure, no I/O):
 * - resultsXlsx: a workbook with the sheet "Kết quả" (every candidate), one ranking sheet per
 *   position (rank order, quota in the heading, tied groups marked) and a score sheet per room;
 * - rankingPdf: per position, the "DANH SÁCH KẾT QUẢ THI VÀ XẾP HẠNG" with the national heading and
 *   the council chair's signature block;
 * - noticesPdf: one "THÔNG BÁO KẾT QUẢ THI" page per candidate.
 * Results that are not published yet are marked as a draft ("Bản dự thảo"). The place/date line uses
 * the publication date (else the computation date), in Vietnam time.
 */
import {
  type ExamResultsDto,
  getProfile,
  type PartStatus,
  type PositionResultDto,
  type ResultPartDto,
  type ResultRowDto,
} from '@exam/shared';
import ExcelJS from 'exceljs';
import {
  bottomY,
  centeredTitle,
  contentWidth,
  createDoc,
  type Doc,
  drawTable,
  type ExamInfo,
  FONT,
  FONT_BOLD,
  FONT_ITALIC,
  finish,
  formatDateVi,
  nationalHeading,
  pageNumbers,
  signatureBlock,
  type TableColumn,
  t,
  textAt,
  zonedWallClock,
} from '../exams/documents/pdf.js';
import { sheetName } from '../exams/documents/room-list-xlsx.js';
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

function infoOf(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): ResultsDocInfo {
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
function partText(p: ResultPartDto | undefined): string {
  if (!p) return '';
  return p.score !== null ? scoreVi(p.score) : PART_STATUS_VI[p.status];
}

function partValue(p: ResultPartDto | undefined): number | string {
  if (!p) return '';
  return p.score !== null ? p.score : PART_STATUS_VI[p.status];
}

const partOf = (row: ResultRowDto, partId: number) => row.parts.find((p) => p.partId === partId);

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

interface TieMark {
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

const byNumber = (a: ResultRowDto, b: ResultRowDto) => a.number.localeCompare(b.number, 'vi', { numeric: true });

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

const docDate = (r: ExamResultsDto) => r.published?.publishedAt ?? r.computedAt;

// ---------------------------------------------------------------------------------------------
// XLSX.

type Cell = string | number | null;

interface XlsxColumn {
  header: string;
  width: number;
  /** number format for numeric cells */
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
}

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const SCORE_FMT = '0.00';

function tableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  used: Set<string>,
  titles: readonly [string, boolean][],
  columns: readonly XlsxColumn[],
  rows: readonly (readonly Cell[])[],
  highlight: (i: number) => boolean = () => false,
  notes: readonly string[] = [],
): ExcelJS.Worksheet {
  const headerRow = titles.length + 2;
  const ws = wb.addWorksheet(sheetName(name, used), {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const n = columns.length;
  titles.forEach(([text, bold], i) => {
    ws.mergeCells(i + 1, 1, i + 1, n);
    const cell = ws.getCell(i + 1, 1);
    cell.value = text.normalize('NFC');
    cell.font = { bold, size: i === 1 ? 14 : 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });

  const header = ws.getRow(headerRow);
  header.values = columns.map((c) => c.header.normalize('NFC'));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.height = 32;
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = BORDER;
  });

  rows.forEach((values, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    row.values = values.map((v) => (typeof v === 'string' ? v.normalize('NFC') : v));
    for (let col = 1; col <= n; col++) {
      const c = row.getCell(col);
      const spec = columns[col - 1];
      c.border = BORDER;
      c.alignment = { vertical: 'middle', wrapText: true, horizontal: spec?.align ?? 'left' };
      if (typeof c.value === 'number' && spec?.numFmt) c.numFmt = spec.numFmt;
      if (highlight(i)) c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    }
  });

  notes.forEach((text, i) => {
    const r = headerRow + rows.length + 2 + i;
    ws.mergeCells(r, 1, r, n);
    const c = ws.getCell(r, 1);
    c.value = text.normalize('NFC');
    c.font = { italic: true };
    c.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = 30;
  });
  return ws;
}

const scoreColumns = (parts: readonly PartColumn[]): XlsxColumn[] =>
  parts.map((p) => ({
    header: `${p.name} (${scoreVi(p.scoreScale)} điểm)${p.role === 'condition' ? ', điều kiện' : ''}`,
    width: 13,
    numFmt: SCORE_FMT,
    align: 'center',
  }));

const draftTitle = (r: ExamResultsDto): [string, boolean][] =>
  r.published ? [[`Công bố ngày ${formatDateVi(vnIso(r.published.publishedAt))}`, false]] : [[DRAFT_NOTE, false]];

/** The Vietnam-time date of an ISO date-time, as YYYY-MM-DD. */
function vnIso(iso: string): string {
  const w = zonedWallClock(iso);
  return w ? `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}` : iso;
}

/** Results, ranking per position and score sheets per room, as XLSX. */
export async function resultsXlsx(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): Promise<Buffer> {
  const info = infoOf(r, exam);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hệ thống thi công chức';
  const used = new Set<string>();
  const parts = partColumns(r);
  const priority = showsPriority(r);
  const heading = (title: string, more: [string, boolean][]): [string, boolean][] => [
    [info.organisingBody.toLocaleUpperCase('vi') || 'HỘI ĐỒNG THI', false],
    [title, true],
    [info.name, true],
    ...draftTitle(r),
    ...more,
  ];

  // Kết quả: every candidate, by candidate number.
  const all = r.positions.flatMap((pos) => pos.rows.map((row) => ({ pos, row }))).sort((a, b) => byNumber(a.row, b.row));
  tableSheet(
    wb,
    'Kết quả',
    used,
    heading('KẾT QUẢ THI', [[`Số thí sinh: ${all.length}`, false]]),
    [
      { header: 'STT', width: 6, align: 'center' },
      { header: 'SBD', width: 12, align: 'center' },
      { header: 'Họ và tên', width: 28 },
      { header: 'Ngày sinh', width: 12, align: 'center' },
      { header: positionLabel(r), width: 24 },
      { header: 'Phòng thi', width: 10, align: 'center' },
      ...scoreColumns(parts),
      ...(priority ? [{ header: 'Điểm ưu tiên', width: 10, numFmt: SCORE_FMT, align: 'center' as const }] : []),
      { header: 'Tổng điểm', width: 10, numFmt: SCORE_FMT, align: 'center' },
      { header: 'Thứ hạng', width: 9, align: 'center' },
      { header: 'Trúng tuyển', width: 11, align: 'center' },
      { header: 'Lý do', width: 50 },
    ],
    all.map(({ pos, row }, i) => [
      i + 1,
      row.number,
      row.fullName,
      formatDateVi(row.dateOfBirth),
      pos.name,
      row.roomCode ?? '',
      ...parts.map((p) => partValue(partOf(row, p.partId))),
      ...(priority ? [row.priorityPoints] : []),
      row.total,
      row.rank,
      row.selected ? 'Có' : 'Không',
      reasonText(row),
    ]),
  );

  // Xếp hạng: one sheet per position, in rank order.
  for (const pos of r.positions) {
    const ties = tieMarks(pos);
    const rows = rankOrder(pos.rows);
    const notes = pos.tiedGroups.map(
      (g, i) =>
        `Nhóm bằng điểm ${i + 1} (hạng ${g.rank}, còn ${g.seats} chỉ tiêu): ${g.candidateIds
          .map((id) => pos.rows.find((x) => x.candidateId === id)?.number ?? String(id))
          .join(', ')} — ${ties.get(g.candidateIds[0] ?? 0)?.note ?? ''}.`,
    );
    tableSheet(
      wb,
      `Xếp hạng ${pos.code}`,
      used,
      heading(RANKING_TITLE, [
        [
          `Vị trí: ${pos.name} (${pos.code}) — Chỉ tiêu: ${pos.quota} — Số thí sinh: ${pos.rows.length} — Trúng tuyển: ${pos.selected}`,
          true,
        ],
      ]),
      [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'SBD', width: 12, align: 'center' },
        { header: 'Họ và tên', width: 28 },
        { header: 'Ngày sinh', width: 12, align: 'center' },
        ...scoreColumns(parts),
        ...(priority ? [{ header: 'Điểm ưu tiên', width: 10, numFmt: SCORE_FMT, align: 'center' as const }] : []),
        { header: 'Tổng điểm', width: 10, numFmt: SCORE_FMT, align: 'center' },
        { header: 'Xếp hạng', width: 9, align: 'center' },
        { header: 'Nhóm bằng điểm', width: 16, align: 'center' },
        { header: 'Kết quả', width: 18, align: 'center' },
        { header: 'Lý do', width: 50 },
        { header: 'Giải thích thứ hạng', width: 90 },
      ],
      rows.map((row, i) => {
        const tie = ties.get(row.candidateId);
        return [
          i + 1,
          row.number,
          row.fullName,
          formatDateVi(row.dateOfBirth),
          ...parts.map((p) => partValue(partOf(row, p.partId))),
          ...(priority ? [row.priorityPoints] : []),
          row.total,
          row.rank,
          tie ? `Nhóm ${tie.group}` : '',
          row.selected ? 'Trúng tuyển' : row.status === 'tie_pending' ? 'Chờ quyết định' : 'Không trúng tuyển',
          reasonText(row),
          explanationText(row),
        ];
      }),
      (i) => ties.has(rows[i]?.candidateId ?? 0),
      notes,
    );
  }

  // Bảng điểm theo phòng thi.
  const rooms = new Map<string, ResultRowDto[]>();
  for (const pos of r.positions)
    for (const row of pos.rows) {
      const key = row.roomCode ?? '';
      const list = rooms.get(key) ?? [];
      list.push(row);
      rooms.set(key, list);
    }
  const roomKeys = [...rooms.keys()].sort((a, b) =>
    a === '' || b === '' ? (a === '' ? 1 : 0) - (b === '' ? 1 : 0) : a.localeCompare(b, 'vi', { numeric: true }),
  );
  for (const key of roomKeys) {
    const rows = [...(rooms.get(key) ?? [])].sort(byNumber);
    tableSheet(
      wb,
      key ? `Phòng ${key}` : 'Chưa xếp phòng',
      used,
      heading('BẢNG ĐIỂM THEO PHÒNG THI', [
        [`${key ? `Phòng thi: ${key}` : 'Thí sinh chưa xếp phòng'} — Số thí sinh: ${rows.length}`, true],
      ]),
      [
        { header: 'STT', width: 6, align: 'center' },
        { header: 'SBD', width: 12, align: 'center' },
        { header: 'Họ và tên', width: 28 },
        { header: 'Ngày sinh', width: 12, align: 'center' },
        ...scoreColumns(parts),
      ],
      rows.map((row, i) => [
        i + 1,
        row.number,
        row.fullName,
        formatDateVi(row.dateOfBirth),
        ...parts.map((p) => partValue(partOf(row, p.partId))),
      ]),
    );
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------------------------
// PDF.

/** Narrower side margins than the other documents: the ranking table has many columns. */
const WIDE = { top: 36, bottom: 44, left: 34, right: 30 } as const;

function draftLine(doc: Doc, r: ExamResultsDto, y: number): number {
  if (r.published) return y;
  return (
    textAt(doc, `(${DRAFT_NOTE})`, doc.page.margins.left, y, contentWidth(doc), {
      font: FONT_ITALIC,
      size: 10,
      align: 'center',
      color: '#9c0006',
    }) + 2
  );
}

/** Date line and the chair's signature on the right half; a new page when it does not fit. */
function chairSignature(doc: Doc, r: ExamResultsDto, info: ResultsDocInfo, y: number): number {
  let yy = y + 12;
  if (yy + 110 > bottomY(doc)) {
    doc.addPage();
    yy = doc.page.margins.top;
  }
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  return signatureBlock(doc, left + half, yy, half, CHAIR_TITLE, CHAIR_NOTE, dateLineVi(docDate(r), info.place));
}

/**
 * Column spec and cells of a position's ranking table. Widths are in points: the short columns get
 * what their content needs at the table's font size, the name and the result share the rest.
 */
function rankingTable(
  doc: Doc,
  pos: PositionResultDto,
  parts: readonly PartColumn[],
  fontSize: number,
  priority: boolean,
): { columns: TableColumn[]; rows: string[][]; fits: boolean } {
  const ties = tieMarks(pos);
  const rows = rankOrder(pos.rows).map((row, i) => {
    const tie = ties.get(row.candidateId);
    return [
      String(i + 1),
      row.number,
      row.fullName,
      formatDateVi(row.dateOfBirth),
      ...parts.map((p) => partText(partOf(row, p.partId))),
      ...(priority ? [scoreVi(row.priorityPoints)] : []),
      scoreVi(row.total),
      row.rank === null ? '—' : `${row.rank}${tie ? ` (N${tie.group})` : ''}`,
      resultText(row),
    ];
  });
  const headers = [
    'STT',
    'SBD',
    'Họ và tên',
    'Ngày sinh',
    ...parts.map((p) => `${p.name} (${scoreVi(p.scoreScale)})`),
    ...(priority ? ['Điểm ưu tiên'] : []),
    'Tổng điểm',
    'Xếp hạng',
    'Kết quả',
  ];
  const width = (text: string, font: string) => doc.font(font).fontSize(fontSize).widthOfString(t(text));
  const longestWord = (text: string, font: string) => Math.max(0, ...text.split(/\s+/).map((w) => width(w, font)));
  const name = 2;
  const result = headers.length - 1;
  const isPart = (i: number) => i >= 4 && i < 4 + parts.length;
  // the short columns: wide enough for every header word and every cell (part cells may wrap at spaces)
  const need = headers.map((h, i) => {
    if (i === name || i === result) return 0;
    const cells = rows.map((r) => r[i] ?? '');
    const content = Math.max(0, ...cells.map((c) => (isPart(i) ? longestWord(c, FONT) : width(c, FONT))));
    return Math.max(longestWord(h, FONT_BOLD), content, isPart(i) ? 30 : 0) + 9;
  });
  const fixed = need.reduce((x, y) => x + y, 0);
  const rest = Math.max(160, contentWidth(doc) - fixed);
  const nameNeed = Math.max(width(headers[name] ?? '', FONT_BOLD), ...rows.map((r) => width(r[name] ?? '', FONT))) + 14;
  const resultMin = Math.max(width('Không trúng tuyển', FONT), width('Chưa xác định', FONT)) + 16;
  need[name] = Math.max(rest * 0.35, Math.min(nameNeed, rest - resultMin));
  need[result] = rest - need[name];
  const columns: TableColumn[] = headers.map((header, i) => ({
    header,
    width: need[i] ?? 40,
    align: i === name || i === result ? 'left' : 'center',
    nowrap: i === name,
  }));
  // the widths are shared in proportion: past the page width a number or date would be split
  return { columns, rows, fits: fixed + 160 <= contentWidth(doc) };
}

/** Per position: the ranking table with the national heading and the council chair's signature. */
export async function rankingPdf(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): Promise<Buffer> {
  const info = infoOf(r, exam);
  const doc = createDoc(`Danh sách kết quả thi và xếp hạng — ${info.name}`, WIDE);
  const priority = showsPriority(r);
  const posWord = positionLabel(r) === 'Ngạch dự thi' ? 'Ngạch dự thi' : 'Vị trí';
  const positions: readonly PositionResultDto[] =
    r.positions.length > 0
      ? r.positions
      : [{ positionId: 0, code: '—', name: 'Chưa có vị trí', quota: 0, rows: [], tiedGroups: [], selected: 0 }];

  for (const pos of positions) {
    doc.addPage();
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    let y = nationalHeading(doc, info.organisingBody);
    y = centeredTitle(doc, RANKING_TITLE, y + 4, 14) + 2;
    y = textAt(doc, info.name, left, y, width, { font: FONT_BOLD, size: 11.5, align: 'center' }) + 2;
    y = draftLine(doc, r, y) + 6;
    y = textAt(doc, `${posWord}: ${pos.name} (${pos.code})`, left, y, width, { font: FONT_BOLD, size: 11 }) + 2;
    y =
      textAt(
        doc,
        `Chỉ tiêu: ${pos.quota}   —   Số thí sinh: ${pos.rows.length}   —   Số trúng tuyển: ${pos.selected}`,
        left,
        y,
        width,
        { size: 10.5 },
      ) + 6;

    // the parts that apply to this position's candidates; a smaller font before any cell is split
    const posParts = partColumns({ positions: [pos] });
    let fontSize = 7.5;
    let table = rankingTable(doc, pos, posParts, fontSize, priority);
    while (!table.fits && fontSize > 5.5) {
      fontSize -= 0.5;
      table = rankingTable(doc, pos, posParts, fontSize, priority);
    }
    const continued = (d: Doc) =>
      textAt(
        d,
        `${RANKING_TITLE} — ${posWord}: ${pos.name} (tiếp theo)`,
        d.page.margins.left,
        d.page.margins.top,
        contentWidth(d),
        {
          font: FONT_ITALIC,
          size: 9.5,
        },
      ) + 6;
    y = drawTable(doc, { y, fontSize, columns: table.columns, rows: table.rows, onNewPage: continued });

    // Legend of the tied groups.
    const ties = tieMarks(pos);
    const notes = pos.tiedGroups.map(
      (g, i) =>
        `N${i + 1}: nhóm bằng điểm ở hạng ${g.rank} (còn ${g.seats} chỉ tiêu) gồm SBD ${g.candidateIds
          .map((id) => pos.rows.find((x) => x.candidateId === id)?.number ?? String(id))
          .join(', ')} — ${ties.get(g.candidateIds[0] ?? 0)?.note ?? ''}.`,
    );
    if (notes.length > 0) {
      y += 6;
      for (const note of notes) {
        if (y + 24 > bottomY(doc)) {
          doc.addPage();
          y = continued(doc);
        }
        y = textAt(doc, note, left, y, width, { font: FONT_ITALIC, size: 9 }) + 2;
      }
    }
    // Why each candidate has their place (issue 13).
    const explained = rankOrder(pos.rows).filter((row) => row.explanation.lines.length > 0);
    if (explained.length > 0) {
      y += 8;
      if (y + 40 > bottomY(doc)) {
        doc.addPage();
        y = continued(doc);
      }
      y = textAt(doc, 'Giải thích thứ hạng', left, y, width, { font: FONT_BOLD, size: 10 }) + 3;
      for (const row of explained) {
        const text = `${row.number} — ${row.fullName}: ${explanationText(row)}`;
        const h = doc.font(FONT).fontSize(8.5).heightOfString(t(text), { width });
        if (y + h > bottomY(doc)) {
          doc.addPage();
          y = continued(doc);
        }
        y = textAt(doc, text, left, y, width, { size: 8.5 }) + 3;
      }
    }
    chairSignature(doc, r, info, y);
  }
  pageNumbers(doc, (page, count) => `${info.code} — Danh sách kết quả thi và xếp hạng — trang ${page}/${count}`);
  return finish(doc);
}

/** One result notice page per candidate (by position, then candidate number). */
export async function noticesPdf(r: ExamResultsDto, exam?: Partial<ResultsDocInfo>): Promise<Buffer> {
  const info = infoOf(r, exam);
  const doc = createDoc(`Thông báo kết quả thi — ${info.name}`);
  const list = r.positions.flatMap((pos) => [...pos.rows].sort(byNumber).map((row) => ({ pos, row })));

  if (list.length === 0) {
    doc.addPage();
    const y = centeredTitle(doc, NOTICE_TITLE, nationalHeading(doc, info.organisingBody) + 4, 14) + 8;
    textAt(doc, 'Kỳ thi chưa có thí sinh.', doc.page.margins.left, y, contentWidth(doc), { align: 'center' });
  }

  for (const { pos, row } of list) {
    doc.addPage();
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    let y = nationalHeading(doc, info.organisingBody);
    y = centeredTitle(doc, NOTICE_TITLE, y + 8, 15) + 2;
    y = textAt(doc, info.name, left, y, width, { font: FONT_BOLD, size: 11.5, align: 'center' }) + 2;
    y = draftLine(doc, r, y) + 12;
    y = textAt(doc, 'Hội đồng thi thông báo kết quả thi của thí sinh:', left, y, width, { size: 11.5 }) + 6;

    const field = (label: string, value: string, bold = false) => {
      const labelW = 130;
      const below = textAt(doc, `${label}:`, left + 12, y, labelW, { size: 11.5 });
      const valueBelow = textAt(doc, value, left + 12 + labelW, y, width - labelW - 12, {
        size: 11.5,
        font: bold ? FONT_BOLD : FONT,
      });
      y = Math.max(below, valueBelow) + 4;
    };
    field('Họ và tên', row.fullName, true);
    field('Số báo danh', row.number, true);
    field('Ngày sinh', formatDateVi(row.dateOfBirth));
    field(positionLabel(r), `${pos.name} (${pos.code})`);
    if (row.roomCode) field('Phòng thi', row.roomCode);
    y += 6;

    y = drawTable(doc, {
      y,
      fontSize: 10,
      columns: [
        { header: 'STT', width: 5, align: 'center' },
        { header: 'Phần thi', width: 34 },
        { header: 'Vòng', width: 6, align: 'center' },
        { header: 'Điểm', width: 9, align: 'center' },
        { header: 'Thang điểm', width: 9, align: 'center' },
        { header: 'Kết quả', width: 20, align: 'center' },
      ],
      rows: row.parts
        .filter((p) => p.status !== 'not_applicable')
        .map((p, i) => [
          String(i + 1),
          `${p.name}${p.role === 'condition' ? ' (điều kiện)' : ''}`,
          String(p.round),
          p.score === null ? '—' : scoreVi(p.score),
          scoreVi(p.scoreScale),
          PART_STATUS_VI[p.status],
        ]),
    });
    y += 10;
    const priority =
      row.priorityPoints > 0
        ? `${scoreVi(row.priorityPoints)}${row.priorityCode ? ` (${priorityLabel(r, row.priorityCode)})` : ''}`
        : '0';
    if (showsPriority(r)) field('Điểm ưu tiên', priority);
    field('Tổng điểm', row.total === null ? '—' : scoreVi(row.total), true);
    field('Xếp hạng', row.rank === null ? 'Không xếp hạng' : `${row.rank} (chỉ tiêu: ${pos.quota})`);
    field(
      'Kết quả',
      row.selected ? 'TRÚNG TUYỂN' : row.status === 'tie_pending' ? 'CHỜ NGƯỜI ĐỨNG ĐẦU QUYẾT ĐỊNH' : 'KHÔNG TRÚNG TUYỂN',
      true,
    );
    const why = reasonText(row);
    if (why) field('Lý do', why);
    if (row.explanation.lines.length > 0) field('Giải thích', explanationText(row));
    chairSignature(doc, r, info, y);
  }
  pageNumbers(doc, (page, count) => `${info.code} — Thông báo kết quả thi — trang ${page}/${count}`);
  return finish(doc);
}
