import {
  Audience,
  CONTEXTS,
  GRANT_TYPES,
  GrantTypeName,
  isStorableText,
  SCOPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
  TOKEN_EXCHANGE_GRANT,
  TokenEndpointAuthMethod,
} from '@platform/contracts';
import type { ClientRecord } from '../clients/client.store';
import type { ClientJwks, OAuthClient } from '../clients/oauth-client';
import { LOOPBACK_HOSTS } from '../clients/registered-redirect-uri';
import {
  InvalidClientMetadataError,
  InvalidRedirectUriError,
} from './invalid-client-metadata.error';

/** The bounds the platform's configuration puts on a client's token lifetimes. */
export interface LifetimeBounds {
  maxAccessTokenTtlSeconds: number;
  maxRefreshTokenTtlSeconds: number;
}

/** What a registered client may ask for unless its metadata says otherwise. */
const DEFAULT_SCOPES = SCOPES.filter((scope) => scope !== 'admin');

/** Grant types a registration may name: token exchange is the platform services' own. */
const REGISTRABLE_GRANT_TYPES: readonly string[] = GRANT_TYPES.filter(
  (grant) => grant !== TOKEN_EXCHANGE_GRANT,
);

/** JWK members only a private or symmetric key has (RFC 7518 6.2.2, 6.3.2, 6.4). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** RFC 3986 2: unreserved and reserved characters, and well-formed percent-encodings. */
const RFC_3986_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * RFC 7591 2 client metadata, checked and defaulted into what is stored. Fields this server
 * does not know are ignored (RFC 7591 2); known ones with a bad value are refused with
 * `invalid_client_metadata`, a bad redirect URI with `invalid_redirect_uri` (3.2.2). Beside
 * RFC 7591's fields it takes `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout
 * 1.0 3.1), `audiences` and the token lifetimes. Text the database cannot store (a NUL
 * character, an unpaired surrogate) is a bad value like any other.
 */
export function clientRecordOf(
  clientId: string,
  metadata: unknown,
  bounds: LifetimeBounds,
): ClientRecord {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidClientMetadataError('Client metadata must be a JSON object');
  }
  const fields = metadata as Record<string, unknown>;
  if (fields.jwks_uri !== undefined) {
    throw new InvalidClientMetadataError('jwks_uri is not supported: register jwks');
  }
  const method = oneOf(
    fields.token_endpoint_auth_method ?? 'client_secret_basic',
    TOKEN_ENDPOINT_AUTH_METHODS,
    'token_endpoint_auth_method',
  ) as TokenEndpointAuthMethod;
  const redirectUris = redirectUriList(fields.redirect_uris ?? [], 'redirect_uris');
  const postLogoutRedirectUris = redirectUriList(
    fields.post_logout_redirect_uris ?? [],
    'post_logout_redirect_uris',
  );
  const grantTypes = stringList(
    fields.grant_types ??
      (redirectUris.length > 0 ? ['authorization_code', 'refresh_token'] : ['client_credentials']),
    'grant_types',
    1,
    REGISTRABLE_GRANT_TYPES.length,
  );
  for (const grant of grantTypes) oneOf(grant, REGISTRABLE_GRANT_TYPES, 'grant_types');
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new InvalidRedirectUriError('authorization_code needs at least one redirect URI');
  }
  // RFC 6749 4.4: only a confidential client has credentials of its own.
  if (grantTypes.includes('client_credentials') && method === 'none') {
    throw new InvalidClientMetadataError('A public client cannot use client_credentials');
  }
  const scopes =
    fields.scope === undefined
      ? DEFAULT_SCOPES
      : typeof fields.scope === 'string'
        ? [...new Set(fields.scope.split(' ').filter((scope) => scope.length > 0))]
        : invalid('scope must be a space-delimited string');
  for (const scope of scopes) oneOf(scope, SCOPES, 'scope');
  if (scopes.length === 0) throw new InvalidClientMetadataError('scope names no scope');
  const audiences = stringList(fields.audiences ?? [...CONTEXTS], 'audiences', 1, CONTEXTS.length);
  for (const audience of audiences) oneOf(audience, CONTEXTS, 'audiences');
  const jwks = method === 'private_key_jwt' ? publicJwks(fields.jwks) : undefined;
  // `jwks: null` says there are none: how an update takes them away.
  if (method !== 'private_key_jwt' && fields.jwks !== undefined && fields.jwks !== null) {
    throw new InvalidClientMetadataError('jwks is only for private_key_jwt');
  }
  const clientName =
    fields.client_name === undefined
      ? clientId
      : typeof fields.client_name === 'string' &&
          fields.client_name.trim().length > 0 &&
          fields.client_name.length <= 200 &&
          isStorableText(fields.client_name)
        ? fields.client_name.trim()
        : invalid('client_name must be 1 to 200 characters of storable text');
  return {
    clientId,
    clientName,
    grantTypes: grantTypes as GrantTypeName[],
    redirectUris,
    postLogoutRedirectUris,
    scopes,
    audiences: audiences as Audience[],
    tokenEndpointAuthMethod: method,
    ...(jwks ? { jwks } : {}),
    ...lifetime(fields, 'access_token_ttl_seconds', 30, bounds.maxAccessTokenTtlSeconds),
    ...lifetime(fields, 'refresh_token_ttl_seconds', 60, bounds.maxRefreshTokenTtlSeconds),
  };
}

