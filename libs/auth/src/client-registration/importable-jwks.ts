import { importJWK, type JWK } from 'jose';
import { CLIENT_ASSERTION_SIGNING_ALGORITHMS } from '@platform/contracts';
import type { ClientJwks } from '../clients/oauth-client';
import { InvalidClientMetadataError } from './invalid-client-metadata.error';

type AssertionAlgorithm = (typeof CLIENT_ASSERTION_SIGNING_ALGORITHMS)[number];

/** The key each client assertion algorithm verifies with (RFC 7518 3.3-3.5, RFC 8037 3.1). */
const KEY_TYPES: Record<AssertionAlgorithm, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** RFC 7518 3.3 and 3.5: "A key of size 2048 bits or larger MUST be used". */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * RFC 7591 3.2.2: a `jwks` key the server cannot use is `invalid_client_metadata` at
 * registration, not a failure of every client assertion later (RFC 7523 3). Each key is
 * imported with jose, as the token endpoint will, for every client assertion algorithm that
 * could pick it (by its `alg`, `kty` and `crv`); a key none could pick (an encryption key, say)
 * is never imported there, and is left as it is.
 */
export async function requireImportableKeys(jwks: ClientJwks): Promise<void> {
  for (const key of jwks.keys) {
    for (const alg of CLIENT_ASSERTION_SIGNING_ALGORITHMS) {
      const { kty, crv } = KEY_TYPES[alg];
      if (key.kty !== kty || (crv !== undefined && key.crv !== crv)) continue;
      if (key.alg !== undefined && key.alg !== alg) continue;
      const imported = await importJWK(key as JWK, alg).catch(() => undefined);
      if (!imported || !isLongEnough(imported)) {
        throw new InvalidClientMetadataError(`jwks holds a key that cannot be used for ${alg}`);
      }
    }
  }
}

/** Whether an imported RSA key is of 2048 bits or more; keys of other types are. */
function isLongEnough(key: Awaited<ReturnType<typeof importJWK>>): boolean {
  const modulusLength = (key as { algorithm?: { modulusLength?: unknown } }).algorithm
    ?.modulusLength;
  return typeof modulusLength !== 'number' || modulusLength >= MIN_RSA_MODULUS_BITS;
}
