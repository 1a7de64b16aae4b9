import type { ProctorClientToServer, ProctorServerToClient } from '@exam/shared';
import { roomKey } from '@exam/shared';
import type { FastifyInstance } from 'fastify';
import type { Namespace, Server } from 'socket.io';
import type { Db } from '../../db/connection.js';
import { type AuthUser, hasRole, SESSION_COOKIE } from '../../plugins/auth.js';
import { errorAck } from '../../plugins/errors.js';
import { onUserChanged } from '../../plugins/userEvents.js';
import type { ProctorService } from './service.js';

export type ProctorNamespace = Namespace<
  ProctorClientToServer,
  ProctorServerToClient,
  Record<string, never>,
  { user: AuthUser; token: string }
>;

/** Seat updates of a room go out at most this often; an answer reaches the dashboard within it plus the send. */
export const SEAT_FLUSH_MS = 250;
/** Sitting overviews go out at most this often. */
export const OVERVIEW_FLUSH_MS = 1000;
/** Every live dashboard's session and rooms are re-checked at least this often (token expiry, deleted rooms). */
export const RECHECK_MS = 30_000;

const roomChannel = (key: string) => `room:${key}`;
const sittingChannel = (sittingId: number) => `sitting:${sittingId}`;

/**
 * The `/proctor` namespace. Dashboards watch rooms (and the board watches sittings); the service
 * reports changes, which are collected per room and sent in batches every SEAT_FLUSH_MS: a room of
 * 60 answering candidates costs at most 4 messages a second, whatever the answer rate. Changes arrive
 * as domain events on the app's bus (answerCommitted, candidateChanged, incidentRecorded, …).
 */
