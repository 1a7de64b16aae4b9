import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** A banner on the screens of the picked candidates, or of the whole room. */
export const message: ProctorAction<'message'> = {
  name: 'message',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: false,
  async perform(host, { actor, sittingId, roomId, reason, body, inRoom, picked, targets, ids }) {
    const text = body.text?.trim();
    if (!text) throw new AppError(400, 'TEXT_REQUIRED', 'Hãy nhập nội dung thông báo', 'Write the message');
    await host.transaction(async () => {
      if (picked.length > 0)
        for (const c of picked) ids.push(await host.record(actor, sittingId, roomId, 'message', reason, c, null, { text }));
      else
        ids.push(
          await host.record(actor, sittingId, roomId, 'message', reason, null, null, {
            text,
            wholeRoom: true,
            candidates: inRoom.length,
          }),
        );
    });
    host.bus.emit('roomMessage', {
      candidateIds: [...targets],
      event: 'message',
      payload: { text, at: Date.now(), kind: 'info' },
    });
    return targets.length;
  },
};
