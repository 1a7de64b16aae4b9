import { SANCTION_LABELS } from '@exam/shared';
import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** Khiển trách, cảnh cáo or đình chỉ thi (a suspension ends the running paper first). */
export const sanction: ProctorAction<'sanction'> = {
  name: 'sanction',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { user, actor, sittingId, roomId, reason, body, one, ids }) {
    const level = body.level;
    if (!level) throw new AppError(400, 'LEVEL_REQUIRED', 'Hãy chọn hình thức xử lý', 'Choose the sanction');
    if (await host.repo.suspended(one))
      throw new AppError(409, 'ALREADY_SUSPENDED', 'Thí sinh đã bị đình chỉ thi', 'The candidate is already suspended');
    const attemptId = await host.repo.runningAttempt(sittingId, one);
    const partId = attemptId ? await host.repo.attemptPart(attemptId) : null;
    const examId = await host.examId(sittingId);
    const label = SANCTION_LABELS[level].vi;
    // a suspension ends the running paper first (its answers are graded as they stand)
    if (level === 'dinh_chi' && attemptId !== null) await host.delivery.submit(attemptId, 'suspended', actor);
    await host.transaction(async () => {
      const incidentId = await host.record(actor, sittingId, roomId, 'sanction', reason, one, attemptId, { level, label });
      ids.push(incidentId);
      await host.repo.insertSanction({
        examId,
        candidateId: one,
        partId,
        attemptId,
        code: level,
        reason,
        incidentId,
        userId: user.id,
        at: Date.now(),
      });
    });
    if (level === 'dinh_chi') {
      host.bus.emit('roomMessage', {
        candidateIds: [one],
        event: 'suspended',
        payload: { message: 'Bạn đã bị đình chỉ thi. Bài làm đã được thu theo quyết định của giám thị.', reason },
      });
    } else {
      host.bus.emit('roomMessage', {
        candidateIds: [one],
        event: 'message',
        payload: { text: `Giám thị đã lập biên bản xử lý: ${label}. Lý do: ${reason}`, at: Date.now(), kind: 'warning' },
      });
    }
    host.bus.emit('candidateChanged', { candidateId: one });
    return 1;
  },
};
