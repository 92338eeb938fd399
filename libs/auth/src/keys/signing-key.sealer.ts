import { createPrivateKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { KeyDecryptionError } from './key-decryption.error';
import { KeyEncryptionKeys } from './key-encryption-key.provider';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { assertKeyFitsAlgorithm, generateSigningKey } from './signing-key.generator';
import { SealedSigningKey } from './signing-key.store';

/**
 * Makes new signing keys sealed for storage under the current key-encryption key, opens stored
 * ones under whichever key sealed them, and re-seals them under the current one.
 */
@Injectable()
export class SigningKeySealer {
  constructor(
    private readonly keyEncryptionKeys: KeyEncryptionKeys,
    private readonly config: ConfigService<PlatformEnv, true>,
  ) {}

  /** The id of the key that seals from now on. */
  get currentKekId(): string {
    return this.keyEncryptionKeys.current.id;
  }

  /** A new key pair of the configured `SIGNING_ALG`, its private half sealed. */
  async generate(): Promise<SealedSigningKey> {
    const alg = this.config.get('SIGNING_ALG', { infer: true });
    const { kid, publicJwk, privateKey } = await generateSigningKey(alg);
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      return { kid, alg, publicJwk, ...this.seal(kid, der) };
    } finally {
      der.fill(0);
    }
  }

  /** Decrypts and imports a stored private key, refusing one that does not fit its `alg`. */
  open(key: SealedSigningKey): KeyObject {
    const der = this.decrypt(key);
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      assertKeyFitsAlgorithm(privateKey, key.alg);
      return privateKey;
    } finally {
      der.fill(0);
    }
  }

  /** Whether `open` would succeed: a key that fails it must never sign. */
  opens(key: SealedSigningKey): boolean {
    try {
      this.open(key);
      return true;
    } catch {
      return false;
    }
  }

  /** The private half of a stored key sealed anew under the current key-encryption key. */
  reseal(key: SealedSigningKey): { privateKey: string; kekId: string } {
    const der = this.decrypt(key);
    try {
      return this.seal(key.kid, der);
    } finally {
      der.fill(0);
    }
  }

  private seal(kid: string, der: Buffer): { privateKey: string; kekId: string } {
    const { current } = this.keyEncryptionKeys;
    return { privateKey: encryptPrivateKey(current.key, kid, der), kekId: current.id };
  }

  /** Tries the key the row names, or each key for a row sealed before keys had ids. */
  private decrypt(key: SealedSigningKey): Buffer {
    const candidates = this.keyEncryptionKeys.candidatesFor(key.kekId);
    if (candidates.length === 0) {
      throw new KeyDecryptionError(
        key.kid,
        `it was sealed under key-encryption key ${key.kekId}, which is neither ` +
          `KEY_ENCRYPTION_KEY (${this.currentKekId}) nor one of PREVIOUS_KEY_ENCRYPTION_KEYS`,
      );
    }
    for (const candidate of candidates) {
      try {
        return decryptPrivateKey(candidate.key, key.kid, key.privateKey);
      } catch (error) {
        if (!(error instanceof KeyDecryptionError)) throw error;
      }
    }
    throw new KeyDecryptionError(key.kid);
  }
}
