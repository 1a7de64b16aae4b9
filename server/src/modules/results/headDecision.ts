import { DEFAULT_TIME_ZONE, type HeadDecisionRefDto, instantToZonedLocal, type TieDecisionBody } from '@exam/shared';
import { AppError } from '../../plugins/errors.js';

/**
 * The head's decision on a tie as a formal record (issue 13): its number, the date it was signed
 * and the signer. The tie-break chain ends with "the head decides after consulting the managing
 * agency" (NĐ 138/2020 Điều 38) [S44]; the system records the signed decision, it does not make it.
 * Only a user with the role `chair` (Chủ tịch Hội đồng thi, who signs for the head of the agency
 * that holds the exam) may enter it: the route's access list says so.
 */
export function headDecisionRef(body: TieDecisionBody, timeZone: string = DEFAULT_TIME_ZONE): HeadDecisionRefDto {
  const decisionNumber = body.decisionNumber.trim();
  const signer = body.signer.trim();
  if (!decisionNumber)
    throw new AppError(
      400,
      'DECISION_NUMBER_REQUIRED',
      'Phải ghi số quyết định của Thủ trưởng',
      'The decision number is required',
    );
  if (!signer) throw new AppError(400, 'SIGNER_REQUIRED', 'Phải ghi người ký quyết định', 'The signer is required');
  const d = new Date(`${body.decisionDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== body.decisionDate)
    throw new AppError(400, 'DECISION_DATE_INVALID', 'Ngày ký quyết định không hợp lệ', 'The decision date is not valid');
  // today in the exam's zone: a decision signed this morning in Hà Nội is still "yesterday" in UTC
  const today = instantToZonedLocal(Date.now(), timeZone).slice(0, 10);
  if (body.decisionDate > today)
    throw new AppError(
      400,
      'DECISION_DATE_FUTURE',
      'Ngày ký quyết định không thể sau hôm nay',
      'The decision date is in the future',
    );
  return { decisionNumber, decisionDate: body.decisionDate, signer };
}
