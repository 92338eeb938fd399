import type { Audience, GrantTypeName, TokenEndpointAuthMethod } from '@platform/contracts';

/** RFC 6749 2.1: a confidential client can keep a credential; a public one cannot. */
export type ClientType = 'confidential' | 'public';

/** A JWK Set (RFC 7517 5) of a client's public keys, for `private_key_jwt`. */
export interface ClientJwks {
  keys: Record<string, unknown>[];
}

/**
 * An OAuth 2.0 client as the authorization server knows it: what it may ask for and how it
 * proves who it is. Registered clients come from `auth.oauth_clients`; the first-party client
 * and the platform's services are built in, from configuration.
 */
export interface OAuthClient {
  readonly clientId: string;
  readonly clientType: ClientType;
  readonly clientName: string;
  readonly grantTypes: readonly GrantTypeName[];
  /** Compared exactly, character for character (RFC 9700 2.1). */
  readonly redirectUris: readonly string[];
  /**
   * Where the end_session endpoint may send the browser after logout (OpenID Connect
   * RP-Initiated Logout 1.0 3.1), compared exactly (3); none unless registered.
   */
  readonly postLogoutRedirectUris: readonly string[];
  /** The scopes it may ask for; a token never carries another. */
  readonly scopes: readonly string[];
  /** The services it may ask tokens for; a token is never for another. */
  readonly audiences: readonly Audience[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly jwks?: ClientJwks;
  /** At most `ACCESS_TOKEN_TTL_SECONDS`; unset: that. */
  readonly accessTokenTtlSeconds?: number;
  /** Idle lifetime of its refresh tokens, at most `REFRESH_IDLE_DAYS`; unset: that. */
  readonly refreshTokenTtlSeconds?: number;
  /** The platform's own: it may skip consent, and it is not managed through the admin API. */
  readonly firstParty: boolean;
  /** Built in from configuration: neither changed nor deleted through the admin API. */
  readonly builtIn: boolean;
  /** Roles of the tokens it holds for itself (`client_credentials`): `service` for services. */
  readonly roles: readonly string[];
  /** Epoch seconds. */
  readonly createdAt: number;
}

/** A stored client secret: its keyed hash and the id of the key it was hashed under. */
export interface StoredSecret {
  readonly hash: Buffer;
  readonly keyId: string;
}

/** A client with what authenticates it, for the client authentication of RFC 6749 2.3 only. */
export interface AuthenticatableClient {
  readonly client: OAuthClient;
  readonly secret?: StoredSecret;
}
