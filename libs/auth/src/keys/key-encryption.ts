import { createCipheriv, createDecipheriv, KeyObject, randomBytes } from 'node:crypto';
import { KeyDecryptionError } from './key-decryption.error';

const VERSION = 'v1';
const CIPHER = 'aes-256-gcm';
/** NIST SP 800-38D 8.2.2: a 96-bit IV from a random bit generator, fresh for every encryption. */
const IV_BYTES = 12;
/** NIST SP 800-38D 5.2.1.2: the full 128-bit authentication tag. */
const TAG_BYTES = 16;

/**
 * Seals a private key for storage with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each part
 * base64url. The `kid` is the additional authenticated data, so a sealed key only opens under
 * the row it was written for: copying it onto another row makes it fail like a forgery.
 *
 * Random IVs stay safe for at most 2^32 encryptions under one key (SP 800-38D 8.3); signing keys
 * are sealed a few times a month.
 */
export function encryptPrivateKey(
  keyEncryptionKey: KeyObject,
  kid: string,
  plaintext: Buffer,
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keyEncryptionKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * Opens what `encryptPrivateKey` sealed for the same `kid`. Throws `KeyDecryptionError` on an
 * unknown version, a wrong key or `kid`, or any altered byte: GCM verifies the tag before a
 * single byte of plaintext is returned.
 */
export function decryptPrivateKey(
  keyEncryptionKey: KeyObject,
  kid: string,
  sealed: string,
): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new KeyDecryptionError(kid);
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new KeyDecryptionError(kid);
  try {
    const decipher = createDecipheriv(CIPHER, keyEncryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new KeyDecryptionError(kid);
  }
}
