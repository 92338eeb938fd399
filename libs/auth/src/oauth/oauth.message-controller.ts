import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, OAuthEndpointRequest, OAuthEndpointResponse } from '@platform/contracts';
import { ClientAddressFrom, Public } from '@platform/security';
import { IntrospectionEndpoint } from './introspection-endpoint.service';
import { RevocationEndpoint } from './revocation-endpoint.service';
import { TokenEndpoint } from './token-endpoint.service';

/**
 * The OAuth endpoints as the gateway relays them. Public: the caller is an OAuth client, which
 * authenticates in the request itself (RFC 6749 2.3), not with a bearer token. The client's
 * address, which the refresh limit counts, is believed from the gateway alone.
 */
@Public()
@ClientAddressFrom('gateway')
@Controller()
export class OAuthMessageController {
  constructor(
    private readonly tokenEndpoint: TokenEndpoint,
    private readonly revocationEndpoint: RevocationEndpoint,
    private readonly introspectionEndpoint: IntrospectionEndpoint,
  ) {}

  @MessagePattern(AuthPattern.OAuthToken)
  token(@Payload() request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    return this.tokenEndpoint.token(request);
  }

  @MessagePattern(AuthPattern.OAuthRevoke)
  revoke(@Payload() request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    return this.revocationEndpoint.revoke(request);
  }

  @MessagePattern(AuthPattern.OAuthIntrospect)
  introspect(@Payload() request: OAuthEndpointRequest): Promise<OAuthEndpointResponse> {
    return this.introspectionEndpoint.introspect(request);
  }
}
