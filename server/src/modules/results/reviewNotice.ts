import type { RankStatus } from '@exam/shared';
import {
  centeredTitle,
  contentWidth,
  createDoc,
  drawTable,
  FONT_BOLD,
  finish,
  formatDateVi,
  nationalHeading,
  pageNumbers,
  signatureBlock,
  textAt,
} from '../exams/documents/pdf.js';
import { CHAIR_NOTE, CHAIR_TITLE, dateLineVi, scoreVi } from './documents.js';
import { explanationVi } from './explain.js';
import type { ReviewService } from './review.js';

export const REVIEW_NOTICE_TITLE = 'THÔNG BÁO KẾT QUẢ PHÚC KHẢO';

const STATUS_VI: Record<RankStatus, string> = {
  selected: 'Trúng tuyển',
  below_quota: 'Không trúng tuyển (ngoài chỉ tiêu)',
  tie_pending: 'Chờ quyết định',
  failed: 'Không đạt',
  sanction: 'Kết quả bị hủy',
};

/**
 * The notice of one phúc khảo request's outcome (issue 13): the paper, the original mark, the two
 * reviewers' marks (not their names, which stay with the board), the rule and the mark that stands,
 * the result before and after, and the versions and SHA-256s of both publications.
 */
export async function reviewNoticePdf(data: Awaited<ReturnType<ReviewService['noticeData']>>): Promise<Buffer> {
  const { request: q, exam, version, change, row, rule } = data;
  const doc = createDoc(`${REVIEW_NOTICE_TITLE} — ${q.number}`);
  doc.addPage();
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  let y = nationalHeading(doc, exam.organisingBody);
  y = centeredTitle(doc, REVIEW_NOTICE_TITLE, y + 8, 15) + 2;
  y = textAt(doc, exam.name, left, y, width, { font: FONT_BOLD, size: 11.5, align: 'center' }) + 14;
  const field = (label: string, value: string, bold = false) => {
    const labelW = 150;
    const a = textAt(doc, `${label}:`, left + 12, y, labelW, { size: 11 });
    const b = textAt(doc, value, left + 12 + labelW, y, width - labelW - 12, { size: 11, font: bold ? FONT_BOLD : undefined });
    y = Math.max(a, b) + 4;
  };
  field('Họ và tên', q.fullName, true);
  field('Số báo danh', q.number, true);
  field('Phần thi phúc khảo', q.partName);
  field('Ngày nhận đơn', formatDateVi(q.requestedOn));
  y += 6;
  y = drawTable(doc, {
    y,
    fontSize: 10,
    columns: [
      { header: 'Điểm trước phúc khảo', width: 20, align: 'center' },
      { header: 'Người chấm phúc khảo 1', width: 20, align: 'center' },
      { header: 'Người chấm phúc khảo 2', width: 20, align: 'center' },
      { header: 'Điểm phúc khảo', width: 18, align: 'center' },
      { header: 'Điểm được công nhận', width: 22, align: 'center' },
    ],
    rows: [[scoreVi(q.original), scoreVi(q.marks.reviewer1), scoreVi(q.marks.reviewer2), scoreVi(q.review), scoreVi(q.final)]],
  });
  y += 8;
  field(
    'Quy tắc công nhận điểm',
    rule === 'higher'
      ? 'Lấy điểm cao hơn giữa điểm trước phúc khảo và điểm phúc khảo (Hội đồng thi quy định)'
      : 'Lấy điểm phúc khảo (trung bình của hai người chấm phúc khảo), dù cao hơn hay thấp hơn (Hội đồng thi quy định)',
  );
  const outcome = (s: { total: number | null; rank: number | null; status: RankStatus }) =>
    `Tổng điểm ${s.total === null ? '—' : scoreVi(s.total)}; xếp hạng ${s.rank ?? '—'}; ${STATUS_VI[s.status]}`;
  if (change) {
    field('Kết quả trước phúc khảo', outcome(change.before));
    field('Kết quả sau phúc khảo', outcome(change.after), true);
  } else if (row) {
    field('Kết quả', `${outcome(row)} (không thay đổi)`, true);
  }
  if (row && row.explanation.lines.length > 0) field('Giải thích', explanationVi(row.explanation));
  if (version) {
    field('Bản công bố lại', `Phiên bản ${version.version}, ngày ${formatDateVi(version.publishedAt.slice(0, 10))}`);
    // full width and smaller so a digest is never split across lines
    y = textAt(doc, `SHA-256 bản trước: ${version.previousSha256 ?? '—'}`, left + 12, y, width - 12, { size: 8.5 }) + 3;
    y = textAt(doc, `SHA-256 bản mới: ${version.sha256}`, left + 12, y, width - 12, { size: 8.5 }) + 3;
  }
  y += 10;
  const half = width / 2;
  signatureBlock(
    doc,
    left + half,
    y,
    half,
    CHAIR_TITLE,
    CHAIR_NOTE,
    dateLineVi(version?.publishedAt ?? new Date().toISOString()),
  );
  pageNumbers(doc, (page, count) => `${exam.code} — Thông báo kết quả phúc khảo — ${q.number} — trang ${page}/${count}`);
  return finish(doc);
}
