import type { Me, Role } from '@exam/shared';

export type RoleDecision = { allowed: true } | { allowed: false; needed: readonly Role[]; signedIn: boolean };

/** May this user use what is open to `roles`? When not, which roles would be needed (to say why). */
export function decideRoles(me: Pick<Me, 'roles'> | null, roles: readonly Role[]): RoleDecision {
  if (me?.roles.some((r) => roles.includes(r))) return { allowed: true };
  return { allowed: false, needed: roles, signedIn: !!me };
}
