import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { PlatformEnv } from '@platform/config';
import { KeyEncryptionKey } from './key-encryption-key.provider';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { SigningKeyEntity, SigningKeyStatus } from './signing-key.entity';
import {
  assertKeyFitsAlgorithm,
  generateSigningKey,
  PublicJwk,
  SigningAlgorithm,
  toPublicJwk,
} from './signing-key.generator';

/** The key that signs now. `privateKey` is imported once, so signing never re-parses it. */
export interface ActiveSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

/** A JWK Set (RFC 7517 5) of public keys only. */
export interface JsonWebKeySet {
  keys: PublicJwk[];
}

/** What one rotation did, by `kid`. */
export interface SigningKeyRotation {
  /** The former next key, which signs from now on. */
  activated: string;
  /** The former active key, published until its last tokens have expired. */
  retired: string;
  /** The new next key, published now and signing from the following rotation. */
  next: string;
}

type SealedSigningKey = Pick<SigningKeyEntity, 'kid' | 'alg' | 'publicJwk' | 'privateKey'>;

/** Serializes every change to the set of keys across replicas (a transaction-level lock). */
const LOCK_KEY = 'auth:signing-keys';
/** How often a replica rotates a key that is due and notices a rotation another one made. */
const MAINTENANCE_INTERVAL_SECONDS = 30;
/** Allowance for clocks that disagree between signers, the database and verifiers. */
const CLOCK_SKEW_SECONDS = 60;
/** How long a JWKS read is served from memory; rotations made here invalidate it at once. */
const JWKS_CACHE_MS = 30_000;

/**
 * Signing keys of the auth context: generated here, sealed at rest, rotated on a schedule or on
 * demand, published as a JWKS. A key is published as `next` a whole rotation period before it
 * signs, so verifiers already hold it when the first token signed with it arrives; a retired
 * key stays published until the last token it signed has expired.
 */
