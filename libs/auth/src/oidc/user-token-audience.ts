import { Audience } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';

/** The services behind the UserInfo endpoint: the gateway relays it, auth answers it. */
const USERINFO_AUDIENCE: readonly Audience[] = ['gateway', 'auth'];

/**
 * The audience of an access token issued to a client for a user: the client's audiences, and
 * with `openid` the UserInfo endpoint's services, where such a token is presented (OpenID
 * Connect Core 5.3.1). The same when the code is redeemed and at every refresh, whose token
 * carries the grant's scopes again (RFC 6749 6): else a refreshed token lost UserInfo.
 */
export function userTokenAudience(
  client: Pick<OAuthClient, 'audiences'>,
  scopes: readonly string[],
): Audience[] {
  const openid = scopes.includes('openid');
  return [...new Set([...client.audiences, ...(openid ? USERINFO_AUDIENCE : [])])];
}
