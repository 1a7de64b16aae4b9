import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** Adds minutes to one candidate's running paper. */
export const extend: ProctorAction<'extend'> = {
  name: 'extend',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, body, one, ids }) {
    if (!body.minutes) throw new AppError(400, 'MINUTES_REQUIRED', 'Hãy nhập số phút cộng thêm', 'Give the minutes to add');
    const attemptId = await host.repo.runningAttempt(sittingId, one);
    if (attemptId === null)
      throw new AppError(409, 'NOT_RUNNING', 'Thí sinh không đang làm bài', 'The candidate is not sitting a part');
    const minutes = body.minutes;
    await host.transaction(async () => {
      await host.delivery.clockEvent(attemptId, { kind: 'extend', ms: minutes * 60_000 }, { by: actor.name, reason });
      ids.push(await host.record(actor, sittingId, roomId, 'extend', reason, one, attemptId, { minutes }));
    });
    return 1;
  },
};
