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
    const already = host.stmts.get("SELECT 1 FROM sanctions WHERE candidate_id = ? AND code = 'dinh_chi'").get(one);
    if (already)
      throw new AppError(409, 'ALREADY_SUSPENDED', 'Thí sinh đã bị đình chỉ thi', 'The candidate is already suspended');
    const attemptId = host.runningAttempt(sittingId, one);
    const partRow = attemptId ? host.stmts.get('SELECT part_id FROM attempts WHERE id = ?').pluck().get(attemptId) : null;
    const partId = typeof partRow === 'number' ? partRow : null;
    const label = SANCTION_LABELS[level].vi;
    // a suspension ends the running paper first (its answers are graded as they stand)
    if (level === 'dinh_chi' && attemptId !== null) await host.delivery.submit(attemptId, 'suspended', actor);
    host.transaction(() => {
      const incidentId = host.record(actor, sittingId, roomId, 'sanction', reason, one, attemptId, { level, label });
      ids.push(incidentId);
      host.stmts
        .get(
          `INSERT INTO sanctions (exam_id, candidate_id, part_id, attempt_id, code, reason, incident_id, user_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(host.examId(sittingId), one, partId, attemptId, level, reason, incidentId, user.id, Date.now());
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
