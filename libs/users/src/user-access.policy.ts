import { actsAsAdministrator, type Principal } from '@platform/security';

/**
 * Who may read a user: the user, an administrator acting as one (`actsAsAdministrator`: the
 * role and the `admin` scope, as `GET /v1/users` and the orders context require), or a platform
 * service acting for them.
 */
export function mayReadUser(principal: Principal, userId: string): boolean {
  return (
    principal.subject === userId ||
    actsAsAdministrator(principal) ||
    principal.roles.includes('service')
  );
}
