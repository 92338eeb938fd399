import { JsonWebKey, KeyObject, sign, verify } from 'node:crypto';
import { SigningAlgorithm } from '@platform/contracts';

/** RFC 7518 3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Whether a key may verify signatures of `alg` (RFC 8725 3.1: each key is used with exactly one
 * algorithm): the JWK's `kty`/`crv` and the imported key's type must both be the ones `alg`
 * means, and the JWK must not be restricted to another use (RFC 7517 4.2, 4.3).
 */
export function keyFitsAlgorithm(jwk: JsonWebKey, key: KeyObject, alg: SigningAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
    return false;
  const jwkFits =
    alg === 'RS256'
      ? jwk.kty === 'RSA'
      : alg === 'ES256'
        ? jwk.kty === 'EC' && jwk.crv === 'P-256'
        : jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  return jwkFits && keyTypeFitsAlgorithm(key, alg);
}

/**
 * Whether an imported key (public or private) is of the type `alg` means: RSA of at least 2048
 * bits, P-256, or Ed25519 (RFC 8037 3.1; of the EdDSA curves only Ed25519 is allowed here).
 */
export function keyTypeFitsAlgorithm(key: KeyObject, alg: SigningAlgorithm): boolean {
  switch (alg) {
    case 'RS256':
      return (
        key.asymmetricKeyType === 'rsa' &&
        (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS
      );
    case 'ES256':
      return (
        key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      );
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519';
  }
}

/**
 * Signs `signingInput` (RFC 7515 5.1 step 5) with `alg`; ES256 gives the raw 64-byte `R || S`
 * RFC 7518 3.4 requires, not DER. The counterpart of `verifySignature`. The signature is
 * computed on libuv's thread pool: an RSA signature takes most of a millisecond, which the event
 * loop spends on other requests meanwhile.
 */
export function createSignature(
  alg: SigningAlgorithm,
  key: KeyObject,
  signingInput: Buffer,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, signature: Buffer) =>
      error ? reject(error) : resolve(signature);
    switch (alg) {
      case 'RS256':
        return sign('sha256', signingInput, key, done);
      case 'ES256':
        return sign('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, done);
      case 'EdDSA':
        return sign(null, signingInput, key, done);
    }
  });
}

/**
 * Verifies a JWS signature over `signingInput` (RFC 7515 5.2 step 8) with the one algorithm the
 * key is bound to. ES256 signatures are the raw 64-byte `R || S` of RFC 7518 3.4, not DER.
 */
export function verifySignature(
  alg: SigningAlgorithm,
  key: KeyObject,
  signingInput: Buffer,
  signature: Buffer,
): boolean {
  try {
    switch (alg) {
      case 'RS256':
        return verify('sha256', signingInput, key, signature);
      case 'ES256':
        return (
          signature.length === 64 &&
          verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature)
        );
      case 'EdDSA':
        return signature.length === 64 && verify(null, signingInput, key, signature);
    }
  } catch {
    // A signature OpenSSL cannot even parse is simply not a valid one.
    return false;
  }
}
