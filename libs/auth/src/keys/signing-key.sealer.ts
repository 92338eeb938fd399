import { createPrivateKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { KeyEncryptionKey } from './key-encryption-key.provider';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { assertKeyFitsAlgorithm, generateSigningKey } from './signing-key.generator';
import { SealedSigningKey } from './signing-key.store';

/** Makes new signing keys sealed for storage, and opens stored ones. */
@Injectable()
export class SigningKeySealer {
  constructor(
    private readonly keyEncryptionKey: KeyEncryptionKey,
    private readonly config: ConfigService<PlatformEnv, true>,
  ) {}

  /** A new key pair of the configured `SIGNING_ALG`, its private half sealed. */
  async generate(): Promise<SealedSigningKey> {
    const alg = this.config.get('SIGNING_ALG', { infer: true });
    const { kid, publicJwk, privateKey } = await generateSigningKey(alg);
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      return {
        kid,
        alg,
        publicJwk,
        privateKey: encryptPrivateKey(this.keyEncryptionKey.key, kid, der),
      };
    } finally {
      der.fill(0);
    }
  }

  /** Decrypts and imports a stored private key, refusing one that does not fit its `alg`. */
  open(key: SealedSigningKey): KeyObject {
    const der = decryptPrivateKey(this.keyEncryptionKey.key, key.kid, key.privateKey);
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      assertKeyFitsAlgorithm(privateKey, key.alg);
      return privateKey;
    } finally {
      der.fill(0);
    }
  }
}
