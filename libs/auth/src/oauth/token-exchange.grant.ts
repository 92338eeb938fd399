import { Injectable } from '@nestjs/common';
import {
  ACCESS_TOKEN_TYPE,
  AUDIENCE_SCOPES,
  ServiceError,
  TOKEN_EXCHANGE_GRANT,
} from '@platform/contracts';
import { AccessTokenVerifier, Principal } from '@platform/security';
import { OAuthClient } from '../clients/oauth-client';
import { SessionStore } from '../sessions/session.store';
import { IssuedTokenStore } from '../tokens/issued-token.store';
import { OAuthError } from './oauth.error';
import { OAuthTokenIssuer } from './oauth-token.issuer';
import { requestedAudiences, requestedScopes } from './requested-scopes';
import { TokenEndpointResponse, TokenGrant } from './token-grant';
import { TokenRequestParams } from './token-request-params';

/** An exchanged token is for one call chain: five minutes at most, never past its subject's. */
const MAX_EXCHANGED_TTL_SECONDS = 300;

/**
 * Token exchange (RFC 8693) for a service calling another on a user's behalf: the acting
 * client presents the user's access token (`subject_token`, verified here like any service
 * verifies it, and refused if revoked) that was issued for it (its `aud` names the client),
 * and names one target (`audience` or `resource`). The result is for that target alone, with
 * the scopes asked (or, without `scope`, all of them) among what the subject token holds, what
 * the target acts on and what the client may ask for; it keeps the subject, session and roles,
 * names the client in `act` (4.1) and `client_id` (4.3), and expires no later than the subject
 * token. Never wider than what came in.
 */
@Injectable()
export class TokenExchangeGrant implements TokenGrant {
  readonly grantType = TOKEN_EXCHANGE_GRANT;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionStore,
    private readonly issued: IssuedTokenStore,
    private readonly tokens: OAuthTokenIssuer,
  ) {}

  async exchange(client: OAuthClient, params: TokenRequestParams): Promise<TokenEndpointResponse> {
    // RFC 8693 2.1: only access tokens are exchanged here, and only for access tokens.
    if (params.required('subject_token_type') !== ACCESS_TOKEN_TYPE) {
      throw new OAuthError('invalid_request', 'Unsupported subject_token_type');
    }
    const requestedType = params.get('requested_token_type');
    if (requestedType !== undefined && requestedType !== ACCESS_TOKEN_TYPE) {
      throw new OAuthError('invalid_request', 'Unsupported requested_token_type');
    }
    if (params.has('actor_token')) {
      throw new OAuthError('invalid_request', 'actor_token is not supported: the client acts');
    }
    const subject = await this.subjectOf(client, params.required('subject_token'));

    const targets = requestedAudiences(params);
    if (targets.length !== 1) throw new OAuthError('invalid_target', 'Name one audience');
    const [target] = targets;
    if (!client.audiences.includes(target) || !subject.audience.includes(target)) {
      throw new OAuthError('invalid_target', 'The client may not ask tokens for this audience');
    }
    const allowed = subject.scopes.filter(
      (scope) =>
        (AUDIENCE_SCOPES[target] as readonly string[]).includes(scope) &&
        client.scopes.includes(scope),
    );
    const asked = requestedScopes(params);
    if (asked?.some((scope) => !allowed.includes(scope))) {
      throw new OAuthError('invalid_scope', 'The exchange would be wider than the subject token');
    }
    const scopes = asked ?? allowed;
    if (scopes.length === 0) throw new OAuthError('invalid_scope', 'No scope is left');

    const ttlSeconds = Math.min(
      MAX_EXCHANGED_TTL_SECONDS,
      client.accessTokenTtlSeconds ?? MAX_EXCHANGED_TTL_SECONDS,
      Math.floor(subject.expiresAt - Date.now() / 1000),
    );
    // 2.2.2: a subject_token refused for any reason is invalid_request, never invalid_grant.
    if (ttlSeconds <= 0) throw new OAuthError('invalid_request', 'The subject token has expired');
    const { accessToken, expiresIn } = await this.tokens.issue({
      grantType: 'token_exchange',
      subject: subject.subject,
      sessionId: subject.sessionId,
      clientId: client.clientId,
      audience: [target],
      scopes,
      roles: subject.roles,
      ttlSeconds,
      actor: { sub: client.clientId, ...(subject.actor ? { act: subject.actor } : {}) },
    });
    return {
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: scopes.join(' '),
    };
  }

  /**
   * The subject token's principal: valid for the acting client (its audience), not revoked by
   * any verifier's list nor, authoritatively, in the database (its session, the token itself).
   */
  private async subjectOf(client: OAuthClient, token: string): Promise<Principal> {
    // RFC 8693 2.2.2: "if either the subject_token or actor_token are invalid for any reason
    // [...] The value of the error parameter MUST be the invalid_request error code."
    const refused = () =>
      new OAuthError('invalid_request', 'The subject token is invalid, expired or revoked');
    let subject: Principal;
    try {
      subject = await this.verifier.verify(token, client.clientId);
    } catch (error) {
      if (error instanceof ServiceError && error.status === 401) throw refused();
      throw error;
    }
    const [sessionLive, revoked] = await Promise.all([
      subject.sessionId ? this.sessions.isLive(subject.sessionId) : true,
      this.issued.isRevoked(subject.tokenId),
    ]);
    if (!sessionLive || revoked) throw refused();
    return subject;
  }
}