/**
 * A client's metadata in RFC 7591 2 names, as `clientRecordOf` reads it: what the admin API
 * shows and what a partial update starts from.
 */
export function clientMetadataOf(client: OAuthClient) {
  return {
    client_name: client.clientName,
    grant_types: [...client.grantTypes],
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.jwks ? { jwks: client.jwks } : {}),
    audiences: [...client.audiences],
    ...(client.accessTokenTtlSeconds !== undefined
      ? { access_token_ttl_seconds: client.accessTokenTtlSeconds }
      : {}),
    ...(client.refreshTokenTtlSeconds !== undefined
      ? { refresh_token_ttl_seconds: client.refreshTokenTtlSeconds }
      : {}),
  };
}

/** The metadata fields that list URIs a browser is sent to, checked alike. */
type RedirectUriField = 'redirect_uris' | 'post_logout_redirect_uris';

/**
 * A list of at most 20 URIs a browser is sent to: `redirect_uris` (RFC 7591 2) or
 * `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout 1.0 3.1). RFC 7591 3.2.2's
 * `invalid_redirect_uri` is for redirection URIs, the authorization response's (RFC 6749
 * 3.1.2; OpenID Connect Dynamic Client Registration 1.0 3.3 says "redirect_uris"), so a bad
 * post-logout URI is `invalid_client_metadata`, the code for any other field's bad value.
 */
function redirectUriList(value: unknown, field: RedirectUriField): string[] {
  const refuse = (description: string) =>
    field === 'redirect_uris'
      ? new InvalidRedirectUriError(description)
      : new InvalidClientMetadataError(description);
  if (
    !Array.isArray(value) ||
    value.length > 20 ||
    !value.every((uri) => typeof uri === 'string')
  ) {
    throw refuse(`${field} must be a list of at most 20 URIs`);
  }
  if (new Set(value).size !== value.length) {
    throw new InvalidClientMetadataError(`${field} lists a value twice`);
  }
  const uris = value as string[];
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw refuse(`${field}: ${problem}`);
  }
  return uris;
}

/**
 * RFC 9700 2.1 and RFC 8252 7: an absolute URI without a fragment, compared exactly later;
 * https, http on a loopback host only, or a native app's private-use scheme (with a dot,
 * RFC 8252 7.1). RP-Initiated Logout 1.0 3.1 allows no more for post-logout URIs: https, and
 * http where the OP allows it (here on a loopback host only). Undefined when acceptable.
 */
