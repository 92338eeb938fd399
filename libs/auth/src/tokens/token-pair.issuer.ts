import { Injectable } from '@nestjs/common';
import { FIRST_PARTY_CLIENT_ID, TokenResponse, UserView } from '@platform/contracts';
import { AccessTokenIssuer } from './access-token.issuer';
import { FIRST_PARTY_AUDIENCE, firstPartyScopes } from './first-party-grant';

/** The first-party token response of a session: an access token and its refresh token. */
@Injectable()
export class TokenPairIssuer {
  constructor(private readonly accessTokens: AccessTokenIssuer) {}

  async issue(
    user: UserView,
    sessionId: string,
    refreshToken: string,
    grantType: 'password' | 'refresh_token',
  ): Promise<TokenResponse> {
    const accessToken = await this.accessTokens.issue({
      grantType,
      subject: user.id,
      sessionId,
      clientId: FIRST_PARTY_CLIENT_ID,
      audience: [...FIRST_PARTY_AUDIENCE],
      scopes: firstPartyScopes(user.roles),
      roles: user.roles,
    });
    // RFC 6749 5.1.
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
      refresh_token: refreshToken,
    };
  }
}
