import { IsString, Length, Matches } from 'class-validator';

/**
 * Client metadata as `POST /v1/admin/clients` and `PATCH /v1/admin/clients/:id` take it
 * (RFC 7591 2), plus `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout 1.0 3.1)
 * and `audiences`. Auth validates it itself, so that a bad value is the RFC 7591
 * 3.2.2 error (`invalid_redirect_uri`, `invalid_client_metadata`) and not a generic one; this
 * class documents the shape.
 */
export class ClientMetadataDto {
  /** Human-readable name (RFC 7591 2). */
  client_name?: string;
  /** RFC 7591 2; default `["client_credentials"]` when there are no redirect URIs, else `["authorization_code", "refresh_token"]`. */
  grant_types?: string[];
  /** Exact redirect URIs (https, or http on a loopback host), required for `authorization_code`. */
  redirect_uris?: string[];
  /** Exact URIs the end_session endpoint may send the browser back to after logout (OpenID Connect RP-Initiated Logout 1.0 3.1), checked as redirect URIs are, at most 20; default none. */
  post_logout_redirect_uris?: string[];
  /** Space-delimited scopes the client may ask for; default every scope but `admin`. */
  scope?: string;
  /** Default `client_secret_basic`; `none` makes a public client. */
  token_endpoint_auth_method?: string;
  /** A JWK Set of the client's public keys, required for `private_key_jwt`. */
  jwks?: { keys: Record<string, unknown>[] };
  /** The services the client may ask tokens for; default every platform service. */
  audiences?: string[];
  /** Lifetime of its access tokens, 30 s to `ACCESS_TOKEN_TTL_SECONDS`. */
  access_token_ttl_seconds?: number;
  /** Idle lifetime of its refresh tokens, 60 s to `REFRESH_IDLE_DAYS`. */
  refresh_token_ttl_seconds?: number;
}

/** Path parameter of the client routes, and payload of the messages naming one client. */
export class ClientIdDto {
  /** The `client_id`. */
  @IsString()
  @Length(1, 128)
  @Matches(/^[\x21-\x7E]+$/, { message: 'id must be visible ASCII' })
  id!: string;
}

/** `auth.client.register` payload: the metadata, validated by auth (RFC 7591 3.2.2). */
export interface RegisterClientCommand {
  metadata: Record<string, unknown>;
}

/** `auth.client.update` payload: the client and the metadata that replaces what it names. */
export interface UpdateClientCommand {
  id: string;
  metadata: Record<string, unknown>;
}
