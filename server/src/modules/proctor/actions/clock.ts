import { AppError } from '../../../plugins/errors.js';
import type { ActionContext, ActionHost, ProctorAction } from './types.js';

/** Pauses or resumes the clock of one candidate or of every running paper of the room. */
function clock<K extends 'pause' | 'resume'>(kind: K): ProctorAction<K> {
  return {
    name: kind,
    roles: ['invigilator', 'board', 'admin'],
    needsReason: true,
    single: false,
    async perform(host: ActionHost, { actor, sittingId, roomId, reason, picked, targets, ids }: ActionContext) {
      const done: number[] = [];
      await host.transaction(async () => {
        for (const c of targets) {
          const attemptId = await host.repo.runningAttempt(sittingId, c);
          if (attemptId === null) {
            if (picked.length > 0)
              throw new AppError(409, 'NOT_RUNNING', 'Thí sinh không đang làm bài', 'The candidate is not sitting a part');
            continue;
          }
          try {
            await host.delivery.clockEvent(attemptId, { kind }, { by: actor.name, reason });
            done.push(c);
            if (picked.length > 0) ids.push(await host.record(actor, sittingId, roomId, kind, reason, c, attemptId, {}));
          } catch (err) {
            if (picked.length > 0) throw err;
          }
        }
        if (picked.length === 0)
          ids.push(
            await host.record(actor, sittingId, roomId, kind, reason, null, null, { wholeRoom: true, candidates: done.length }),
          );
      });
      return done.length;
    },
  };
}

export const pause = clock('pause');
export const resume = clock('resume');
