import { ClientInformationView } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';

/** RFC 7591 3.2.1: a client as the admin API shows it, with its secret only when just made. */
export function clientInformationOf(client: OAuthClient, secret?: string): ClientInformationView {
  return {
    client_id: client.clientId,
    client_id_issued_at: client.createdAt,
    ...(secret !== undefined ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_name: client.clientName,
    grant_types: [...client.grantTypes],
    redirect_uris: [...client.redirectUris],
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.jwks ? { jwks: client.jwks } : {}),
    audiences: [...client.audiences],
    client_type: client.clientType,
    ...(client.accessTokenTtlSeconds !== undefined
      ? { access_token_ttl_seconds: client.accessTokenTtlSeconds }
      : {}),
    ...(client.refreshTokenTtlSeconds !== undefined
      ? { refresh_token_ttl_seconds: client.refreshTokenTtlSeconds }
      : {}),
  };
}
