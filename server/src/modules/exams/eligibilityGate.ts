import type { StatementCache } from '../../db/statements.js';
import { AppError } from '../../plugins/errors.js';

/**
 * A candidate kept on the list as not eligible (issue 13: imported with keepIneligible, or the board's
 * override) is on record only: the sign-in and every part's start refuse them. The effective status
 * is the board's override when there is one, else the computed one; a candidate without a record
 * (recruitment exams, lists imported before records existed) is not refused here.
 */
export function assertMaySit(stmts: StatementCache, candidateId: number): void {
  const status = stmts
    .get('SELECT COALESCE(override_status, status) FROM candidate_eligibility WHERE candidate_id = ?')
    .pluck()
    .get(candidateId);
  if (status === 'not_eligible')
    throw new AppError(
      403,
      'NOT_ELIGIBLE',
      'Thí sinh có tên trong danh sách nhưng không đủ điều kiện dự thi (theo hồ sơ xét điều kiện của Hội đồng thi) nên không được làm bài. Nếu có văn bản bổ sung, hãy liên hệ Hội đồng thi.',
      'This candidate is on the list as not eligible to sit (the board’s eligibility record) and may not sit the exam. Contact the exam board if you have further documents.',
    );
}
