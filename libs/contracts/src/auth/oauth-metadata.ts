/**
 * What the authorization server implements, in the names of the OAuth registries (RFC 8414 2,
 * RFC 7591 2): the discovery document, client registration and the token endpoint all read
 * these lists, so none of them can advertise or accept something the others do not.
 */

/** RFC 8693 2.1: the grant type of token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 3: the token type of an OAuth 2.0 access token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Grant types the token endpoint serves. No `implicit` and no `password` (RFC 9700 2.1.2,
 * 2.4): both are refused with `unsupported_grant_type`.
 */
export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  TOKEN_EXCHANGE_GRANT,
] as const;

export type GrantTypeName = (typeof GRANT_TYPES)[number];

/** RFC 7591 2: how a client authenticates at the token, revocation and introspection endpoints. */
export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;

export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** RFC 7523 2.2: algorithms a `private_key_jwt` client assertion may be signed with. */
export const CLIENT_ASSERTION_SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** Paths of the OAuth 2.0 / OpenID Connect endpoints the gateway serves (public contract). */
export const OAUTH_PATHS = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  userinfo: '/oauth2/userinfo',
  endSession: '/oauth2/logout',
  jwks: '/.well-known/jwks.json',
} as const;

/**
 * RFC 8707 2: the resource indicator of a platform service, an absolute URI naming it. A token
 * requested for it has the service's name as `aud`; `audience` (RFC 8693 2.1) may name the
 * service directly.
 */
export const RESOURCE_INDICATOR_PREFIX = 'urn:identity-platform:service:';
