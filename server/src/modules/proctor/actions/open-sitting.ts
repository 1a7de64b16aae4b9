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
    const ref = await host.roomRef(sittingId, roomId);
    if (ref.open)
      throw new AppError(409, 'ALREADY_OPEN', 'Ca thi đã mở cho phòng này', 'The sitting is already open for this room');
    const at = Date.now();
    await host.transaction(async () => {
      await host.repo.insertOpening({ sittingId, roomId, openedAt: at, openedBy: user.id });
      ids.push(await host.record(actor, sittingId, roomId, 'open_sitting', reason, null, null, { candidates: inRoom.length }));
    });
    moveExam(host.db, await host.examId(sittingId), 'running', actor, { sittingId, roomId });
    try {
      // the waiting candidates get the keys of their sealed papers (and their started part) first …
      await host.opening?.openRoom(sittingId, roomId, inRoom);
    } finally {
      // … then everyone hears that the room opened (the candidates without a key take the cold path)
      host.bus.emit('sittingStateChanged', { sittingId, roomId, state: 'opened', candidateIds: [...inRoom], at });
    }
    return inRoom.length;
  },
};
