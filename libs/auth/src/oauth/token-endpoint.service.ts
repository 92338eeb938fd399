import { Inject, Injectable } from '@nestjs/common';
import { GRANT_TYPES, OAuthEndpointRequest, OAuthEndpointResponse } from '@platform/contracts';
import { ClientAuthentication } from './client-authentication';
import { oauthErrorResponse, oauthResponse } from './oauth-endpoint.responses';
import { OAuthError } from './oauth.error';
import { TOKEN_GRANTS, TokenGrant } from './token-grant';
import { TokenRequestParams } from './token-request-params';

/**
 * The token endpoint (RFC 6749 3.2): authenticates the client, finds the grant type's handler,
 * checks the client may use it, and answers in HTTP terms. `implicit` and `password` are not
 * grant types here (RFC 9700 2.1.2, 2.4), so they are `unsupported_grant_type` like any other
 * unknown value.
 */
@Injectable()
export class TokenEndpoint {
  private readonly grants: Map<string, TokenGrant>;

  constructor(
    private readonly authentication: ClientAuthentication,
    @Inject(TOKEN_GRANTS) grants: TokenGrant[],
  ) {
    this.grants = new Map(grants.map((grant) => [grant.grantType, grant]));
    const unknown = grants.filter(
      (grant) => !(GRANT_TYPES as readonly string[]).includes(grant.grantType),
    );
    if (unknown.length > 0) {
      throw new Error(
        `Grant types missing from GRANT_TYPES: ${unknown.map((g) => g.grantType).join(', ')}`,
      );
    }
  }

  async token(request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    try {
      const params = TokenRequestParams.of(request.params, request.clientIp);
      const client = await this.authentication.authenticate(params, request.authorization);
      const grantType = params.required('grant_type');
      const grant = this.grants.get(grantType);
      if (!grant) throw new OAuthError('unsupported_grant_type', 'Unsupported grant_type');
      if (!(client.grantTypes as readonly string[]).includes(grantType)) {
        throw new OAuthError('unauthorized_client', 'The client may not use this grant type');
      }
      return oauthResponse(await grant.exchange(client, params));
    } catch (error) {
      return oauthErrorResponse(error);
    }
  }
}
