import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { OAuthEndpointRequest, OAuthEndpointResponse } from '@platform/contracts';
import { AccessTokenVerifier } from '@platform/security';
import { OAuthClient } from '../clients/oauth-client';
import { SessionStore } from '../sessions/session.store';
import { IssuedTokenStore } from '../tokens/issued-token.store';
import { hashRefreshToken } from '../tokens/refresh-token.codec';
import { ClientAuthentication } from './client-authentication';
import { oauthErrorResponse, oauthResponse } from './oauth-endpoint.responses';
import { OAuthError } from './oauth.error';
import { looksLikeJwt, verifiedAccessToken } from './presented-access-token';
import { TokenRequestParams } from './token-request-params';

/** RFC 7662 2.2: all an inactive token is, for whatever reason. */
const INACTIVE = { active: false };

/**
 * Token introspection (RFC 7662). The caller authenticates as a confidential client (2.1: a
 * public client proves nothing). An access token is active when the verifier accepts it
 * (signature with a published key, so a withdrawn key ends its tokens; times; the revocation
 * lists) and the database agrees (its session live, the token not revoked); a refresh token
 * when its session is live and it is not spent. The caller learns about a token only if it is
 * the token's client or, for an access token, one of its audiences (4: a client must not learn
 * about others' tokens): any other token is `active: false`, as if it did not exist.
 */
@Injectable()
export class IntrospectionEndpoint {
  private readonly issuer: string;

  constructor(
    private readonly authentication: ClientAuthentication,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionStore,
    private readonly issued: IssuedTokenStore,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.issuer = config.get('ISSUER', { infer: true });
  }

  async introspect(request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    try {
      const params = TokenRequestParams.of(request.params, request.clientIp);
      const client = await this.authentication.authenticate(params, request.authorization);
      if (client.clientType !== 'confidential') {
        throw new OAuthError('invalid_client', 'Introspection needs a confidential client');
      }
      const token = params.required('token');
      const answer = looksLikeJwt(token)
        ? await this.accessToken(client, token)
        : await this.refreshToken(client, token);
      return oauthResponse(answer);
    } catch (error) {
      return oauthErrorResponse(error);
    }
  }

  private async accessToken(client: OAuthClient, token: string): Promise<object> {
    const principal = await verifiedAccessToken(this.verifier, token);
    if (!principal) return INACTIVE;
    const visible =
      principal.clientId === client.clientId || principal.audience.includes(client.clientId);
    if (!visible) return INACTIVE;
    const [sessionLive, revoked] = await Promise.all([
      principal.sessionId ? this.sessions.isLive(principal.sessionId) : true,
      this.issued.isRevoked(principal.tokenId),
    ]);
    if (!sessionLive || revoked) return INACTIVE;
    return {
      active: true,
      scope: principal.scopes.join(' '),
      client_id: principal.clientId,
      token_type: 'Bearer',
      exp: principal.expiresAt,
      iat: principal.issuedAt,
      sub: principal.subject,
      aud: principal.audience,
      iss: this.issuer,
      jti: principal.tokenId,
      ...(principal.sessionId ? { sid: principal.sessionId } : {}),
      ...(principal.actor ? { act: principal.actor } : {}),
    };
  }

  private async refreshToken(client: OAuthClient, token: string): Promise<object> {
    if (token.length > 512) return INACTIVE;
    const session = await this.sessions.findByRefreshToken(hashRefreshToken(token));
    if (!session || session.spent || session.clientId !== client.clientId) return INACTIVE;
    return {
      active: true,
      ...(session.scopes ? { scope: session.scopes.join(' ') } : {}),
      client_id: session.clientId,
      token_type: 'refresh_token',
      exp: session.expiresAt,
      iat: session.issuedAt,
      sub: session.userId,
      iss: this.issuer,
      sid: session.sessionId,
    };
  }
}
