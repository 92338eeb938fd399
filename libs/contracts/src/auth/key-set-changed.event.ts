/** A public signing key as published: a JWK (RFC 7517 4) naming its `kid` and `alg`. */
export interface PublishedJwk {
  kid: string;
  alg: string;
  kty: string;
  use?: string;
  [member: string]: unknown;
}

/**
 * `auth.keys.changed`: the whole JWK Set (RFC 7517 5) verifiers must trust from now on, not a
 * difference, so the last event alone says which keys are good and a verifier that starts late
 * needs no other.
 */
export interface KeySetChangedEvent {
  keys: PublishedJwk[];
}
