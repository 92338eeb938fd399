import type { Principal } from '@platform/security';

/** Who may read a user: the user, an administrator, or a platform service acting for them. */
export function mayReadUser(principal: Principal, userId: string): boolean {
  return (
    principal.subject === userId ||
    principal.roles.includes('admin') ||
    principal.roles.includes('service')
  );
}
