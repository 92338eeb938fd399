import type { JsonWebKey } from 'node:crypto';

/**
 * Where the authorization server's public keys come from (a JWK Set, RFC 7517 5). The platform's
 * implementation asks the auth context over the message bus; tests use a fixed set.
 */
export interface JwksSource {
  /** The current set; must settle in bounded time (a `MessageBus` request times out). */
  fetchJwks(): Promise<{ keys: JsonWebKey[] }>;
}

/** Injection token of the application's `JwksSource`. */
export const JWKS_SOURCE = Symbol('JWKS_SOURCE');
