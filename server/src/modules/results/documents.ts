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
export * from './documentText.js';
export { noticesPdf, rankingPdf } from './resultsPdf.js';
export { resultsXlsx } from './resultsXlsx.js';
