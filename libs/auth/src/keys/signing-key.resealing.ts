import { Injectable, Logger } from '@nestjs/common';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';

/** What a re-sealing did. */
export interface ResealingResult {
  /** Keys sealed anew under the current key-encryption key. */
  resealed: number;
  /** Keys that were sealed under it already. */
  unchanged: number;
  /** The id of the key-encryption key every signing key is now sealed under. */
  kekId: string;
}

/**
 * Re-seals every stored signing key under the current key-encryption key
 * (`npm run keys:rotate-kek`), opening each under the key that sealed it: after it, the
 * previous key-encryption keys are no longer needed. Holds the signing-keys lock, so no
 * rotation interleaves; running it twice re-seals nothing the second time. A re-sealing is in
 * the security log, in its transaction, as rotations and withdrawals are.
 */
@Injectable()
export class SigningKeyResealing {
  private readonly logger = new Logger(SigningKeyResealing.name);

  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: SigningKeySealer,
  ) {}

  async resealAll(): Promise<ResealingResult> {
    const kekId = this.sealer.currentKekId;
    const result = await this.store.locked(async (manager) => {
      let resealed = 0;
      const keys = await this.store.all(manager);
      for (const key of keys) {
        if (key.kekId === kekId) continue;
        const sealed = this.sealer.reseal(key);
        await this.store.reseal(manager, key.kid, sealed.privateKey, sealed.kekId);
        resealed += 1;
      }
      if (resealed > 0) await this.store.recordResealing(manager, { kekId, resealed });
      return { resealed, unchanged: keys.length - resealed, kekId };
    });
    this.logger.log(`Re-sealed ${result.resealed} signing keys under key-encryption key ${kekId}`);
    return result;
  }
}
