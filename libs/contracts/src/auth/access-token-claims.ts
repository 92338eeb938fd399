import type { ContextName } from '../platform/contexts';

/**
 * A service a token may be for. Every context checks that `aud` names it (RFC 9068 4), so the
 * audiences are the contexts' names.
 */
export type Audience = ContextName;

/**
 * The claims of every access token the platform issues: the JWT profile for OAuth 2.0 access
 * tokens (RFC 9068 2.2) plus `sid` and `roles`. Times are epoch seconds. Its JOSE header is
 * `{alg, kid, typ: "at+jwt"}` (RFC 9068 2.1).
 */
export interface AccessTokenClaims {
  /** The authorization server's issuer identifier (`ISSUER`). */
  iss: string;
  /** The user, or the client itself for a token a client holds for itself. */
  sub: string;
  /** The services the token is for. */
  aud: Audience[];
  exp: number;
  iat: number;
  /** Unique per token: what a single token's revocation names. */
  jti: string;
  /** The OAuth client the token was issued to (RFC 8693 4.3). */
  client_id: string;
  /** Space-delimited scopes (RFC 6749 3.3). */
  scope: string;
  /** The session the token belongs to; absent when there is none. */
  sid?: string;
  /** The subject's roles (RFC 9068 2.2.3.1, as in RFC 7643 4.1.2). */
  roles: string[];
  /** RFC 8693 4.1: the client acting for `sub` (a token exchange), with any earlier actor. */
  act?: ActorClaim;
}

/** RFC 8693 4.1: the `act` claim. */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

/** The audience HTTP requests are checked for: the gateway serves the platform's HTTP API. */
export const HTTP_AUDIENCE: Audience = 'gateway';

/**
 * The `client_id` of tokens issued to the platform's own sign-in (`POST /v1/auth/login`). Only
 * such a token with a `sid` is a first-party session, which account management requires.
 */
export const FIRST_PARTY_CLIENT_ID = 'identity-platform';
