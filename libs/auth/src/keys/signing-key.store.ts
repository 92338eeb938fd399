import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SigningKeyEntity, SigningKeyStatus } from './signing-key.entity';

/** A key as generated for storage: its private half sealed (see `SigningKeySealer`). */
export type SealedSigningKey = Pick<
  SigningKeyEntity,
  'kid' | 'alg' | 'publicJwk' | 'privateKey' | 'kekId'
>;

/**
 * The key that signs and the key published to sign next, if they exist, with their sealed
 * private halves: a change that relies on one opens it first.
 */
export interface LiveSigningKeys {
  active?: SigningKeyEntity;
  next?: SigningKeyEntity;
}

/** Serializes every change to the set of keys across replicas (a transaction-level lock). */
const LOCK_KEY = 'auth:signing-keys';

/**
 * The rows of `auth.signing_keys`, and the security log's record of their changes. Changes run
 * inside `locked`, so replicas take turns.
 */
@Injectable()
export class SigningKeyStore {
  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    @InjectRepository(SigningKeyEntity, 'auth') private readonly keys: Repository<SigningKeyEntity>,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /** Runs `work` in a transaction holding the signing-keys lock. */
  locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_KEY]);
      return work(manager);
    });
  }

  async live(manager: EntityManager = this.keys.manager): Promise<LiveSigningKeys> {
    const rows = await manager.find(SigningKeyEntity, {
      where: { status: In(['active', 'next'] satisfies SigningKeyStatus[]) },
    });
    return {
      active: rows.find((row) => row.status === 'active'),
      next: rows.find((row) => row.status === 'next'),
    };
  }

  /** The key that signs now, with its sealed private half. */
  active(): Promise<SigningKeyEntity | null> {
    return this.keys.findOneBy({ status: 'active' });
  }

  /** Every key verifiers may need: active, next, and retired ones still covering tokens. */
  published(manager: EntityManager = this.keys.manager): Promise<SigningKeyEntity[]> {
    return manager
      .getRepository(SigningKeyEntity)
      .createQueryBuilder('key')
      .where(`key.status IN ('active', 'next') OR key.publishUntil > now()`)
      .getMany();
  }

  /** Whether the active key has signed for at least `hours`. */
  async activeFor(hours: number, manager: EntityManager = this.keys.manager): Promise<boolean> {
    const due: unknown[] = await manager.query(
      `SELECT 1 FROM auth.signing_keys
        WHERE status = 'active' AND activated_at <= now() - make_interval(hours => $1)`,
      [hours],
    );
    return due.length > 0;
  }

  async insert(
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

  async activate(manager: EntityManager, kid: string): Promise<void> {
    await manager.query(
      `UPDATE auth.signing_keys SET status = 'active', activated_at = now() WHERE kid = $1`,
      [kid],
    );
  }

  /** Stops a key signing; it stays published for `publishSeconds`. */
  async retire(manager: EntityManager, kid: string, publishSeconds: number): Promise<void> {
    await manager.query(
      `UPDATE auth.signing_keys
          SET status = 'retired', retired_at = now(), publish_until = now() + make_interval(secs => $2)
        WHERE kid = $1`,
      [kid, publishSeconds],
    );
  }

  /** Logs a rotation in the security log, in the transaction that made it. */
  async recordRotation(
    manager: EntityManager,
    rotation: { activated: string; retired: string; next: string },
  ): Promise<void> {
    await this.securityLog.record(manager, { type: 'signing_key_rotated', details: rotation });
  }

  /**
   * Deletes a key, private half and all, as a withdrawal does. Returns the status it had, or
   * undefined when there is no such key.
   */
  async delete(manager: EntityManager, kid: string): Promise<SigningKeyStatus | undefined> {
    const [rows] = (await manager.query(
      `DELETE FROM auth.signing_keys WHERE kid = $1 RETURNING status`,
      [kid],
    )) as [{ status: SigningKeyStatus }[], number];
    return rows[0]?.status;
  }

  /** Logs a withdrawal in the security log, in the transaction that made it. */
  async recordWithdrawal(
    manager: EntityManager,
    withdrawal: { kid: string; status: SigningKeyStatus },
  ): Promise<void> {
    await this.securityLog.record(manager, { type: 'signing_key_withdrawn', details: withdrawal });
  }

  /** The security event of a re-sealing that sealed `resealed` keys anew under `kekId`. */
  async recordResealing(
    manager: EntityManager,
    resealing: { kekId: string; resealed: number },
  ): Promise<void> {
    await this.securityLog.record(manager, { type: 'signing_keys_resealed', details: resealing });
  }

  /** Every stored key, for re-sealing them all. */
  all(manager: EntityManager): Promise<SigningKeyEntity[]> {
    return manager.find(SigningKeyEntity);
  }

  /** Stores a key's private half sealed anew. */
  async reseal(
    manager: EntityManager,
    kid: string,
    privateKey: string,
    kekId: string,
  ): Promise<void> {
    await manager.update(SigningKeyEntity, { kid }, { privateKey, kekId });
  }

  /** Deletes retired keys that left the JWKS over a day ago. */
  async deleteLongRetired(manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM auth.signing_keys
        WHERE status = 'retired' AND publish_until < now() - interval '1 day'`,
    );
  }
}
