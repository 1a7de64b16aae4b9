import {
  DEFAULT_WARN_THRESHOLDS,
  type IncidentDto,
  type RoomDashboardDto,
  type RoomRefDto,
  roomKey,
  type SeatDto,
  type WarnThresholds,
} from '@exam/shared';
import { create } from 'zustand';

/**
 * The room being watched. Seats are kept by candidate id and each `seats` message replaces only the
 * seats it carries, so a seat component that selects `seats[id]` re-renders only when its own seat
 * changed. The time shown (time left, since the last save, warnings) comes from `useNow`, which
 * ticks once a second on the server's clock as measured from the messages.
 */
interface RoomState {
  key: string | null;
  sittingId: number | null;
  roomId: number | null;
  room: RoomRefDto | null;
  seats: Record<number, SeatDto>;
  /** candidate ids in seat order */
  order: number[];
  incidents: IncidentDto[];
  warnAfter: WarnThresholds;
  /** serverNow − Date.now() at the last message */
  offset: number;
  /** server time of the last full snapshot: older snapshots and batches are ignored */
  snapshotAt: number;
  selected: number | null;

  /** Starts a room: clears what another room left. */
  open: (sittingId: number, roomId: number) => void;
  load: (d: RoomDashboardDto) => void;
  mergeSeats: (key: string, seats: SeatDto[], serverNow: number) => void;
  addIncidents: (key: string, incidents: IncidentDto[]) => void;
  setRoom: (key: string, room: RoomRefDto) => void;
  select: (candidateId: number | null) => void;
  close: () => void;
}

const EMPTY = {
  key: null,
  sittingId: null,
  roomId: null,
  room: null,
  seats: {},
  order: [],
  incidents: [],
  warnAfter: DEFAULT_WARN_THRESHOLDS,
  offset: 0,
  snapshotAt: 0,
  selected: null,
};

function seatOrder(seats: Record<number, SeatDto>): number[] {
  return Object.values(seats)
    .sort((a, b) => a.seatNo - b.seatNo || a.number.localeCompare(b.number))
    .map((s) => s.candidateId);
}

function byTime(a: IncidentDto, b: IncidentDto): number {
  return a.at - b.at || a.id - b.id;
}

export const useRoom = create<RoomState>()((set, get) => ({
  ...EMPTY,

  open: (sittingId, roomId) => {
    const key = roomKey(sittingId, roomId);
    if (get().key !== key) set({ ...EMPTY, key, sittingId, roomId });
  },

  load: (d) => {
    const s = get();
    const key = roomKey(d.room.sittingId, d.room.roomId);
    if (s.key !== key || d.serverNow < s.snapshotAt) return;
    const seats: Record<number, SeatDto> = {};
    for (const seat of d.seats) seats[seat.candidateId] = seat;
    // an incident may have come by the socket between the snapshot and now
    const known = new Map(d.incidents.map((i) => [i.id, i]));
    for (const i of s.incidents) if (!known.has(i.id)) known.set(i.id, i);
    set({
      room: d.room,
      seats,
      order: seatOrder(seats),
      incidents: [...known.values()].sort(byTime),
      warnAfter: d.warnAfter,
      offset: d.serverNow - Date.now(),
      snapshotAt: d.serverNow,
      selected: s.selected !== null && seats[s.selected] ? s.selected : null,
    });
  },

  mergeSeats: (key, changed, serverNow) => {
    const s = get();
    if (s.key !== key || serverNow < s.snapshotAt || !changed.length) return;
    const seats = { ...s.seats };
    let reorder = false;
    for (const seat of changed) {
      const before = seats[seat.candidateId];
      if (!before || before.seatNo !== seat.seatNo) reorder = true;
      seats[seat.candidateId] = seat;
    }
    set({ seats, order: reorder ? seatOrder(seats) : s.order, offset: serverNow - Date.now() });
  },

  addIncidents: (key, incidents) => {
    const s = get();
    if (s.key !== key) return;
    const fresh = incidents.filter((i) => !s.incidents.some((j) => j.id === i.id));
    if (fresh.length) set({ incidents: [...s.incidents, ...fresh].sort(byTime) });
  },

  setRoom: (key, room) => {
    if (get().key === key) set({ room });
  },

  select: (candidateId) => set({ selected: candidateId }),

  close: () => set({ ...EMPTY }),
}));

/** The server's time, ticking once a second while a dashboard is shown. */
export const useNow = create<{ now: number }>()(() => ({ now: Date.now() }));

let tickers = 0;
let tickTimer: number | undefined;

/** Starts the one-second tick (reference counted); returns the stop function. */
export function startTicking(offset: () => number): () => void {
  const tick = () => useNow.setState({ now: Date.now() + offset() });
  tick();
  if (tickers++ === 0) tickTimer = window.setInterval(tick, 1_000);
  return () => {
    if (--tickers === 0) window.clearInterval(tickTimer);
  };
}
