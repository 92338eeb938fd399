import {
  CLIENT_ASSERTION_SIGNING_ALGORITHMS,
  GRANT_TYPES,
  OAUTH_PATHS,
  SCOPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from '@platform/contracts';

/**
 * Authorization server metadata (RFC 8414 2; OpenID Connect Discovery 1.0 3) for what this
 * build serves: every endpoint listed is served, every value listed is accepted.
 */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, '');
  const url = (path: string) => `${base}${path}`;
  return {
    issuer,
    jwks_uri: url(OAUTH_PATHS.jwks),
    token_endpoint: url(OAUTH_PATHS.token),
    scopes_supported: SCOPES,
    grant_types_supported: GRANT_TYPES,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_SIGNING_ALGORITHMS,
    // The hosted login and OpenID Connect (authorization code with PKCE, ID tokens, userinfo,
    // RP-initiated logout) go here as they are served.
    response_types_supported: [],
  };
}
