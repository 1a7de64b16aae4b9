import { AppError } from '../../../plugins/errors.js';
import { moveExam } from '../../lifecycle/state.js';
import type { ProctorAction } from './types.js';

/** Opens the sitting for the room: the candidates' clocks may start (and sealed papers get their keys). */
export const openSitting: ProctorAction<'open_sitting'> = {
  name: 'open_sitting',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: false,
  async perform(host, { user, actor, sittingId, roomId, reason, inRoom, ids }) {
    const ref = host.roomRef(sittingId, roomId);
    if (ref.open)
      throw new AppError(409, 'ALREADY_OPEN', 'Ca thi đã mở cho phòng này', 'The sitting is already open for this room');
    const at = Date.now();
    host.transaction(() => {
      host.stmts
        .get('INSERT INTO room_openings (sitting_id, room_id, opened_at, opened_by) VALUES (?, ?, ?, ?)')
        .run(sittingId, roomId, at, user.id);
      ids.push(host.record(actor, sittingId, roomId, 'open_sitting', reason, null, null, { candidates: inRoom.length }));
    });
    moveExam(host.db, host.examId(sittingId), 'running', actor, { sittingId, roomId });
    host.bus.emit('sittingStateChanged', { sittingId, roomId, state: 'opened', candidateIds: [...inRoom], at });
    return inRoom.length;
  },
};
