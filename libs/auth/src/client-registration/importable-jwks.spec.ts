import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { ErrorCode } from '@platform/contracts';
import { requireImportableKeys } from './importable-jwks';

type KeyType = 'rsa' | 'ed25519';

/** A fresh public key as a JWK. */
const jwkOf = (type: KeyType, modulusLength = 2048): Record<string, unknown> =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength })
    : generateKeyPairSync('ed25519')
  ).publicKey.export({ format: 'jwk' });

describe('requireImportableKeys (RFC 7591 3.2.2)', () => {
  it('takes keys every client assertion algorithm that could pick them can import', async () => {
    const keys = [
      jwkOf('rsa'),
      { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'ec' },
      jwkOf('ed25519'),
      // No client assertion algorithm picks these: never imported, left as they are.
      { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', alg: 'ECDH-ES' },
      { kty: 'OKP', crv: 'X25519', x: 'a' },
    ];
    await expect(requireImportableKeys({ keys })).resolves.toBeUndefined();
  });

  it.each([
    ['an EC point that is none', { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }],
    ['an RSA key without its members', { kty: 'RSA' }],
    ['an RSA key with a number for n', { kty: 'RSA', n: 5, e: 'AQAB' }],
    ['an Ed25519 key of one byte', { kty: 'OKP', crv: 'Ed25519', x: 'a' }],
    ['an RSA key of 1024 bits', jwkOf('rsa', 1024)],
    [
      'an EC point that is none, for ES256',
      { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', alg: 'ES256' },
    ],
  ])('refuses %s with invalid_client_metadata', async (_, key) => {
    const good = jwkOf('ed25519');
    await expect(requireImportableKeys({ keys: [good, key] })).rejects.toMatchObject({
      code: ErrorCode.InvalidClientMetadata,
    });
  });
});
