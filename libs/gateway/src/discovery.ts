import {
  CLIENT_ASSERTION_SIGNING_ALGORITHMS,
  GRANT_TYPES,
  OAUTH_PATHS,
  SCOPES,
  type SigningAlgorithm,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from '@platform/contracts';

/** OpenID Connect Core 2, 5.1: the claims ID tokens and userinfo may carry. */
const ID_TOKEN_CLAIMS = [
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
];

/**
 * Authorization server metadata (RFC 8414 2; OpenID Connect Discovery 1.0 3) for what this
 * build serves: every endpoint listed is served, every value listed is accepted.
 */
export function discoveryDocument(
  issuer: string,
  signingAlgorithm: SigningAlgorithm,
): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, '');
  const url = (path: string) => `${base}${path}`;
  return {
    issuer,
    jwks_uri: url(OAUTH_PATHS.jwks),
    token_endpoint: url(OAUTH_PATHS.token),
    revocation_endpoint: url(OAUTH_PATHS.revocation),
    introspection_endpoint: url(OAUTH_PATHS.introspection),
    scopes_supported: SCOPES,
    grant_types_supported: GRANT_TYPES,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_SIGNING_ALGORITHMS,
    // RFC 7009 2.1: a public client identifies itself with its client_id.
    revocation_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_SIGNING_ALGORITHMS,
    // RFC 7662 2.1: only a client that can authenticate may introspect.
    introspection_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS.filter(
      (method) => method !== 'none',
    ),
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_SIGNING_ALGORITHMS,
    // The browser side (OpenID Connect Core, RFC 9207, RFC 7636): the hosted login and consent
    // at the authorization endpoint, ID tokens, userinfo and RP-initiated logout.
    authorization_endpoint: url(OAUTH_PATHS.authorization),
    userinfo_endpoint: url(OAUTH_PATHS.userinfo),
    end_session_endpoint: url(OAUTH_PATHS.endSession),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // OpenID Connect Discovery 1.0 3: omitted, this one defaults to true; request objects are
    // refused (`request_uri_not_supported`, `request_not_supported`, Core 6).
    request_uri_parameter_supported: false,
    request_parameter_supported: false,
    claims_parameter_supported: false,
    subject_types_supported: ['public'],
    // The platform's signing keys sign ID tokens too, all with `SIGNING_ALG` (RS256 by default).
    id_token_signing_alg_values_supported: [signingAlgorithm],
    claims_supported: ID_TOKEN_CLAIMS,
  };
}
