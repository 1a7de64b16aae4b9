import type { CandidateClientToServer, CandidateServerToClient, ErrorCode } from '@exam/shared';
import { AnswerBody, FlagBody, SEQ_MAX } from '@exam/shared';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { Namespace, Server } from 'socket.io';
import { type AppError, errorAck, isDiskFull } from '../../plugins/errors.js';
import { CANDIDATE_COOKIE, candidateFromToken } from './routes.js';
import type { DeliveryService } from './service.js';

export type CandidateNamespace = Namespace<
  CandidateClientToServer,
  CandidateServerToClient,
  Record<string, never>,
  { candidateId: number; token: string }
>;

export const candidateRoom = (candidateId: number) => `cand:${candidateId}`;

/**
 * The `/candidate` namespace: authenticated by the candidate's session cookie; every inbound
 * message is validated and a bad one gets an error ack, never a crash.
 */
export function candidateNamespace(
  io: Server,
  app: FastifyInstance,
  delivery: DeliveryService,
  presence?: { connected(candidateId: number): void; disconnected(candidateId: number): void },
): CandidateNamespace {
  const nsp = io.of('/candidate') as CandidateNamespace;
  const to = (ids: readonly number[]) => nsp.to(ids.map(candidateRoom));
  // what the services publish (server/src/events.ts) reaches the candidates' screens
  const bus = delivery.bus;
  bus.on('attemptSubmitted', ({ candidateId, result }) => to([candidateId]).emit('submitted', result));
  bus.on('timingChanged', ({ candidateId, attemptId, timing }) => to([candidateId]).emit('timing', { attemptId, timing }));
  bus.on('deviceReplaced', ({ candidateId }) => {
    to([candidateId]).emit('replaced', {
      message: 'Bài thi đã được chuyển sang máy khác theo quyết định của giám thị. Máy này không còn được làm bài.',
    });
    nsp.in(candidateRoom(candidateId)).disconnectSockets(true);
  });
  bus.on('sittingStateChanged', ({ state, candidateIds, at }) => {
    // an empty list would address every socket of the namespace
    if (state === 'opened' && candidateIds.length > 0) to(candidateIds).emit('opened', { at });
  });
  bus.on('roomMessage', (m) => {
    if (m.candidateIds.length === 0) return;
    if (m.event === 'message') to(m.candidateIds).emit('message', m.payload);
    else to(m.candidateIds).emit('suspended', m.payload);
  });
  // Socket.IO's middleware takes no promise: the check runs in a task whose every failure reaches next()
  nsp.use((socket, next) => {
    void (async () => {
      try {
        const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
        const c = await candidateFromToken(app, delivery, cookies[CANDIDATE_COOKIE]);
        socket.data.candidateId = c.id;
        socket.data.token = cookies[CANDIDATE_COOKIE] ?? '';
        next();
      } catch (err) {
        const e = err as AppError;
        next(Object.assign(new Error(e.message), { data: { code: e.code ?? 'AUTH_REQUIRED' } }));
      }
    })();
  });
  nsp.on('connection', (socket) => {
    const candidateId = socket.data.candidateId;
    // one live socket per candidate: the newest connection (a reload, a reconnect, a second tab) takes
    // over, and an older one still open is told the exam is open elsewhere and closed (issue 14)
    for (const other of nsp.sockets.values()) {
      if (other.id === socket.id || other.data.candidateId !== candidateId) continue;
      other.emit('elsewhere', {
        message:
          'Bài thi đang được mở ở một cửa sổ hoặc thẻ khác. Chỉ một cửa sổ được làm bài; tải lại trang (F5) để làm bài ở cửa sổ này.',
      });
      other.disconnect(true);
    }
    void socket.join(candidateRoom(candidateId));
    presence?.connected(candidateId);
    socket.on('disconnect', () => presence?.disconnected(candidateId));
    const bad = (code: ErrorCode, message: string) => ({ ok: false as const, code, message });
    /** Every command re-checks the session: the token's expiry and that this PC is still the candidate's device. */
    const stillValid = async (): Promise<{ ok: false; code: ErrorCode; message: string } | null> => {
      try {
        await candidateFromToken(app, delivery, socket.data.token);
        return null;
      } catch (err) {
        const e = errorAck(err);
        setImmediate(() => socket.disconnect(true));
        return e;
      }
    };

    socket.on('answer', async (p, ack) => {
      if (typeof ack !== 'function') return;
      if (p && typeof p.seq === 'number' && p.seq > SEQ_MAX) {
        ack({ ...bad('SEQ_OUT_OF_RANGE', `Số thứ tự lần lưu vượt quá giới hạn ${SEQ_MAX}`), seq: p.seq });
        return;
      }
      if (
        !p ||
        typeof p.attemptId !== 'number' ||
        !Value.Check(AnswerBody, { questionNo: p.questionNo, choice: p.choice, seq: p.seq })
      ) {
        ack(bad('INVALID_MESSAGE', 'Dữ liệu câu trả lời không hợp lệ'));
        return;
      }
      const refused = await stillValid();
      if (refused) {
        ack(refused);
        return;
      }
      delivery
        .saveAnswer(candidateId, p.attemptId, { questionNo: p.questionNo, choice: p.choice, seq: p.seq })
        .then(ack, (err: unknown) => ack(isDiskFull(err) ? errorAck(err) : bad('SAVE_FAILED', 'Chưa lưu được câu trả lời')));
    });

    socket.on('flag', async (p, ack) => {
      if (typeof ack !== 'function') return;
      if (!p || typeof p.attemptId !== 'number' || !Value.Check(FlagBody, { questionNo: p.questionNo, flagged: p.flagged })) {
        ack(bad('INVALID_MESSAGE', 'Dữ liệu không hợp lệ'));
        return;
      }
      const refused = await stillValid();
      if (refused) {
        ack(refused);
        return;
      }
      try {
        await delivery.setFlag(candidateId, p.attemptId, p.questionNo, p.flagged);
        ack({ ok: true });
      } catch (err) {
        ack(errorAck(err));
      }
    });

    socket.on('sync', async (p, ack) => {
      if (typeof ack !== 'function') return;
      if (await stillValid()) {
        ack({ serverNow: Date.now(), timing: null });
        return;
      }
      let timing = null;
      try {
        if (p && typeof p.attemptId === 'number') {
          delivery.assertOwner(candidateId, p.attemptId);
          timing = delivery.timing(p.attemptId);
        }
      } catch {
        timing = null;
      }
      ack({ serverNow: Date.now(), timing });
    });
  });
  return nsp;
}
