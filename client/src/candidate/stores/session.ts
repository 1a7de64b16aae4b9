import type { CandidateMeDto } from '@exam/shared';
import { create } from 'zustand';
import { hasCode, onUnauthorized } from '../../api/http';
import { candidateApi } from '../api';
import { deviceId } from '../device';
import { useAttempt } from './attempt';
import { useClock } from './clock';

/**
 * Who is signed in on this PC and where they are in the sitting. The screens follow from it
 * (CandidateApp.tsx), so a reload at any point lands on the right screen.
 */
export type SessionStatus = 'loading' | 'signedOut' | 'signedIn';

/** A banner at the top of the screen: an invigilator's message, a warning (sanction), or an extension. */
export type BannerKind = 'info' | 'warning' | 'extension';

export interface Banner {
  id: number;
  kind: BannerKind;
  /** the message (info, warning); for an extension, the minutes added */
  text: string;
  minutes: number;
  at: number;
}

/** Suspended from the exam (đình chỉ thi), as the socket told it (a reload knows only `me.suspended`). */
export interface Suspension {
  message: string;
  reason: string;
}

interface SessionState {
  status: SessionStatus;
  me: CandidateMeDto | null;
  /** the candidate confirmed their details on this PC (kept for the browser session) */
  confirmed: boolean;
  /** the session ended on its own (401 while signed in) */
  expired: boolean;
  /** this PC was replaced by another one: the screen is locked with this message */
  locked: string | null;
  banners: Banner[];
  suspension: Suspension | null;

  load: () => Promise<void>;
  login: (number: string, pin: string) => Promise<void>;
  logout: () => Promise<void>;
  refresh: () => Promise<CandidateMeDto | null>;
  confirm: () => void;
  acknowledge: () => Promise<void>;
  lock: (message: string) => void;
  pushBanner: (text: string, at: number, kind?: 'info' | 'warning') => void;
  /** "Bạn được cộng thêm N phút" */
  pushExtension: (minutes: number, at: number) => void;
  suspend: (s: Suspension) => void;
  dismissBanner: (id: number) => void;
  sessionLost: () => void;
}

const CONFIRMED_KEY = 'exam.cand.confirmed';

function wasConfirmed(number: string): boolean {
  try {
    return sessionStorage.getItem(CONFIRMED_KEY) === number;
  } catch {
    return false;
  }
}

/** GET /me, also taken as a clock sample (the server's time against the request's midpoint). */
async function fetchMe(): Promise<CandidateMeDto> {
  const t0 = Date.now();
  const me = await candidateApi.me();
  useClock.getState().sample(t0, Date.now(), me.serverNow);
  return me;
}

let bannerId = 1;

export const useSession = create<SessionState>()((set, get) => ({
  status: 'loading',
  me: null,
  confirmed: false,
  expired: false,
  locked: null,

  banners: [],
  suspension: null,

  load: async () => {
    try {
      const me = await fetchMe();
      set({ me, status: 'signedIn', confirmed: wasConfirmed(me.candidate.number) });
    } catch (e) {
      if (hasCode(e, 'DEVICE_REPLACED')) get().lock(e.messageVi);
      set({ me: null, status: 'signedOut' });
    }
  },

  login: async (number, pin) => {
    const t0 = Date.now();
    const me = await candidateApi.login({ number: number.trim().toUpperCase(), pin: pin.trim(), deviceId: deviceId() });
    useClock.getState().sample(t0, Date.now(), me.serverNow);
    useAttempt.getState().reset();
    set({
      me,
      status: 'signedIn',
      expired: false,
      locked: null,
      suspension: null,
      confirmed: wasConfirmed(me.candidate.number),
    });
  },

  logout: async () => {
    try {
      await candidateApi.logout();
    } catch {
      // signing out is local first: the cookie is cleared by the server when it can be reached
    }
    try {
      sessionStorage.removeItem(CONFIRMED_KEY);
    } catch {
      // nothing to do
    }
    useAttempt.getState().reset();
    useClock.getState().clearTiming();
    set({ me: null, status: 'signedOut', confirmed: false, expired: false, banners: [], suspension: null });
  },

  refresh: async () => {
    try {
      const me = await fetchMe();
      set({ me });
      return me;
    } catch (e) {
      if (hasCode(e, 'DEVICE_REPLACED')) get().lock(e.messageVi);
      return null;
    }
  },

  confirm: () => {
    const n = get().me?.candidate.number;
    try {
      if (n) sessionStorage.setItem(CONFIRMED_KEY, n);
    } catch {
      // the confirmation is asked again after a reload then
    }
    set({ confirmed: true });
  },

  acknowledge: async () => {
    const me = await candidateApi.acknowledge();
    set({ me });
  },

  lock: (message) => set({ locked: message }),

  pushBanner: (text, at, kind = 'info') =>
    set({ banners: [...get().banners.slice(-2), { id: bannerId++, kind, text, minutes: 0, at }] }),

  pushExtension: (minutes, at) =>
    set({ banners: [...get().banners.slice(-2), { id: bannerId++, kind: 'extension', text: '', minutes, at }] }),

  suspend: (suspension) => set({ suspension }),

  dismissBanner: (id) => set({ banners: get().banners.filter((b) => b.id !== id) }),

  sessionLost: () => {
    if (get().status !== 'signedIn') return;
    set({ me: null, status: 'signedOut', expired: true });
  },
}));

// a 401 on any candidate call means the session cookie is gone or expired
onUnauthorized(() => useSession.getState().sessionLost());
