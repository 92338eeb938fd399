import { createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyEncryptionKeys } from '../keys/key-encryption-key.provider';
import { StoredSecret } from './oauth-client';

/** Separates the secret-hashing key from every other use of the key-encryption key. */
const LABEL = 'identity-platform oauth client secret hashing';

/**
 * Client secrets: 256 random bits, stored as an HMAC-SHA-256 under a key derived from the
 * key-encryption key, so a copy of the database alone cannot test a guess. Not a slow password
 * hash: a secret this long has no dictionary to try, and an argon2 per token request would cap
 * the token endpoint at a few dozen requests per second per core (what Hydra's bcrypt'd secrets
 * do to it). Compared in constant time.
 */
@Injectable()
export class ClientSecretHasher {
  private readonly keys: { id: string; key: KeyObject }[];

  constructor(keyEncryptionKeys: KeyEncryptionKeys) {
    this.keys = keyEncryptionKeys.candidatesFor(null).map((kek) => ({
      id: kek.id,
      key: hashingKey(kek.key),
    }));
  }

  /** A new secret, base64url (RFC 6749 10.10: it cannot be guessed). */
  newSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  hash(secret: string): StoredSecret {
    const { id, key } = this.keys[0];
    return { hash: mac(key, secret), keyId: id };
  }

  /** Whether `presented` is the secret `stored` was made from (RFC 6749 2.3.1). */
  matches(presented: string, stored: StoredSecret): boolean {
    const key = this.keys.find((candidate) => candidate.id === stored.keyId)?.key;
    if (!key) return false;
    const computed = mac(key, presented);
    return computed.length === stored.hash.length && timingSafeEqual(computed, stored.hash);
  }
}

function hashingKey(keyEncryptionKey: KeyObject): KeyObject {
  const derived = createHmac('sha256', keyEncryptionKey).update(LABEL).digest();
  try {
    return createSecretKey(derived);
  } finally {
    derived.fill(0);
  }
}

function mac(key: KeyObject, secret: string): Buffer {
  return createHmac('sha256', key).update(secret, 'utf8').digest();
}
