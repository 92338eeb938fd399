/**
 * The JWS algorithms platform tokens may be signed with (RFC 8725 3.1: an explicit allowlist):
 * RS256 and ES256 (RFC 7518 3.1) and EdDSA over Ed25519 (RFC 8037 3.1). Asymmetric only: every
 * service verifies with public keys, so no `HS*`, and never `none`.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly unknown[]).includes(value);
}
