/** The ranking list and the candidates' notices as PDF (documents.ts). */
import type { ExamResultsDto, PositionResultDto } from '@exam/shared';
import {
  bottomY,
  centeredTitle,
  contentWidth,
  createDoc,
  type Doc,
  drawTable,
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
} from '../exams/documents/pdf.js';
import {
  byNumber,
  CHAIR_NOTE,
  CHAIR_TITLE,
  DRAFT_NOTE,
  dateLineVi,
  docDate,
  explanationText,
  infoOf,
  NOTICE_TITLE,
  PART_STATUS_VI,
  type PartColumn,
  partColumns,
  partOf,
  partText,
  positionLabel,
  priorityLabel,
  RANKING_TITLE,
  type ResultsDocInfo,
  rankOrder,
  reasonText,
  resultText,
  scoreVi,
  showsPriority,
  tieMarks,
} from './documentText.js';

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
