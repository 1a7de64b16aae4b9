import type { Role } from '@exam/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../stores/auth';
import { useLabels } from './labels';
import { decideRoles } from './roles';

/** Whether the signed-in user holds one of `roles`, and if not the sentence that says who may. */
export function useRoleGate(...roles: Role[]): { allowed: boolean; reason: string } {
  const me = useAuth((s) => s.me);
  const { t } = useTranslation();
  const labels = useLabels();
  const d = decideRoles(me, roles);
  if (d.allowed) return { allowed: true, reason: '' };
  return {
    allowed: false,
    reason: `${t('app.noAccess')} ${t('shared.roleNeeded', { roles: d.needed.map((r) => labels.role(r)).join(', ') })}`,
  };
}

/** Whether the signed-in user holds one of `roles` (for actions shown or hidden inside a screen). */
export function useHasRole(...roles: Role[]): boolean {
  const me = useAuth((s) => s.me);
  return decideRoles(me, roles).allowed;
}

interface RoleGateProps {
  roles: Role[];
  children: ReactNode;
  /** 'reason' (default): say why the screen is not shown; 'hide': show nothing; or what to show instead */
  otherwise?: 'reason' | 'hide' | ReactNode;
  testId?: string;
}

/** Shows a screen or an action only to the roles allowed; to the others, the reason. */
export function RoleGate({ roles, children, otherwise = 'reason', testId = 'no-access' }: RoleGateProps) {
  const gate = useRoleGate(...roles);
  if (gate.allowed) return <>{children}</>;
  if (otherwise === 'hide') return null;
  if (otherwise !== 'reason') return <>{otherwise}</>;
  return (
    <div className="alert alert-warn" role="alert" data-testid={testId}>
      {gate.reason}
    </div>
  );
}
