import type { ProctorClientToServer, ProctorServerToClient, SittingOverviewDto } from '@exam/shared';
import { roomKey } from '@exam/shared';
import { io, type Socket } from 'socket.io-client';
import { create } from 'zustand';
import { authApi } from '../api/auth';
import { useRoom } from './store';

/**
 * One connection to the `/proctor` namespace for the whole invigilator front-end, authenticated by
 * the staff session cookie. Screens watch a room or a sitting; every watch is sent again after a
 * reconnect, and its answer (a full snapshot) replaces what the screen had, so nothing missed
 * while disconnected stays missing.
 */
type ProctorSocket = Socket<ProctorServerToClient, ProctorClientToServer>;

export type LinkState = 'connecting' | 'connected' | 'disconnected';
export const useLink = create<{ state: LinkState }>()(() => ({ state: 'connecting' }));
const setLink = (state: LinkState) => {
  if (useLink.getState().state !== state) useLink.setState({ state });
};

type OnError = (code: string, message: string) => void;

interface RoomWatch {
  sittingId: number;
  roomId: number;
  onError: OnError;
}
interface SittingWatch {
  sittingId: number;
  onData: (d: SittingOverviewDto) => void;
  onError: OnError;
}

const rooms = new Map<string, RoomWatch>();
const sittings = new Map<number, SittingWatch>();
let socket: ProctorSocket | null = null;
let closeTimer: number | undefined;
let keepAlive: number | undefined;

function sendRoomWatch(s: ProctorSocket, w: RoomWatch): void {
  s.timeout(10_000).emit('watchRoom', { sittingId: w.sittingId, roomId: w.roomId }, (err, r) => {
    if (rooms.get(roomKey(w.sittingId, w.roomId)) !== w) return;
    if (err) return; // no answer: the next reconnect asks again
    if (r.ok) useRoom.getState().load(r.data);
    else w.onError(r.code, r.message);
  });
}

function sendSittingWatch(s: ProctorSocket, w: SittingWatch): void {
  s.timeout(10_000).emit('watchSitting', { sittingId: w.sittingId }, (err, r) => {
    if (sittings.get(w.sittingId) !== w || err) return;
    if (r.ok) w.onData(r.data);
    else w.onError(r.code, r.message);
  });
}

function connect(): ProctorSocket {
  window.clearTimeout(closeTimer);
  if (socket) return socket;
  const s: ProctorSocket = io('/proctor', {
    path: '/socket.io',
    withCredentials: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 5_000,
  });
  socket = s;
  setLink('connecting');
  // a dashboard may only watch for hours: keep the session cookie renewed while the socket is open
  window.clearInterval(keepAlive);
  keepAlive = window.setInterval(() => {
    if (s.connected) authApi.me().catch(() => undefined);
  }, 5 * 60_000);
  s.on('connect', () => {
    setLink('connected');
    for (const w of rooms.values()) sendRoomWatch(s, w);
    for (const w of sittings.values()) sendSittingWatch(s, w);
  });
  s.on('disconnect', (reason) => {
    setLink('disconnected');
    // the server re-checks the session on every command and closes the socket when it ended or the
    // cookie it was opened with expired: ask /me (which renews a live session), then reconnect with
    // the fresh cookie; a session that really ended goes back to the sign-in
    if (reason === 'io server disconnect')
      authApi.me().then(
        () => s.connect(),
        () => window.location.assign('/'),
      );
  });
  s.on('connect_error', () => setLink('disconnected'));
  s.on('seats', (p) => useRoom.getState().mergeSeats(p.key, p.seats, p.serverNow));
  s.on('incident', (p) => useRoom.getState().addIncidents(p.key, [p.incident]));
  s.on('room', (p) => useRoom.getState().setRoom(p.key, p.room));
  s.on('overview', (p) => sittings.get(p.sittingId)?.onData(p));
  return s;
}

/** Closes the connection once nothing is watched (a moment later: a screen change watches again). */
function releaseSoon(): void {
  if (rooms.size || sittings.size) return;
  window.clearTimeout(closeTimer);
  closeTimer = window.setTimeout(() => {
    if (rooms.size || sittings.size || !socket) return;
    socket.removeAllListeners();
    socket.disconnect();
    window.clearInterval(keepAlive);
    socket = null;
    setLink('connecting');
  }, 2_000);
}

/** Live seats, incidents and room changes of one room into `useRoom`; returns the unwatch function. */
export function watchRoom(sittingId: number, roomId: number, onError: OnError): () => void {
  const w: RoomWatch = { sittingId, roomId, onError };
  const key = roomKey(sittingId, roomId);
  rooms.set(key, w);
  const s = connect();
  if (s.connected) sendRoomWatch(s, w);
  return () => {
    if (rooms.get(key) !== w) return;
    rooms.delete(key);
    if (s.connected) s.emit('unwatchRoom', { sittingId, roomId });
    releaseSoon();
  };
}

/** A sitting's overview, re-sent by the server when something changed; returns the unwatch function. */
export function watchSitting(sittingId: number, onData: (d: SittingOverviewDto) => void, onError: OnError): () => void {
  const w: SittingWatch = { sittingId, onData, onError };
  sittings.set(sittingId, w);
  const s = connect();
  if (s.connected) sendSittingWatch(s, w);
  return () => {
    if (sittings.get(sittingId) !== w) return;
    sittings.delete(sittingId);
    if (s.connected) s.emit('unwatchSitting', { sittingId });
    releaseSoon();
  };
}
