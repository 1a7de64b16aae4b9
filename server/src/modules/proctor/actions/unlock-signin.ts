import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** The candidate stands in the room: the invigilator lifts the lock-out after wrong PINs (issue 14). */
export const unlockSignin: ProctorAction<'unlock_signin'> = {
  name: 'unlock_signin',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, one, ids }) {
    const failures = host.delivery.signInLock.failures(one);
    const lockedUntil = host.delivery.signInLock.lockedUntil(one);
    if (failures === 0)
      throw new AppError(409, 'NOT_LOCKED', 'Số báo danh này không bị khóa đăng nhập', 'This number is not locked');
    await host.transaction(async () => {
      await host.delivery.signInLock.clear(one);
      ids.push(await host.record(actor, sittingId, roomId, 'unlock_signin', reason, one, null, { failures, lockedUntil }));
    });
    host.bus.emit('candidateChanged', { candidateId: one });
    return 1;
  },
};
