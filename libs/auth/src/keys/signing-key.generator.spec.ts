import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { SigningAlgorithm } from '@platform/contracts';
import { assertKeyFitsAlgorithm, generateSigningKey, toPublicJwk } from './signing-key.generator';

/** How each JWS algorithm signs with node:crypto (RFC 7518 3.3, 3.4; RFC 8037 3.1). */
const JWS: Record<SigningAlgorithm, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  EdDSA: { digest: null },
};

describe('generateSigningKey', () => {
  const payload = Buffer.from('header.payload');

  it.each<[SigningAlgorithm, object]>([
    ['RS256', { kty: 'RSA', e: 'AQAB' }],
    ['ES256', { kty: 'EC', crv: 'P-256' }],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ])('%s: its public JWK verifies what its private key signs', async (alg, members) => {
    const key = await generateSigningKey(alg);
    expect(key.publicJwk).toMatchObject({ ...members, kid: key.kid, alg, use: 'sig' });
    expect(key.publicJwk).not.toHaveProperty('d');

    const { digest, dsaEncoding } = JWS[alg];
    const signature = sign(digest, payload, { key: key.privateKey, dsaEncoding });
    const publicKey = createPublicKey({ key: key.publicJwk, format: 'jwk' });
    expect(verify(digest, payload, { key: publicKey, dsaEncoding }, signature)).toBe(true);
    expect(
      verify(digest, Buffer.from('tampered'), { key: publicKey, dsaEncoding }, signature),
    ).toBe(false);
    if (alg === 'ES256') expect(signature).toHaveLength(64);
  });

  it('makes RS256 keys of 2048 bits', async () => {
    const key = await generateSigningKey('RS256');
    expect(key.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('gives every key a random 128-bit kid', async () => {
    const kids = await Promise.all([1, 2, 3].map(() => generateSigningKey('ES256')));
    for (const { kid } of kids) expect(Buffer.from(kid, 'base64url')).toHaveLength(16);
    expect(new Set(kids.map((key) => key.kid)).size).toBe(3);
  });

  it('refuses a key that does not fit the algorithm', async () => {
    const ec = await generateSigningKey('ES256');
    expect(() => assertKeyFitsAlgorithm(ec.privateKey, 'RS256')).toThrow(/cannot sign RS256/);
    expect(() => toPublicJwk(createPublicKey(ec.privateKey), ec.kid, 'EdDSA')).toThrow(
      /cannot sign EdDSA/,
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(() => assertKeyFitsAlgorithm(p384, 'ES256')).toThrow(/cannot sign ES256/);
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => assertKeyFitsAlgorithm(rsa1024, 'RS256')).toThrow(/cannot sign RS256/);
  });

  it('never puts a private key into a JWK', async () => {
    const key = await generateSigningKey('EdDSA');
    expect(() => toPublicJwk(key.privateKey, key.kid, 'EdDSA')).toThrow(/public key/);
  });
});
