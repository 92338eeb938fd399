import type { Principal } from '@platform/security';

/**
 * Who may read a user: the user, an administrator acting as one, or a platform service acting
 * for them. The `admin` role alone is not enough: the token must carry the `admin` scope too
 * (RFC 6749 3.3, RFC 9068 2.2.3: scope is what the token's holder was granted), so an
 * administrator's API token or third-party client token without it reads only its own user,
 * as `GET /v1/users` and the orders context already require.
 */
export function mayReadUser(principal: Principal, userId: string): boolean {
  return (
    principal.subject === userId ||
    (principal.roles.includes('admin') && principal.scopes.includes('admin')) ||
    principal.roles.includes('service')
  );
}