export function proctorNamespace(
  io: Server,
  app: FastifyInstance,
  proctor: ProctorService,
  db: Db,
): { nsp: ProctorNamespace; close: () => void } {
  const nsp = io.of('/proctor') as ProctorNamespace;
  const dirtySeats = new Map<string, Set<number>>();
  const dirtySittings = new Set<number>();
  const watched = (channel: string) => (nsp.adapter.rooms.get(channel)?.size ?? 0) > 0;

  /** Nothing is watched at all: no dashboard needs to know where a candidate sits. */
  const nobodyWatches = () => nsp.sockets.size === 0;
  const addSeat = (key: string, candidateId: number) => {
    if (!watched(roomChannel(key))) return;
    let set = dirtySeats.get(key);
    if (!set) {
      set = new Set();
      dirtySeats.set(key, set);
    }
    set.add(candidateId);
  };
  const place = (where: { sittingId: number; roomId: number }, candidateId: number, stateChanged: boolean) => {
    addSeat(roomKey(where.sittingId, where.roomId), candidateId);
    if (stateChanged && watched(sittingChannel(where.sittingId))) dirtySittings.add(where.sittingId);
  };
  const failed = (err: unknown) => app.log.error({ err }, 'proctor seat update failed');
  const markSeat = (candidateId: number, stateChanged: boolean) => {
    if (nobodyWatches()) return;
    proctor
      .locate(candidateId)
      .then((where) => {
        if (where) place(where, candidateId, stateChanged);
      })
      .catch(failed);
  };
  /** Many candidates of one sitting at once (an opening): one read of their rooms, only if a dashboard watches. */
  const markMany = (sittingId: number, candidateIds: readonly number[]) => {
    if (watched(sittingChannel(sittingId))) dirtySittings.add(sittingId);
    const rooms = [...nsp.adapter.rooms.keys()].filter((c) => c.startsWith(roomChannel(`${sittingId}:`)));
    if (rooms.length === 0) return;
    proctor.repo
      .seatRoomsOf(sittingId, candidateIds)
      .then((seats) => {
        for (const [candidateId, roomId] of seats) addSeat(roomKey(sittingId, roomId), candidateId);
      })
      .catch(failed);
  };

  // what the services publish (server/src/events.ts) moves the dashboards: collected here, sent in batches
  const bus = proctor.bus;
  const unsubscribe = [
    bus.on('answerCommitted', ({ candidateId }) => markSeat(candidateId, false)),
    bus.on('candidateChanged', ({ candidateId }) => markSeat(candidateId, true)),
    bus.on('candidatesChanged', ({ sittingId, candidateIds }) => markMany(sittingId, candidateIds)),
    bus.on('deviceRefused', ({ candidateId }) => markSeat(candidateId, true)),
    bus.on('incidentRecorded', ({ sittingId, roomId, incident }) => {
      const key = roomKey(sittingId, roomId);
      nsp.to(roomChannel(key)).emit('incident', { key, incident });
      if (watched(sittingChannel(incident.sittingId))) dirtySittings.add(incident.sittingId);
    }),
    bus.on('sittingStateChanged', ({ sittingId, roomId, candidateIds }) => {
      const key = roomKey(sittingId, roomId);
      if (watched(roomChannel(key)))
        proctor
          .roomRef(sittingId, roomId)
          .then((room) => nsp.to(roomChannel(key)).emit('room', { key, room }))
          .catch(failed);
      if (watched(sittingChannel(sittingId))) dirtySittings.add(sittingId);
      // the candidates of that room: no lookup needed
      for (const id of candidateIds) addSeat(key, id);
    }),
  ];

  const flushSeats = async () => {
    for (const [key, ids] of dirtySeats) {
      dirtySeats.delete(key);
      if (!watched(roomChannel(key))) continue;
      const [sittingId = 0, roomId = 0] = key.split(':').map(Number);
      try {
        const seats = await proctor.seats(sittingId, roomId, [...ids]);
        if (seats.length > 0) nsp.to(roomChannel(key)).emit('seats', { key, seats, serverNow: Date.now() });
      } catch (err) {
        app.log.error({ err, key }, 'proctor seat update failed');
      }
    }
  };
  const flushOverviews = async () => {
    for (const sittingId of dirtySittings) {
      dirtySittings.delete(sittingId);
      if (!watched(sittingChannel(sittingId))) continue;
      try {
        nsp.to(sittingChannel(sittingId)).emit('overview', await proctor.overview(sittingId));
      } catch (err) {
        app.log.error({ err, sittingId }, 'proctor overview failed');
      }
    }
  };
  // one flush at a time: a slow one is not overlapped by the next tick
  const serial = (flush: () => Promise<void>) => {
    let busy = false;
    return () => {
      if (busy) return;
      busy = true;
      void flush().finally(() => {
        busy = false;
      });
    };
  };
  const seatTimer = setInterval(serial(flushSeats), SEAT_FLUSH_MS);
  const overviewTimer = setInterval(serial(flushOverviews), OVERVIEW_FLUSH_MS);
  seatTimer.unref();
  overviewTimer.unref();

  // Socket.IO's middleware takes no promise: the check runs in a task whose every failure reaches next()
  nsp.use((socket, next) => {
    void (async () => {
      const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
      const user = await app.userFromToken(cookies[SESSION_COOKIE]);
      if (!user || !hasRole(user, 'invigilator', 'board', 'admin')) {
        next(
          Object.assign(new Error('Bạn cần đăng nhập với vai trò giám thị hoặc hội đồng thi'), {
            data: { code: user ? 'FORBIDDEN_ROLE' : 'AUTH_REQUIRED' },
          }),
        );
        return;
      }
      socket.data.user = user;
      socket.data.token = cookies[SESSION_COOKIE] ?? '';
      next();
    })().catch((err: unknown) => {
      next(Object.assign(new Error(err instanceof Error ? err.message : String(err)), { data: { code: 'AUTH_REQUIRED' } }));
    });
  });

  type ProctorSocket = Parameters<Parameters<ProctorNamespace['on']>[1]>[0];
  /**
   * Re-checks a socket's user (active, session version, token expiry, role) and the rooms it watches
   * (still assigned): on every command, when the account changes, and every RECHECK_MS. A socket whose
   * session ended is told and closed; a room no longer allowed is left.
   */
  const recheck = async (socket: ProctorSocket): Promise<AuthUser | null> => {
    const user = await app.userFromToken(socket.data.token);
    if (!user || !hasRole(user, 'invigilator', 'board', 'admin')) {
      socket.emit('revoked', {
        code: user ? 'FORBIDDEN_ROLE' : 'SESSION_ENDED',
        message: 'Phiên đăng nhập đã kết thúc hoặc tài khoản đã thay đổi. Vui lòng đăng nhập lại.',
      });
      setImmediate(() => socket.disconnect(true)); // after the refusing ack has gone out
      return null;
    }
    socket.data.user = user;
    for (const channel of socket.rooms) {
      const m = /^room:(\d+):(\d+)$/.exec(channel);
      const s = /^sitting:(\d+)$/.exec(channel);
      try {
        if (m) await proctor.assertRoom(user, Number(m[1]), Number(m[2]));
        if (s && !hasRole(user, 'board', 'admin')) void socket.leave(channel);
      } catch {
        void socket.leave(channel);
      }
    }
    return user;
  };
  const recheckUser = (userId: number) => {
    for (const socket of nsp.sockets.values()) if (socket.data.user?.id === userId) void recheck(socket);
  };
  const offUserChanged = onUserChanged(db, recheckUser);
  const recheckTimer = setInterval(() => {
    for (const socket of nsp.sockets.values()) void recheck(socket);
  }, RECHECK_MS);
  recheckTimer.unref();
  const ended = {
    ok: false as const,
    code: 'SESSION_ENDED' as const,
    message: 'Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.',
  };

  const validIds = (p: unknown, ...keys: string[]): p is Record<string, number> =>
    !!p &&
    typeof p === 'object' &&
    keys.every((k) => {
      const v = (p as Record<string, unknown>)[k];
      return typeof v === 'number' && Number.isInteger(v) && v > 0;
    });
  const fail = (err: unknown) => errorAck(err);

  nsp.on('connection', (socket) => {
    socket.on('watchRoom', async (p, ack) => {
      if (typeof ack !== 'function') return;
      if (!validIds(p, 'sittingId', 'roomId')) {
        ack({ ok: false, code: 'INVALID_MESSAGE', message: 'Dữ liệu không hợp lệ' });
        return;
      }
      const user = await recheck(socket);
      if (!user) {
        ack(ended);
        return;
      }
      try {
        await proctor.assertRoom(user, p.sittingId, p.roomId);
        void socket.join(roomChannel(roomKey(p.sittingId, p.roomId)));
        ack({ ok: true, data: await proctor.dashboard(p.sittingId, p.roomId) });
      } catch (err) {
        ack(fail(err));
      }
    });
    socket.on('unwatchRoom', (p) => {
      if (validIds(p, 'sittingId', 'roomId')) void socket.leave(roomChannel(roomKey(p.sittingId, p.roomId)));
    });
    socket.on('watchSitting', async (p, ack) => {
      if (typeof ack !== 'function') return;
      if (!validIds(p, 'sittingId')) {
        ack({ ok: false, code: 'INVALID_MESSAGE', message: 'Dữ liệu không hợp lệ' });
        return;
      }
      const user = await recheck(socket);
      if (!user) {
        ack(ended);
        return;
      }
      if (!hasRole(user, 'board', 'admin')) {
        ack({ ok: false, code: 'FORBIDDEN_ROLE', message: 'Chỉ hội đồng thi xem được toàn bộ ca thi' });
        return;
      }
      try {
        const overview = await proctor.overview(p.sittingId);
        void socket.join(sittingChannel(p.sittingId));
        ack({ ok: true, data: overview });
      } catch (err) {
        ack(fail(err));
      }
    });
    socket.on('unwatchSitting', (p) => {
      if (validIds(p, 'sittingId')) void socket.leave(sittingChannel(p.sittingId));
    });
  });

  return {
    nsp,
    close: () => {
      clearInterval(seatTimer);
      clearInterval(overviewTimer);
      clearInterval(recheckTimer);
      offUserChanged();
      for (const off of unsubscribe) off();
    },
  };
}