function redirectUriProblem(uri: string): string | undefined {
  // The URL parser percent-encodes these, but the URI is kept as given, to compare exactly.
  if (!isStorableText(uri)) return 'none may hold a NUL character or an unpaired surrogate';
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return 'each must be an absolute URI';
  }
  if (uri.includes('#')) return 'none may have a fragment';
  // RFC 6749 3.1.2 and RFC 3986 2: a URI is ASCII, anything else percent-encoded (a domain name
  // as its A-label). The URI goes out in a Location header as registered, which cannot carry a
  // line break or a character beyond Latin-1 (every response to it failed) and mangles the rest.
  if (!RFC_3986_CHARACTERS.test(uri)) {
    return 'each must be written in RFC 3986 characters (percent-encoded, a domain as an A-label)';
  }
  if (uri.length > 2000) return 'one is too long';
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme === 'https') return undefined;
  if (scheme === 'http' && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  if (scheme.includes('.') && !['javascript', 'data', 'file', 'vbscript'].includes(scheme)) {
    return undefined;
  }
  return 'each must be https, http on a loopback host, or a private-use scheme';
}

/** A JWK Set of public keys only (RFC 7517 5; RFC 7591 2 `jwks`). */
function publicJwks(value: unknown): ClientJwks {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as ClientJwks).keys)) {
    throw new InvalidClientMetadataError('private_key_jwt needs jwks, a JWK Set');
  }
  const keys = (value as ClientJwks).keys;
  if (keys.length < 1 || keys.length > 10) {
    throw new InvalidClientMetadataError('jwks must hold 1 to 10 keys');
  }
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      throw new InvalidClientMetadataError('jwks holds a key that is not a JWK');
    }
    if (!['RSA', 'EC', 'OKP'].includes(key.kty as string)) {
      throw new InvalidClientMetadataError('jwks keys must be RSA, EC or OKP public keys');
    }
    if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(key, member))) {
      throw new InvalidClientMetadataError('jwks must hold public keys only');
    }
  }
  if (JSON.stringify(value).length > 20_000) {
    throw new InvalidClientMetadataError('jwks is too large');
  }
  if (!holdsStorableTextOnly(keys)) {
    throw new InvalidClientMetadataError('jwks holds a NUL character or an unpaired surrogate');
  }
  return { keys: keys.map((key) => ({ ...key })) };
}

/** Every member name and string in a JSON value is storable text (`jsonb` refuses `\u0000`). */
function holdsStorableTextOnly(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (typeof value !== 'object' || value === null) return true;
  return Object.entries(value).every(
    ([name, member]) => isStorableText(name) && holdsStorableTextOnly(member),
  );
}

function lifetime(
  fields: Record<string, unknown>,
  name: 'access_token_ttl_seconds' | 'refresh_token_ttl_seconds',
  min: number,
  max: number,
): Partial<ClientRecord> {
  const value = fields[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidClientMetadataError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return name === 'access_token_ttl_seconds'
    ? { accessTokenTtlSeconds: value }
    : { refreshTokenTtlSeconds: value };
}

function stringList(value: unknown, name: string, min: number, max: number): string[] {
  if (
    !Array.isArray(value) ||
    value.length < min ||
    value.length > max ||
    !value.every((entry) => typeof entry === 'string')
  ) {
    throw new InvalidClientMetadataError(`${name} must be a list of ${min} to ${max} strings`);
  }
  if (new Set(value).size !== value.length) {
    throw new InvalidClientMetadataError(`${name} lists a value twice`);
  }
  return value as string[];
}

function oneOf(value: unknown, allowed: readonly string[], name: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidClientMetadataError(`${name}: unsupported value`);
  }
  return value;
}

function invalid(description: string): never {
  throw new InvalidClientMetadataError(description);
}
