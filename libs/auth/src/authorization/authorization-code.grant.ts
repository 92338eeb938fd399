import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isAccountDisabled, UsersProfileClient } from '../accounts/users-profile.client';
import { OAuthClient } from '../clients/oauth-client';
import { isRegisteredRedirectUri } from '../clients/registered-redirect-uri';
import { OAuthError } from '../oauth/oauth.error';
import { OAuthTokenIssuer } from '../oauth/oauth-token.issuer';
import { audienceWithinGrant, requestedClientAudiences } from '../oauth/requested-scopes';
import { TokenEndpointResponse, TokenGrant } from '../oauth/token-grant';
import { TokenRequestParams } from '../oauth/token-request-params';
import { IdTokenIssuer } from '../oidc/id-token.issuer';
import { userTokenAudience } from '../oidc/user-token-audience';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { newRefreshToken } from '../tokens/refresh-token.codec';
import { AuthorizationCodeStore } from './authorization-code.store';

/** RFC 7636 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * The `authorization_code` grant (RFC 6749 4.1.3, OpenID Connect Core 3.1.3). The code is
 * spent only if every binding matches: the client it was issued to, the exact redirect URI,
 * and the PKCE challenge of the presented verifier (RFC 7636 4.6). A code redeemed once and
 * presented again is refused and what its first redemption produced is revoked
 * (RFC 6749 4.1.2, RFC 9700 4.5). A refresh token comes only with `offline_access`
 * (OpenID Connect Core 11) to a client allowed the `refresh_token` grant, in the session the
 * code opened, rotating like every session's.
 */
@Injectable()
export class AuthorizationCodeGrant implements TokenGrant {
  readonly grantType = 'authorization_code';

  constructor(
    private readonly codes: AuthorizationCodeStore,
    private readonly profiles: UsersProfileClient,
    private readonly accessTokens: OAuthTokenIssuer,
    private readonly idTokens: IdTokenIssuer,
    private readonly revocation: SessionRevocation,
  ) {}

  async exchange(client: OAuthClient, params: TokenRequestParams): Promise<TokenEndpointResponse> {
    const code = params.required('code');
    const redirectUri = params.required('redirect_uri');
    // RFC 9700 2.1.1: PKCE for every client, confidential ones too.
    const verifier = params.get('code_verifier');
    if (verifier === undefined) throw new OAuthError('invalid_request', 'Missing code_verifier');
    if (!CODE_VERIFIER.test(verifier))
      throw new OAuthError('invalid_grant', 'Malformed code_verifier');
    if (code.length > 256) throw new OAuthError('invalid_grant', 'Invalid code');
    // A code sent to a redirect URI the client has since dropped is not redeemed.
    if (!isRegisteredRedirectUri(client, redirectUri)) {
      throw new OAuthError('invalid_grant', 'redirect_uri is not registered for this client');
    }
    const resources = requestedClientAudiences(client, params);
    // RFC 8707 2.2: checked against the grant before the code is spent, so a refusal spends
    // nothing.
    if (resources.length > 0) {
      const granted = await this.codes.grantedResources(code);
      if (granted) audienceWithinGrant(client, resources, granted);
    }
    const refresh = client.grantTypes.includes('refresh_token') ? newRefreshToken() : undefined;
    const redeemed = await this.codes.redeem({
      code,
      clientId: client.clientId,
      redirectUri,
      codeChallenge: createHash('sha256').update(verifier, 'ascii').digest('base64url'),
      refreshTokenHash: refresh?.hash,
      idleSeconds: client.refreshTokenTtlSeconds,
    });
    if (!redeemed) {
      const spent = await this.codes.findRedeemed(code);
      const revoked = spent
        ? await this.revocation.authorizationCodeReused(spent.userId, spent.grantSessionId)
        : undefined;
      throw new OAuthError('invalid_grant', 'Invalid, expired or spent code', revoked);
    }
    const user = await this.profiles.get(redeemed.userId).catch((error: unknown) => {
      throw isAccountDisabled(error) ? new OAuthError('invalid_grant', 'Invalid code') : error;
    });
    // What the client still may ask for, of what was granted (an administrator may have taken
    // a scope from it since the request, as a refresh drops it too, RFC 6749 3.3); `admin`
    // reaches administrators only, whatever the client was allowed to ask.
    const scopes = redeemed.scopes.filter(
      (scope) =>
        client.scopes.includes(scope) && (scope !== 'admin' || user.roles.includes('admin')),
    );
    const openid = scopes.includes('openid');
    // RFC 8707 2.2: a token for the resources asked alone, else for the grant's, else for all
    // the client may reach.
    const audience =
      audienceWithinGrant(client, resources, redeemed.resources) ??
      userTokenAudience(client, scopes);
    const { accessToken, expiresIn } = await this.accessTokens.issue({
      grantType: 'authorization_code',
      subject: user.id,
      sessionId: redeemed.grantSessionId,
      clientId: client.clientId,
      audience,
      scopes,
      roles: user.roles,
      ttlSeconds: client.accessTokenTtlSeconds,
    });
    const idToken = openid
      ? await this.idTokens.issue({
          clientId: client.clientId,
          subject: user.id,
          nonce: redeemed.nonce,
          authTime: redeemed.authTime,
          sessionId: redeemed.ssoSessionId,
          accessToken,
        })
      : undefined;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: scopes.join(' '),
      ...(idToken ? { id_token: idToken } : {}),
      ...(redeemed.refreshable && refresh && scopes.includes('offline_access')
        ? { refresh_token: refresh.token }
        : {}),
    };
  }
}
