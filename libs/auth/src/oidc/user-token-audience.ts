import { Audience, AUDIENCE_SCOPES } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';

/** The services behind the UserInfo endpoint: the gateway relays it, auth answers it. */
const USERINFO_AUDIENCE = ['gateway', 'auth'] as const satisfies readonly Audience[];

/** The OpenID Connect scopes (Core 5.4, 11): what UserInfo and the ID token answer for. */
const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];

/**
 * The scopes each UserInfo service acts on besides UserInfo. The gateway only relays, to the
 * service a route names, which checks its own audience; auth takes `admin` for its client
 * registry and security log.
 */
const BEYOND_USERINFO: Record<(typeof USERINFO_AUDIENCE)[number], readonly string[]> = {
  gateway: [],
  auth: AUDIENCE_SCOPES.auth.filter((scope) => !OIDC_SCOPES.includes(scope)),
};

/**
 * The audience of an access token issued to a client for a user: the client's audiences, and
 * with `openid` the UserInfo endpoint's services, where such a token is presented (OpenID
 * Connect Core 5.3.1). The same when the code is redeemed and at every refresh, whose token
 * carries the grant's scopes again (RFC 6749 6): else a refreshed token lost UserInfo.
 *
 * A UserInfo service the client is not registered for is added only for UserInfo: never to a
 * token whose scopes it would take for more (`admin` at auth), since a token is never for a
 * service its client may not ask for (RFC 8707 2). Such a token has no UserInfo.
 */
export function userTokenAudience(
  client: Pick<OAuthClient, 'audiences'>,
  scopes: readonly string[],
): Audience[] {
  const userInfo = scopes.includes('openid')
    ? USERINFO_AUDIENCE.filter(
        (audience) =>
          client.audiences.includes(audience) ||
          !scopes.some((scope) => BEYOND_USERINFO[audience].includes(scope)),
      )
    : [];
  return [...new Set([...client.audiences, ...userInfo])];
}
