import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../stores/auth';

/** Staff areas: send to the sign-in page (and back afterwards) when nobody is signed in. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const me = useAuth((s) => s.me);
  const location = useLocation();
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
