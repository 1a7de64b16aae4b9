import { AppError } from '../../../plugins/errors.js';
import type { ProctorAction } from './types.js';

/** Closes the room when every paper is in, with the absentees confirmed in the minutes. */
export const closeRoom: ProctorAction<'close_room'> = {
  name: 'close_room',
  roles: ['invigilator', 'board', 'admin'],
  needsReason: true,
  single: false,
  async perform(host, { user, actor, sittingId, roomId, reason, body, inRoom, ids }) {
    await host.delivery.sweep(); // papers past their deadline are collected first
    const preview = await host.closing(sittingId, roomId);
    if (preview.state === 'scheduled')
      throw new AppError(409, 'ROOM_NOT_OPEN', 'Phòng thi chưa mở; chưa thể đóng', 'The room has not opened yet');
    if (preview.running.length > 0)
      throw new AppError(
        409,
        'ATTEMPTS_RUNNING',
        `Còn ${preview.running.length} bài đang làm (${preview.running
          .slice(0, 10)
          .map((r) => `${r.number} – ${r.part}`)
          .join(', ')}); chưa thể đóng phòng. Chờ thí sinh nộp bài hoặc thu bài.`,
        `${preview.running.length} attempts are still running`,
        { running: preview.running.map((r) => r.candidateId) },
      );
    const expected = preview.absentees.map((a) => a.candidateId).sort((a, b) => a - b);
    const confirmed = [...new Set(body.absentees ?? [])].sort((a, b) => a - b);
    if (expected.length !== confirmed.length || expected.some((id, i) => id !== confirmed[i]))
      throw new AppError(
        409,
        'ABSENTEES_UNCONFIRMED',
        `Hãy xác nhận đúng danh sách ${expected.length} thí sinh vắng trước khi đóng phòng`,
        'Confirm exactly the list of absentees before closing the room',
        { absentees: expected },
      );
    const at = Date.now();
    await host.transaction(async () => {
      // checked again inside the transaction: an attempt started meanwhile keeps the room open
      if ((await host.repo.runningIn(sittingId, roomId)) > 0)
        throw new AppError(409, 'ATTEMPTS_RUNNING', 'Có bài thi vừa bắt đầu; chưa thể đóng phòng', 'An attempt just started');
      const incidentId = await host.record(actor, sittingId, roomId, 'close_room', reason, null, null, {
        absentees: preview.absentees.map((a) => ({
          candidateId: a.candidateId,
          number: a.number,
          fullName: a.fullName,
          parts: a.parts.map((p) => p.name),
        })),
        candidates: inRoom.length,
      });
      ids.push(incidentId);
      await host.repo.insertClosure({ sittingId, roomId, closedAt: at, closedBy: user.id, incidentId });
      for (const a of preview.absentees)
        for (const p of a.parts)
          await host.repo.insertAbsence({
            sittingId,
            roomId,
            candidateId: a.candidateId,
            partId: p.partId,
            recordedAt: at,
            confirmedBy: user.id,
          });
    });
    host.bus.emit('sittingStateChanged', { sittingId, roomId, state: 'closed', candidateIds: [...inRoom], at });
    return preview.absentees.length;
  },
};
