import { Audience, CONTEXTS, SCOPES } from '@platform/contracts';

/** The services a first-party login token is for: every context, each checking its own name. */
export const FIRST_PARTY_AUDIENCE: readonly Audience[] = CONTEXTS;

/** Everything but `admin`: what any signed-in user may ask of the platform. */
const USER_SCOPES: string[] = SCOPES.filter((scope) => scope !== 'admin');

/** Scopes a first-party session gets: everything a user may do, plus `admin` for admins. */
export function firstPartyScopes(roles: readonly string[]): string[] {
  return roles.includes('admin') ? [...USER_SCOPES, 'admin'] : USER_SCOPES;
}
