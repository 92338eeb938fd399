import { KeyObject, sign } from 'node:crypto';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/**
 * A JWS in compact serialization (RFC 7515 7.1), signed with node:crypto directly: one call,
 * no PEM parsing per token, and the header is exactly what we write (RFC 8725 3.11: explicit
 * typing). ES256 signatures are the raw R||S concatenation RFC 7518 3.4 requires, not DER.
 */
export function signCompactJws(
  header: { alg: SigningAlgorithm; kid: string; typ: string },
  payload: object,
  key: KeyObject,
): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const data = Buffer.from(signingInput, 'ascii');
  const signature =
    header.alg === 'EdDSA'
      ? sign(null, data, key)
      : header.alg === 'ES256'
        ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', data, key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
