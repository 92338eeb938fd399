import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { CLOCK_SKEW_SECONDS, PlatformEnv } from '@platform/config';
import { ActiveSigningKey } from './active-signing-key';
import { KeySetAnnouncement } from './key-set.announcement';
import { SigningKeySealer } from './signing-key.sealer';
import { LiveSigningKeys, SealedSigningKey, SigningKeyStore } from './signing-key.store';

/** What one rotation did, by `kid`. */
export interface SigningKeyRotationResult {
  /** The former next key, which signs from now on. */
  activated: string;
  /** The former active key, published until its last tokens have expired. */
  retired: string;
  /** The new next key, published now and signing from the following rotation. */
  next: string;
}

/** How often a replica rotates a key that is due and notices a rotation another one made. */
export const MAINTENANCE_INTERVAL_SECONDS = 30;

/**
 * The life of signing keys: created on first start, rotated every `SIGNING_KEY_ROTATION_HOURS`
 * or on demand. A key is published as `next` a whole rotation period before it signs, so
 * verifiers already hold it when the first token signed with it arrives; a retired key stays
 * published until the last token it signed has expired. Every change holds the store's lock,
 * so replicas racing on a rotation make it once, and opens the active and the next key before
 * it writes: a process whose key-encryption keys cannot open them (a wrong
 * `KEY_ENCRYPTION_KEY`) changes nothing, rather than promoting a key no replica can sign with
 * or sealing a new one under a key that opens none of the others.
 */
@Injectable()
export class SigningKeyRotation {
  private readonly logger = new Logger(SigningKeyRotation.name);

  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: SigningKeySealer,
    private readonly activeKey: ActiveSigningKey,
    private readonly announcement: KeySetAnnouncement,
    private readonly config: ConfigService<PlatformEnv, true>,
  ) {}

  /**
   * Rotates now (`npm run keys:rotate`): the active key retires, the next key signs, and a new
   * next key with the configured `SIGNING_ALG` is published, so changing the algorithm takes
   * effect one rotation later, once verifiers hold the new key. Retired keys out of the JWKS
   * for over a day are deleted.
   */
  async rotate(): Promise<SigningKeyRotationResult> {
    const next = await this.sealer.generate();
    const rotation = await this.store.locked((manager) => this.rotateIn(manager, next));
    await this.afterRotation(rotation);
    return rotation;
  }

  /**
   * The scheduled rotation: rotates only if the active key has signed for
   * `SIGNING_KEY_ROTATION_HOURS`. Replicas that race on it rotate once; the others get
   * `undefined`, as when nothing is due.
   */
  async rotateIfDue(): Promise<SigningKeyRotationResult | undefined> {
    if (!(await this.rotationDue())) return undefined;
    const next = await this.sealer.generate();
    const rotation = await this.store.locked(async (manager) =>
      // Another replica may have rotated while this one waited for the lock.
      (await this.rotationDue(manager)) ? this.rotateIn(manager, next) : undefined,
    );
    if (rotation) await this.afterRotation(rotation);
    return rotation;
  }

  /**
   * Creates the active and the next key if either is missing (first start, or repair), having
   * opened those that exist: throws `KeyDecryptionError`, with nothing written, when one of
   * them cannot be opened.
   */
  async ensureKeys(): Promise<void> {
    const live = this.opened(await this.store.live());
    if (live.active && live.next) return;
    await this.store.locked((manager) => this.ensureKeysIn(manager));
    this.invalidate();
  }

  private async ensureKeysIn(manager: EntityManager): Promise<{ active: string; next: string }> {
    const live = this.opened(await this.store.live(manager));
    let [active, next] = [live.active?.kid, live.next?.kid];
    if (!active && next) {
      // Published already, so it may sign; a new next is made below.
      await this.store.activate(manager, next);
      [active, next] = [next, undefined];
    }
    if (active && next) return { active, next };
    // Only on first start does a key sign without having been published first.
    active ??= await this.store.insert(manager, await this.sealer.generate(), 'active');
    next ??= await this.store.insert(manager, await this.sealer.generate(), 'next');
    await this.announcement.record(manager);
    return { active, next };
  }

  private async rotateIn(
    manager: EntityManager,
    newNext: SealedSigningKey,
  ): Promise<SigningKeyRotationResult> {
    // Both keys are opened first: the next key is about to sign, and the new next key is
    // sealed under a key-encryption key that must open the others.
    const { active, next } = await this.ensureKeysIn(manager);
    // In this order, so the unique index never sees two active or two next keys.
    await this.store.retire(manager, active, this.retiredPublicationSeconds());
    await this.store.activate(manager, next);
    await this.store.insert(manager, newNext, 'next');
    await this.store.deleteLongRetired(manager);
    const rotation = { activated: next, retired: active, next: newNext.kid };
    await this.store.recordRotation(manager, rotation);
    await this.announcement.record(manager);
    return rotation;
  }

  private async afterRotation(rotation: SigningKeyRotationResult): Promise<void> {
    this.logger.log(
      `Rotated signing keys: ${rotation.activated} signs, ${rotation.next} is published to sign ` +
        `next, ${rotation.retired} retired`,
    );
    this.invalidate();
    await this.activeKey.current();
  }

  private rotationDue(manager?: EntityManager): Promise<boolean> {
    return this.store.activeFor(
      this.config.get('SIGNING_KEY_ROTATION_HOURS', { infer: true }),
      manager,
    );
  }

  /**
   * A retired key's last token was signed at most one maintenance interval after the rotation
   * (by a replica that had not noticed it yet) and lives `ACCESS_TOKEN_TTL_SECONDS`; verifiers'
   * clocks may lag by the skew.
   */
  private retiredPublicationSeconds(): number {
    return (
      this.config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }) +
      MAINTENANCE_INTERVAL_SECONDS +
      CLOCK_SKEW_SECONDS
    );
  }

  /** The live keys, each opened once to prove that this process's key-encryption keys can. */
  private opened(live: LiveSigningKeys): LiveSigningKeys {
    for (const key of [live.active, live.next]) if (key) this.sealer.open(key);
    return live;
  }

  private invalidate(): void {
    this.activeKey.invalidate();
    this.announcement.changed();
  }
}
