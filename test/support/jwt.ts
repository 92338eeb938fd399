import { createPublicKey, verify } from 'node:crypto';

/** Decodes a compact JWS without trusting it. */
export function decodeJwt(token: string): { header: any; payload: any } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/** Checks a token's signature against a JWK Set independently of the platform's own code. */
export function signatureIsValid(token: string, jwks: { keys: any[] }): boolean {
  const [header, payload, signature] = token.split('.');
  const { kid, alg } = decodeJwt(token).header;
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk || jwk.alg !== alg) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(`${header}.${payload}`);
  const bytes = Buffer.from(signature, 'base64url');
  if (alg === 'EdDSA') return verify(null, data, key, bytes);
  if (alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, bytes);
  return verify('sha256', data, key, bytes);
}
