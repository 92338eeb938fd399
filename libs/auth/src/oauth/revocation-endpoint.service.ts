import { Injectable } from '@nestjs/common';
import { OAuthEndpointRequest, OAuthEndpointResponse, Revocations } from '@platform/contracts';
import { AccessTokenVerifier } from '@platform/security';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { SessionStore } from '../sessions/session.store';
import { hashRefreshToken } from '../tokens/refresh-token.codec';
import { AccessTokenRevocation } from './access-token-revocation';
import { ClientAuthentication } from './client-authentication';
import { oauthErrorResponse, oauthResponse } from './oauth-endpoint.responses';
import { OAuthError } from './oauth.error';
import { looksLikeJwt, verifiedAccessToken } from './presented-access-token';
import { TokenRequestParams } from './token-request-params';

/**
 * Token revocation (RFC 7009). The client authenticates (a public client identifies itself,
 * 2.1), and may revoke only tokens issued to it: an access token's `jti` is denied everywhere,
 * a refresh token ends its session (the family, with the session's access tokens, 2.1). A
 * token that is invalid, expired or revoked already is not an error (2.2): the answer is 200.
 * It carries what it revoked (`revoked`), which the gateway denies before it answers (2.1: "the
 * invalidation takes place immediately"; implementations "should minimize" the propagation
 * delay), so the token is refused on the client's next request through that gateway.
 */
@Injectable()
export class RevocationEndpoint {
  constructor(
    private readonly authentication: ClientAuthentication,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionStore,
    private readonly sessionRevocation: SessionRevocation,
    private readonly accessTokens: AccessTokenRevocation,
  ) {}

  async revoke(request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    try {
      const params = TokenRequestParams.of(request.params, request.clientIp);
      const client = await this.authentication.authenticate(params, request.authorization);
      const token = params.required('token');
      let revoked: Revocations | undefined;
      // 2.1: the hint only speeds up the lookup; every token type is tried.
      if (looksLikeJwt(token)) {
        const principal = await verifiedAccessToken(this.verifier, token);
        if (principal) {
          if (principal.clientId !== client.clientId) throw notYours();
          revoked = await this.accessTokens.revoke(principal, client.clientId);
        }
      } else if (token.length <= 512) {
        const session = await this.sessions.findByRefreshToken(hashRefreshToken(token));
        if (session) {
          if (session.clientId !== client.clientId) throw notYours();
          revoked = await this.sessionRevocation.revokeSession(session.userId, session.sessionId);
        }
      }
      return { ...oauthResponse({}), ...(revoked ? { revoked } : {}) };
    } catch (error) {
      return oauthErrorResponse(error);
    }
  }
}

/** RFC 7009 2.1: the token was not issued to the client asking. */
function notYours(): OAuthError {
  return new OAuthError('invalid_request', 'The token was not issued to this client');
}
