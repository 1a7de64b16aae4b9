import type { Me, Role } from '@exam/shared';
import { create } from 'zustand';
import { authApi } from '../api/auth';
import { ApiError, onUnauthorized } from '../api/http';

export type AuthStatus = 'unknown' | 'loading' | 'signedIn' | 'signedOut';

interface AuthState {
  me: Me | null;
  status: AuthStatus;
  /** Set when the session ended on its own (401 while signed in). */
  expired: boolean;
  /** Asks the server who is signed in (once at start). */
  load: () => Promise<void>;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
}

export const useAuth = create<AuthState>()((set, get) => ({
  me: null,
  status: 'unknown',
  expired: false,
  load: async () => {
    if (get().status === 'loading') return;
    set({ status: 'loading' });
    try {
      const me = await authApi.me();
      set({ me, status: 'signedIn', expired: false });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) set({ me: null, status: 'signedOut' });
      else set({ me: null, status: 'signedOut' });
    }
  },
  login: async (username, password) => {
    const me = await authApi.login({ username, password });
    set({ me, status: 'signedIn', expired: false });
    return me;
  },
  logout: async () => {
    try {
      await authApi.logout();
    } finally {
      set({ me: null, status: 'signedOut', expired: false });
    }
  },
}));

// a 401 on any call while signed in means the session is gone
onUnauthorized(() => {
  const s = useAuth.getState();
  if (s.status === 'signedIn') useAuth.setState({ me: null, status: 'signedOut', expired: true });
});

export function hasAnyRole(me: Me | null, ...roles: Role[]): boolean {
  return !!me && me.roles.some((r) => roles.includes(r));
}

export const STAFF_BANK_ROLES: Role[] = ['admin', 'board', 'author', 'reviewer'];

/** Where a signed-in user lands first. */
export function homePath(me: Me | null): string {
  if (!me) return '/login';
  if (hasAnyRole(me, ...STAFF_BANK_ROLES)) return '/board';
  if (hasAnyRole(me, 'invigilator')) return '/proctor';
  return '/board';
}
