import { createSecretKey, randomBytes } from 'node:crypto';
import { KeyDecryptionError } from './key-decryption.error';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';

describe('private key encryption (AES-256-GCM)', () => {
  const key = createSecretKey(randomBytes(32));
  const plaintext = randomBytes(1200);
  const kid = 'kid-one';
  const sealed = encryptPrivateKey(key, kid, plaintext);

  /** Flips one bit of the given part (1 iv, 2 tag, 3 ciphertext) of a sealed value. */
  const flip = (value: string, part: number, byte = 0): string => {
    const parts = value.split('.');
    const bytes = Buffer.from(parts[part], 'base64url');
    bytes[byte] ^= 0x01;
    parts[part] = bytes.toString('base64url');
    return parts.join('.');
  };

  it('round-trips, as v1.<iv>.<tag>.<ciphertext> in base64url', () => {
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(decryptPrivateKey(key, kid, sealed)).toEqual(plaintext);
  });

  it('uses a fresh IV every time', () => {
    const again = encryptPrivateKey(key, kid, plaintext);
    expect(again.split('.')[1]).not.toBe(sealed.split('.')[1]);
    expect(again).not.toBe(sealed);
  });

  it.each([
    ['the IV', 1],
    ['the tag', 2],
    ['the first ciphertext byte', 3],
  ])('refuses a change to %s', (_, part) => {
    expect(() => decryptPrivateKey(key, kid, flip(sealed, part))).toThrow(KeyDecryptionError);
  });

  it('refuses a change to the last ciphertext byte', () => {
    expect(() => decryptPrivateKey(key, kid, flip(sealed, 3, plaintext.length - 1))).toThrow(
      KeyDecryptionError,
    );
  });

  it('refuses a sealed key moved to another kid (the kid is authenticated data)', () => {
    expect(() => decryptPrivateKey(key, 'kid-two', sealed)).toThrow(KeyDecryptionError);
  });

  it('refuses a different key-encryption key, naming the kid but no key material', () => {
    const other = createSecretKey(randomBytes(32));
    expect(() => decryptPrivateKey(other, kid, sealed)).toThrow(
      /Signing key kid-one cannot be decrypted: .*KEY_ENCRYPTION_KEY/,
    );
  });

  it.each([
    ['an unknown version', sealed.replace(/^v1\./, 'v2.')],
    ['a missing part', sealed.split('.').slice(0, 3).join('.')],
    ['an extra part', `${sealed}.AAAA`],
    ['a short IV', ['v1', 'AAAA', ...sealed.split('.').slice(2)].join('.')],
    ['a truncated tag', sealed.replace(/^(v1\.[\w-]+\.)[\w-]{4}/, '$1')],
    ['an empty string', ''],
  ])('refuses %s', (_, value) => {
    expect(() => decryptPrivateKey(key, kid, value)).toThrow(KeyDecryptionError);
  });
});
