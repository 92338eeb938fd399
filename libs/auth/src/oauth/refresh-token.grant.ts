import { Injectable } from '@nestjs/common';
import type { UserView } from '@platform/contracts';
import { isAccountDisabled, UsersProfileClient } from '../accounts/users-profile.client';
import { OAuthClient } from '../clients/oauth-client';
import { AddressLimits } from '../limits/address-limits';
import { userTokenAudience } from '../oidc/user-token-audience';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { SessionStore } from '../sessions/session.store';
import { firstPartyScopes } from '../tokens/first-party-grant';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-token.codec';
import { OAuthError } from './oauth.error';
import { OAuthTokenIssuer } from './oauth-token.issuer';
import { audienceWithinGrant, requestedClientAudiences, requestedScopes } from './requested-scopes';
import { TokenEndpointResponse, TokenGrant } from './token-grant';
import { TokenRequestParams } from './token-request-params';

/**
 * RFC 6749 6: a refresh token for a new pair, with the rotation and reuse detection of
 * first-party sessions (RFC 9700 4.14.2): the token presented is spent and its successor
 * issued in one statement, only for the client it was issued to; a spent one presented again
 * ends its session. The scopes are the session's grant (or, for first-party sessions, what the
 * user's roles allow now), narrowed by `scope` if asked (never widened); the roles are read
 * afresh, and a disabled account gets nothing.
 */
@Injectable()
export class RefreshTokenGrant implements TokenGrant {
  readonly grantType = 'refresh_token';

  constructor(
    private readonly sessions: SessionStore,
    private readonly revocation: SessionRevocation,
    private readonly profiles: UsersProfileClient,
    private readonly tokens: OAuthTokenIssuer,
    private readonly limits: AddressLimits,
  ) {}

  async exchange(client: OAuthClient, params: TokenRequestParams): Promise<TokenEndpointResponse> {
    const presented = hashRefreshToken(params.required('refresh_token'));
    const resources = requestedClientAudiences(client, params);
    const asked = requestedScopes(params);
    await this.limits.count('refresh', params.clientIp);
    // RFC 6749 6 and RFC 8707 2.2: what is asked is checked against the grant before the token
    // is spent, so a refusal spends nothing (a retry with the token would count as its reuse).
    let user: UserView | undefined;
    const grant =
      resources.length > 0 || asked
        ? await this.sessions.grantOf(presented, client.clientId)
        : undefined;
    if (grant?.resources && resources.length > 0) {
      audienceWithinGrant(client, resources, grant.resources);
    }
    if (grant && asked) {
      user = await this.profileOf(grant.userId);
      scopesWithin(asked, grantedScopes(client, grant.scopes, user.roles));
    }
    const next = newRefreshToken();
    const session = await this.sessions.rotate(
      presented,
      next.hash,
      client.clientId,
      client.refreshTokenTtlSeconds,
    );
    if (!session) {
      const reused = await this.sessions.findSpent(presented);
      const revoked = reused
        ? await this.revocation.refreshTokenReused(reused.userId, reused.sessionId)
        : undefined;
      throw new OAuthError(
        'invalid_grant',
        'The refresh token is invalid, expired or revoked',
        revoked,
      );
    }
    return this.sessions.handOut(presented, next.hash, async () => {
      const profile = user ?? (await this.profileOf(session.userId));
      // Checked again for what the token was spent for: the roles may have changed meanwhile.
      const granted = grantedScopes(client, session.scopes, profile.roles);
      if (asked) scopesWithin(asked, granted);
      const scopes = asked ?? granted;
      const { accessToken, expiresIn } = await this.tokens.issue({
        grantType: 'refresh_token',
        subject: profile.id,
        sessionId: session.sessionId,
        clientId: client.clientId,
        // RFC 8707 2.2: each refresh may ask its token for fewer resources than the grant's.
        audience:
          audienceWithinGrant(client, resources, session.resources) ??
          userTokenAudience(client, scopes),
        scopes,
        roles: profile.roles,
        ttlSeconds: client.accessTokenTtlSeconds,
      });
      return {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: expiresIn,
        refresh_token: next.token,
        scope: scopes.join(' '),
      };
    });
  }

  private profileOf(userId: string): Promise<UserView> {
    return this.profiles.get(userId).catch((error: unknown) => {
      if (isAccountDisabled(error))
        throw new OAuthError('invalid_grant', 'The account is disabled');
      throw error;
    });
  }
}

/** What the client still may ask for, of what was granted; admin only for administrators. */
function grantedScopes(
  client: OAuthClient,
  sessionScopes: readonly string[] | null,
  roles: readonly string[],
): string[] {
  return firstPartyScopes(sessionScopes ?? client.scopes, roles).filter((scope) =>
    client.scopes.includes(scope),
  );
}

/** RFC 6749 6: the scope asked "MUST NOT include any scope not originally granted". */
function scopesWithin(asked: readonly string[], granted: readonly string[]): void {
  if (asked.some((scope) => !granted.includes(scope))) {
    throw new OAuthError('invalid_scope', 'A refresh cannot widen the grant');
  }
}
