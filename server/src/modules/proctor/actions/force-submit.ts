import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** Collects one candidate's running paper now. */
export const forceSubmit: ProctorAction<'force_submit'> = {
  name: 'force_submit',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: true,
  async perform(host, { actor, sittingId, roomId, reason, one, ids }) {
    const attemptId = await host.repo.runningAttempt(sittingId, one);
    if (attemptId === null)
      throw new AppError(409, 'NOT_RUNNING', 'Thí sinh không đang làm bài', 'The candidate is not sitting a part');
    await host.delivery.submit(attemptId, 'invigilator', actor);
    ids.push(await host.transaction(() => host.record(actor, sittingId, roomId, 'force_submit', reason, one, attemptId, {})));
    return 1;
  },
};
