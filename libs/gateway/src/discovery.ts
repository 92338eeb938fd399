import {
  CLIENT_ASSERTION_SIGNING_ALGORITHMS,
  SIGNING_ALGORITHMS,
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
    authorization_endpoint: url(OAUTH_PATHS.authorization),
    token_endpoint: url(OAUTH_PATHS.token),
    userinfo_endpoint: url(OAUTH_PATHS.userinfo),
    end_session_endpoint: url(OAUTH_PATHS.endSession),
    scopes_supported: SCOPES,
    grant_types_supported: GRANT_TYPES,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_SIGNING_ALGORITHMS,
    // The code flow only (RFC 9700 2.1.2), with PKCE S256 required of every client (2.1.1),
    // and `iss` in every authorization response (RFC 9207 3).
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['none', 'login', 'consent'],
    // OpenID Connect Discovery 1.0 3: ID tokens and userinfo.
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: SIGNING_ALGORITHMS,
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'sid',
      'at_hash',
      'name',
      'email',
      'email_verified',
    ],
  };
}
