import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** The paper was locked after too many focus losses (the exam's policy): the invigilator unlocks it. */
export const unlockFocus: ProctorAction<'unlock_focus'> = {
  name: 'unlock_focus',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, one, ids }) {
    const lock = host.lockdown;
    if (!lock) throw new AppError(409, 'NOT_FOCUS_LOCKED', 'Bài thi không bị khóa', 'The paper is not locked');
    await host.transaction(async () => {
      const details = await lock.unlock(one);
      ids.push(await host.record(actor, sittingId, roomId, 'unlock_focus', reason, one, null, details));
    });
    host.bus.emit('candidateChanged', { candidateId: one });
    return 1;
  },
};