@Injectable()
export class SigningKeyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeyService.name);
  private active?: ActiveSigningKey;
  private jwksCache?: { value: JsonWebKeySet; expiresAt: number };
  /** Published JWKs already checked against their sealed private halves, by `kid`. */
  private readonly verified = new Map<string, { sealed: string; stored: string; jwk: PublicJwk }>();
  /** Bumped by every change made here, so a read that began before it is not cached after it. */
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private maintaining?: Promise<void>;

  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    @InjectRepository(SigningKeyEntity, 'auth') private readonly keys: Repository<SigningKeyEntity>,
    private readonly keyEncryptionKey: KeyEncryptionKey,
    private readonly config: ConfigService<PlatformEnv, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureKeys();
    await this.rotateIfDue();
    // Opening the active key now turns a wrong KEY_ENCRYPTION_KEY into a failed start.
    await this.loadActive();
    this.timer = setInterval(
      () => this.maintainInBackground(),
      MAINTENANCE_INTERVAL_SECONDS * 1000,
    );
    this.timer.unref();
  }

  /** Stops the schedule before the DataSource closes, letting a running pass finish. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.maintaining;
  }

  /**
   * The key to sign with. Cached; a rotation made by this process takes effect at once, one
   * made by another replica within `MAINTENANCE_INTERVAL_SECONDS` (the retired key's
   * publication covers that delay).
   */
  async activeKey(): Promise<ActiveSigningKey> {
    return this.active ?? this.loadActive();
  }

  /**
   * The public keys verifiers accept: active, next, then retired keys still covering unexpired
   * tokens. Each is derived from its sealed private key and must match the stored public JWK,
   * so a public key written straight into the table is never published.
   */
  async jwks(): Promise<JsonWebKeySet> {
    if (this.jwksCache && this.jwksCache.expiresAt > Date.now()) return this.jwksCache.value;
    const generation = this.generation;
    const rows = await this.keys
      .createQueryBuilder('key')
      .where(`key.status IN ('active', 'next') OR key.publishUntil > now()`)
      .getMany();
    rows.sort(publicationOrder);
    const value = { keys: rows.flatMap<PublicJwk>((row) => this.publishedJwk(row) ?? []) };
    for (const kid of this.verified.keys()) {
      if (!rows.some((row) => row.kid === kid)) this.verified.delete(kid);
    }
    if (generation === this.generation) {
      this.jwksCache = { value, expiresAt: Date.now() + JWKS_CACHE_MS };
    }
    return value;
  }

  /**
   * Rotates now (`npm run keys:rotate`): the active key retires, the next key signs, and a new
   * next key with the configured `SIGNING_ALG` is published, so changing the algorithm takes
   * effect one rotation later, once verifiers hold the new key. Retired keys out of the JWKS
   * for over a day are deleted.
   */
  async rotate(): Promise<SigningKeyRotation> {
    const next = await this.generateSealed();
    const rotation = await this.locked((manager) => this.rotateIn(manager, next));
    await this.afterRotation(rotation);
    return rotation;
  }

  /**
   * The scheduled rotation: rotates only if the active key has signed for
   * `SIGNING_KEY_ROTATION_HOURS`. Replicas that race on it rotate once; the others get
   * `undefined`, as when nothing is due.
   */
  async rotateIfDue(): Promise<SigningKeyRotation | undefined> {
    if (!(await this.rotationDue(this.keys.manager))) return undefined;
    const next = await this.generateSealed();
    const rotation = await this.locked(async (manager) =>
      // Another replica may have rotated while this one waited for the lock.
      (await this.rotationDue(manager)) ? this.rotateIn(manager, next) : undefined,
    );
    if (rotation) await this.afterRotation(rotation);
    return rotation;
  }

  /** Creates the active and the next key if either is missing (first start, or repair). */
  private async ensureKeys(): Promise<void> {
    const live = await this.liveKeys(this.keys.manager);
    if (live.active && live.next) return;
    await this.locked((manager) => this.ensureKeysIn(manager));
    this.invalidate();
  }

  private async ensureKeysIn(manager: EntityManager): Promise<{ active: string; next: string }> {
    let { active, next } = await this.liveKeys(manager);
    if (!active && next) {
      // Published already, so it may sign; a new next is made below.
      await manager.query(
        `UPDATE auth.signing_keys SET status = 'active', activated_at = now() WHERE kid = $1`,
        [next],
      );
      [active, next] = [next, undefined];
    }
    // Only on first start does a key sign without having been published first.
    active ??= await this.insert(manager, await this.generateSealed(), 'active');
    next ??= await this.insert(manager, await this.generateSealed(), 'next');
    return { active, next };
  }

  private async rotateIn(
    manager: EntityManager,
    newNext: SealedSigningKey,
  ): Promise<SigningKeyRotation> {
    const { active, next } = await this.ensureKeysIn(manager);
    // In this order, so the unique index never sees two active or two next keys.
    await manager.query(
      `UPDATE auth.signing_keys
          SET status = 'retired', retired_at = now(), publish_until = now() + make_interval(secs => $2)
        WHERE kid = $1`,
      [active, this.retiredPublicationSeconds()],
    );
    await manager.query(
      `UPDATE auth.signing_keys SET status = 'active', activated_at = now() WHERE kid = $1`,
      [next],
    );
    await this.insert(manager, newNext, 'next');
    await manager.query(
      `DELETE FROM auth.signing_keys
        WHERE status = 'retired' AND publish_until < now() - interval '1 day'`,
    );
    return { activated: next, retired: active, next: newNext.kid };
  }

  private async afterRotation(rotation: SigningKeyRotation): Promise<void> {
    this.logger.log(
      `Rotated signing keys: ${rotation.activated} signs, ${rotation.next} is published to sign ` +
        `next, ${rotation.retired} retired`,
    );
    this.invalidate();
    await this.loadActive();
  }

  private async rotationDue(manager: EntityManager): Promise<boolean> {
    const due: unknown[] = await manager.query(
      `SELECT 1 FROM auth.signing_keys
        WHERE status = 'active' AND activated_at <= now() - make_interval(hours => $1)`,
      [this.config.get('SIGNING_KEY_ROTATION_HOURS', { infer: true })],
    );
    return due.length > 0;
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

  /** Reads the active key, importing it only if it changed. */
  private async loadActive(): Promise<ActiveSigningKey> {
    const generation = this.generation;
    const row = await this.keys.findOneBy({ status: 'active' });
    if (!row) {
      await this.ensureKeys();
      return this.loadActive();
    }
    if (this.active?.kid === row.kid) return this.active;
    const key: ActiveSigningKey = { kid: row.kid, alg: row.alg, privateKey: this.open(row) };
    if (generation === this.generation) {
      // Another replica rotated: its new next key is not in the cached JWKS yet.
      if (this.active) this.jwksCache = undefined;
      this.active = key;
    }
    return key;
  }

  private maintainInBackground(): void {
    if (this.maintaining) return;
    this.maintaining = this.maintain()
      .catch((error: unknown) =>
        this.logger.error(
          `Signing key maintenance failed: ${error instanceof Error ? error.message : String(error)}`,
          error instanceof Error ? error.stack : undefined,
        ),
      )
      .finally(() => (this.maintaining = undefined));
  }

  /** One scheduled pass: repair, rotate if due, pick up a rotation made by another replica. */
  private async maintain(): Promise<void> {
    await this.ensureKeys();
    await this.rotateIfDue();
    await this.loadActive();
  }

  private invalidate(): void {
    this.generation += 1;
    this.jwksCache = undefined;
  }

  /** Runs `work` in a transaction holding the signing-keys lock, so replicas take turns. */
  private locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_KEY]);
      return work(manager);
    });
  }

  private async liveKeys(manager: EntityManager): Promise<{ active?: string; next?: string }> {
    const rows = await manager.find(SigningKeyEntity, {
      select: { kid: true, status: true },
      where: { status: In(['active', 'next'] satisfies SigningKeyStatus[]) },
    });
    return {
      active: rows.find((row) => row.status === 'active')?.kid,
      next: rows.find((row) => row.status === 'next')?.kid,
    };
  }

  private async insert(
    manager: EntityManager,
    key: SealedSigningKey,
    status: 'active' | 'next',
  ): Promise<string> {
    await manager.insert(SigningKeyEntity, {
      ...key,
      status,
      activatedAt: status === 'active' ? () => 'now()' : null,
    });
    return key.kid;
  }

  /** A new key pair of the configured algorithm, its private half sealed for storage. */
  private async generateSealed(): Promise<SealedSigningKey> {
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
  private open(key: SealedSigningKey): KeyObject {
    const der = decryptPrivateKey(this.keyEncryptionKey.key, key.kid, key.privateKey);
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      assertKeyFitsAlgorithm(privateKey, key.alg);
      return privateKey;
    } finally {
      der.fill(0);
    }
  }

  private publishedJwk(row: SigningKeyEntity): PublicJwk | undefined {
    const stored = canonicalJson(row.publicJwk);
    const known = this.verified.get(row.kid);
    if (known?.sealed === row.privateKey && known.stored === stored) return known.jwk;
    try {
      const jwk = toPublicJwk(createPublicKey(this.open(row)), row.kid, row.alg);
      if (canonicalJson(jwk) !== stored) throw new Error('its public_jwk is not its private key');
      this.verified.set(row.kid, { sealed: row.privateKey, stored, jwk });
      return jwk;
    } catch (error) {
      this.logger.error(
        `Signing key ${row.kid} left out of the JWKS: ` +
          (error instanceof Error ? error.message : String(error)),
      );
      return undefined;
    }
  }
}

const PUBLICATION_RANK: Record<SigningKeyStatus, number> = { active: 0, next: 1, retired: 2 };

/** Active, next, then retired keys, most recently retired first. */
function publicationOrder(a: SigningKeyEntity, b: SigningKeyEntity): number {
  return (
    PUBLICATION_RANK[a.status] - PUBLICATION_RANK[b.status] ||
    (b.retiredAt?.getTime() ?? 0) - (a.retiredAt?.getTime() ?? 0)
  );
}

/** JSON with sorted members: `jsonb` does not keep the order a JWK was written in. */
function canonicalJson(jwk: PublicJwk): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(jwk).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}
