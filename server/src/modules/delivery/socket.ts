import type { CandidateClientToServer, CandidateServerToClient } from '@exam/shared';
import { AnswerBody, FlagBody } from '@exam/shared';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { Namespace, Server } from 'socket.io';
import type { AppError } from '../../plugins/errors.js';
import { CANDIDATE_COOKIE, candidateFromToken } from './routes.js';
import type { DeliveryService } from './service.js';

export type CandidateNamespace = Namespace<
  CandidateClientToServer,
  CandidateServerToClient,
  Record<string, never>,
  { candidateId: number }
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
  nsp.use(async (socket, next) => {
    try {
      const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
      const c = await candidateFromToken(app, delivery, cookies[CANDIDATE_COOKIE]);
      socket.data.candidateId = c.id;
      next();
    } catch (err) {
      const e = err as AppError;
      next(Object.assign(new Error(e.message), { data: { code: e.code ?? 'AUTH_REQUIRED' } }));
    }
  });
  nsp.on('connection', (socket) => {
    const candidateId = socket.data.candidateId;
    // a newer device of the same candidate takes over: the older sockets are told and closed
    void socket.join(candidateRoom(candidateId));
    presence?.connected(candidateId);
    socket.on('disconnect', () => presence?.disconnected(candidateId));
    const bad = (code: string, message: string) => ({ ok: false as const, code, message });

    socket.on('answer', (p, ack) => {
      if (typeof ack !== 'function') return;
      if (
        !p ||
        typeof p.attemptId !== 'number' ||
        !Value.Check(AnswerBody, { questionNo: p.questionNo, choice: p.choice, seq: p.seq })
      ) {
        ack(bad('INVALID_MESSAGE', 'Dữ liệu câu trả lời không hợp lệ'));
        return;
      }
      delivery
        .saveAnswer(candidateId, p.attemptId, { questionNo: p.questionNo, choice: p.choice, seq: p.seq })
        .then(ack, () => ack(bad('SAVE_FAILED', 'Chưa lưu được câu trả lời')));
    });

    socket.on('flag', (p, ack) => {
      if (typeof ack !== 'function') return;
      if (!p || typeof p.attemptId !== 'number' || !Value.Check(FlagBody, { questionNo: p.questionNo, flagged: p.flagged })) {
        ack(bad('INVALID_MESSAGE', 'Dữ liệu không hợp lệ'));
        return;
      }
      try {
        delivery.setFlag(candidateId, p.attemptId, p.questionNo, p.flagged);
        ack({ ok: true });
      } catch (err) {
        const e = err as AppError;
        ack(bad(e.code ?? 'INVALID', e.message));
      }
    });

    socket.on('sync', (p, ack) => {
      if (typeof ack !== 'function') return;
      let timing = null;
      try {
        if (p && typeof p.attemptId === 'number') {
          delivery.attempt(candidateId, p.attemptId);
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
