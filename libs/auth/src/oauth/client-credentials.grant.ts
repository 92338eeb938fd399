import { Injectable } from '@nestjs/common';
import { OAuthClient } from '../clients/oauth-client';
import { OAuthError } from './oauth.error';
import { OAuthTokenIssuer } from './oauth-token.issuer';
import { requestedClientAudiences, requestedScopes } from './requested-scopes';
import { TokenEndpointResponse, TokenGrant } from './token-grant';
import { TokenRequestParams } from './token-request-params';

/**
 * RFC 6749 4.4: a confidential client's token for itself. `sub` is the client (never a user);
 * the audience is what `resource` (RFC 8707) or `audience` names, among the client's, or
 * without either all of the client's; the scopes are those asked for, among the client's, or
 * without `scope` all of them. No refresh token (4.4.3).
 */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant {
  readonly grantType = 'client_credentials';

  constructor(private readonly tokens: OAuthTokenIssuer) {}

  async exchange(client: OAuthClient, params: TokenRequestParams): Promise<TokenEndpointResponse> {
    // RFC 6749 4.4: confidential clients only; a public client proves nothing of itself.
    if (client.clientType !== 'confidential') {
      throw new OAuthError('unauthorized_client', 'A public client has no token of its own');
    }
    const asked = requestedClientAudiences(client, params);
    const audience = asked.length > 0 ? asked : [...client.audiences];
    const askedScopes = requestedScopes(params);
    if (askedScopes?.some((scope) => !client.scopes.includes(scope))) {
      throw new OAuthError('invalid_scope', 'The client may not ask for this scope');
    }
    const scopes = askedScopes ?? [...client.scopes];
    const { accessToken, expiresIn } = await this.tokens.issue({
      grantType: 'client_credentials',
      subject: client.clientId,
      clientId: client.clientId,
      audience,
      scopes,
      roles: client.roles,
      ttlSeconds: client.accessTokenTtlSeconds,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: scopes.join(' '),
    };
  }
}
