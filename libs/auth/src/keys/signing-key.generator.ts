import { generateKeyPair, KeyObject, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { SigningAlgorithm } from '@platform/contracts';
import { keyTypeFitsAlgorithm } from '@platform/security';

/**
 * A public signing key as published: its parameters (RFC 7518 6.3.1 RSA, 6.2.1 EC; RFC 8037 2
 * OKP) plus `kid`, `alg` and `use: sig` (RFC 7517 4). Never a private member.
 */
export type PublicJwk = {
  kty: 'RSA' | 'EC' | 'OKP';
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
};

export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  /** The public half as published in the JWKS: key parameters plus `kid`, `alg`, `use: sig`. */
  publicJwk: PublicJwk;
  privateKey: KeyObject;
}

const generate = promisify(generateKeyPair);

/**
 * A fresh key pair for `alg`: RSA 2048 for RS256 (the RFC 7518 3.3 minimum, and fast enough to
 * sign every access token), P-256 for ES256 (RFC 7518 3.4), Ed25519 for EdDSA (RFC 8037).
 * The `kid` is 128 random bits, so it says nothing about the key and cannot be steered.
 */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const { privateKey, publicKey } = await generatePair(alg);
  const kid = randomBytes(16).toString('base64url');
  return { kid, alg, publicJwk: toPublicJwk(publicKey, kid, alg), privateKey };
}

/** The JWKS entry for a public key; only the public members are copied. */
export function toPublicJwk(publicKey: KeyObject, kid: string, alg: SigningAlgorithm): PublicJwk {
  if (publicKey.type !== 'public') throw new Error('toPublicJwk needs a public key');
  assertKeyFitsAlgorithm(publicKey, alg);
  const { kty, n, e, crv, x, y } = publicKey.export({ format: 'jwk' });
  const members = { n, e, crv, x, y };
  return {
    kty: kty as PublicJwk['kty'],
    ...Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined)),
    kid,
    alg,
    use: 'sig',
  };
}

/**
 * Refuses a key that cannot produce `alg` signatures, e.g. an RSA key labelled ES256, or an RSA
 * key under the 2048 bits RFC 7518 3.3 requires.
 */
export function assertKeyFitsAlgorithm(key: KeyObject, alg: SigningAlgorithm): void {
  if (!keyTypeFitsAlgorithm(key, alg))
    throw new Error(`This ${key.asymmetricKeyType ?? 'secret'} key cannot sign ${alg}`);
}

function generatePair(alg: SigningAlgorithm) {
  switch (alg) {
    case 'RS256':
      return generate('rsa', { modulusLength: 2048 });
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generate('ed25519');
  }
}
