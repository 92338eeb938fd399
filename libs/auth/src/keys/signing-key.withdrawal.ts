import { Injectable } from '@nestjs/common';
import { ActiveSigningKey } from './active-signing-key';
import { KeySetAnnouncement } from './key-set.announcement';
import { SigningKeyStatus } from './signing-key.entity';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';
import { UnknownSigningKeyError } from './unknown-signing-key.error';

/** What one withdrawal did. */
export interface SigningKeyWithdrawalResult {
  kid: string;
  /** What the key was: a withdrawn active key is replaced by the next one at once. */
  status: SigningKeyStatus;
  /** The key that signs now. */
  signing?: string;
  /**
   * The next key, when it could not be opened and so was not promoted (the replacement signs
   * instead): it stays published, and must be withdrawn too before a replica will start.
   */
  unopenableNext?: string;
}

/**
 * The emergency withdrawal of a signing key (`npm run keys:revoke -- KID`), for a key that
 * must not be trusted one moment longer, e.g. because its private half may have leaked: the key
 * is deleted, private half and all; if it was the active key, the next one (published a whole
 * rotation period ago, so every verifier holds it) signs from now on, and a new next key is
 * published; the announcement of the new set makes every verifier drop the key within moments,
 * and with it every token it signed. Sessions carry on: their refresh tokens are not JWTs.
 *
 * The withdrawn key is never opened: withdrawing an active key that cannot be opened (sealed
 * under a key-encryption key no replica holds) is exactly such an emergency. Only a next key
 * this process can open is promoted; otherwise the replacement signs at once.
 */
@Injectable()
export class SigningKeyWithdrawal {
  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: SigningKeySealer,
    private readonly activeKey: ActiveSigningKey,
    private readonly announcement: KeySetAnnouncement,
  ) {}

  async withdraw(kid: string): Promise<SigningKeyWithdrawalResult> {
    const replacement = await this.sealer.generate();
    const result = await this.store.locked(async (manager) => {
      const { active, next } = await this.store.live(manager);
      const status = await this.store.delete(manager, kid);
      if (!status) throw new UnknownSigningKeyError(kid);
      let signing = active?.kid;
      const promoted = status === 'active' && next !== undefined && this.sealer.opens(next);
      if (promoted) {
        await this.store.activate(manager, next.kid);
        signing = next.kid;
      }
      if (status !== 'retired') {
        // Without a next key to step in, the replacement signs, and maintenance adds a next.
        const replaces = status === 'active' && !promoted ? 'active' : 'next';
        await this.store.insert(manager, replacement, replaces);
        if (replaces === 'active') signing = replacement.kid;
      }
      await this.store.recordWithdrawal(manager, { kid, status });
      await this.announcement.record(manager);
      const unopenableNext = status === 'active' && !promoted ? next?.kid : undefined;
      return { kid, status, signing, ...(unopenableNext && { unopenableNext }) };
    });
    this.activeKey.invalidate();
    this.announcement.changed();
    return result;
  }
}
