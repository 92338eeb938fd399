import { Injectable } from '@nestjs/common';
import { TokenResponse, UserView } from '@platform/contracts';
import { BuiltInClients } from '../clients/built-in-clients';
import { AccessTokenIssuer } from './access-token.issuer';
import { firstPartyScopes } from './first-party-grant';

/**
 * The first-party token response of a session: an access token and its refresh token, for the
 * built-in first-party client's audiences and scopes (`FIRST_PARTY_AUDIENCES`,
 * `FIRST_PARTY_SCOPES`).
 */
@Injectable()
export class TokenPairIssuer {
  constructor(
    private readonly accessTokens: AccessTokenIssuer,
    private readonly clients: BuiltInClients,
  ) {}

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
      clientId: this.clients.firstParty.clientId,
      audience: [...this.clients.firstParty.audiences],
      scopes: firstPartyScopes(this.clients.firstParty.scopes, user.roles),
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
