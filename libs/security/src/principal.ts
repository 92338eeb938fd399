import type { ActorClaim } from '@platform/contracts';

/**
 * Who is calling: the verified claims of the access token (RFC 9068 2.2) a request or message
 * carried, in the names the code uses. Times are epoch seconds. Read-only: every request that
 * presents the same token shares one principal.
 */
export interface Principal {
  /** `sub`: the user, or the client itself for a client-credentials token. */
  readonly subject: string;
  /** `sid`: the session the token was issued in, absent for client-credentials tokens. */
  readonly sessionId?: string;
  /** `client_id`: the OAuth client the token was issued to. */
  readonly clientId: string;
  /** `scope`, split on spaces (RFC 6749 3.3). */
  readonly scopes: readonly string[];
  /** `roles` (RFC 9068 2.2.3.1). */
  readonly roles: readonly string[];
  /** `jti`. */
  readonly tokenId: string;
  /** `exp`. */
  readonly expiresAt: number;
  /** `iat`. */
  readonly issuedAt: number;
  /** `aud`, always as a list. */
  readonly audience: readonly string[];
  /** `act` (RFC 8693 4.1): the client acting for the subject, in an exchanged token. */
  readonly actor?: ActorClaim;
  /** The raw bearer token, so a handler can forward or exchange it (RFC 8693). Never log it. */
  readonly token: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the principal is a user: users' subjects are their UUIDs, where a client's own token
 * (`client_credentials`) names the client and a service token `service:<name>`.
 */
export function isUser(principal: Pick<Principal, 'subject'>): boolean {
  return UUID.test(principal.subject);
}

/**
 * Whether the principal acts as an administrator: the `admin` role alone is not enough, the
 * token must carry the `admin` scope too (RFC 6749 3.3, RFC 9068 2.2.3: scope is what the
 * token's holder was granted), so an administrator's API token or third-party client token
 * without it acts only as the user they are.
 */
export function actsAsAdministrator(principal: Pick<Principal, 'roles' | 'scopes'>): boolean {
  return principal.roles.includes('admin') && principal.scopes.includes('admin');
}
