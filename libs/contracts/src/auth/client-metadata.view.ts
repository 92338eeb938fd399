import type { Audience } from './access-token-claims';
import type { TokenEndpointAuthMethod } from './oauth-metadata';

/**
 * A registered OAuth client as the admin API shows it: the client information response of
 * RFC 7591 3.2.1 (the metadata as registered, `client_id` and when it was issued) plus the
 * platform's `audiences` and lifetimes. `client_secret` is there only in the answer that made
 * it (registration, rotation), never again.
 */
export class ClientInformationView {
  client_id!: string;
  /** Seconds since the epoch (RFC 7591 3.2.1). */
  client_id_issued_at!: number;
  /** Only in the answer that generated it. */
  client_secret?: string;
  /** 0: the secret does not expire (RFC 7591 3.2.1); present whenever a secret is. */
  client_secret_expires_at?: number;
  client_name!: string;
  grant_types!: string[];
  redirect_uris!: string[];
  /** Where the end_session endpoint may send the browser after logout (OpenID Connect RP-Initiated Logout 1.0 3.1). */
  post_logout_redirect_uris!: string[];
  /** Space-delimited scopes the client may ask for (RFC 7591 2). */
  scope!: string;
  token_endpoint_auth_method!: TokenEndpointAuthMethod;
  /** The client's public keys, for `private_key_jwt` (RFC 7591 2). */
  jwks?: { keys: Record<string, unknown>[] };
  /** The services the client may ask tokens for. */
  audiences!: Audience[];
  /** `confidential` when it authenticates, `public` for `none` (RFC 6749 2.1). */
  client_type!: 'confidential' | 'public';
  access_token_ttl_seconds?: number;
  refresh_token_ttl_seconds?: number;
}
