import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** Lets the candidate continue on another PC: the current one is cut off at once. */
export const allowMove: ProctorAction<'allow_move'> = {
  name: 'allow_move',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, one, ids }) {
    if (!(await host.repo.deviceBound(one)))
      throw new AppError(409, 'NOT_SIGNED_IN', 'Thí sinh chưa đăng nhập trên máy nào', 'The candidate has not signed in yet');
    const attemptId = await host.repo.runningAttempt(sittingId, one);
    await host.transaction(async () => {
      await host.delivery.allowMove(one);
      ids.push(await host.record(actor, sittingId, roomId, 'allow_move', reason, one, attemptId, {}));
    });
    host.clearRefusal(one);
    return 1;
  },
};
