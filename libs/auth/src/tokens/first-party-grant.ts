/**
 * Scopes a token of a first-party session gets: the first-party client's scopes
 * (`FIRST_PARTY_SCOPES`), `admin` only for administrators.
 */
export function firstPartyScopes(
  clientScopes: readonly string[],
  roles: readonly string[],
): string[] {
  return roles.includes('admin')
    ? [...clientScopes]
    : clientScopes.filter((scope) => scope !== 'admin');
}
