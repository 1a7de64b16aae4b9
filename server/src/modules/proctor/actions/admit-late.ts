import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/**
 * TT 22/2025 Nội quy Điều 1 k1 b: "Các trường hợp khác do Chủ tịch Hội đồng xem xét, quyết định"
 * (delivery/late-admission.ts). The chair's decision: who, when (now), why, in the minutes.
 */
export const admitLate: ProctorAction<'admit_late'> = {
  name: 'admit_late',
  roles: ['board', 'admin'],
  forbidden: () =>
    new AppError(
      403,
      'CHAIR_ONLY',
      'Chỉ Chủ tịch Hội đồng (tài khoản Hội đồng thi) quyết định cho thí sinh đến muộn dự thi',
      'Only the chair of the board admits a late candidate',
    ),
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, one, ids }) {
    const profile = host.exams.effectiveProfile(host.exams.examRow(await host.examId(sittingId)));
    if (profile.lateAdmission?.otherwise !== 'chair_decides')
      throw new AppError(
        409,
        'CHAIR_CANNOT_ADMIT',
        'Quy định áp dụng không cho Chủ tịch Hội đồng quyết định trường hợp đến muộn quá thời gian quy định',
        'The regulation gives the chair no power to admit a late candidate',
      );
    if (await host.repo.hasAttempt(sittingId, one))
      throw new AppError(409, 'ALREADY_STARTED', 'Thí sinh đã vào làm bài', 'The candidate has already started');
    ids.push(
      await host.transaction(() =>
        host.record(actor, sittingId, roomId, 'admit_late', reason, one, null, { decidedBy: actor.name }),
      ),
    );
    host.bus.emit('candidateChanged', { candidateId: one });
    return 1;
  },
};
