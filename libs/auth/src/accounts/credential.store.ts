import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { EmailAlreadyRegisteredError } from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { CredentialEntity, CredentialStatus } from './credential.entity';

/** The rows of `auth.credentials`: what each account logs in with. */
@Injectable()
export class CredentialStore {
  constructor(
    @InjectRepository(CredentialEntity, 'auth')
    private readonly credentials: Repository<CredentialEntity>,
  ) {}

  /**
   * Stores a new account's credential as `pending`, to be looked at by the registration repair
   * after `settleSeconds` unless it is settled before. The unique email index decides races.
   */
  async insertPending(
    userId: string,
    email: string,
    passwordHash: string,
    settleSeconds: number,
  ): Promise<void> {
    try {
      await this.credentials.insert({
        userId,
        email,
        passwordHash,
        passwordChangedAt: new Date(),
        status: 'pending',
        repairAfter: () => `now() + make_interval(secs => ${Number(settleSeconds)})`,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError();
      throw error;
    }
  }

  /** The credential registered under `email` (in its normal form), whatever its status. */
  async findByEmail(email: string): Promise<CredentialEntity | null> {
    const [row] = await this.credentials
      .createQueryBuilder('credential')
      .where('lower(credential.email) = :email', { email })
      .getMany();
    return row ?? null;
  }

  /** An active credential by its account's id. */
  findActive(userId: string): Promise<CredentialEntity | null> {
    return this.credentials.findOneBy({ userId, status: 'active' });
  }

  /** The status of each of these accounts that has a credential. */
  async statusesOf(userIds: string[]): Promise<Map<string, CredentialStatus>> {
    const rows = await this.credentials.find({
      select: { userId: true, status: true },
      where: { userId: In(userIds) },
    });
    return new Map(rows.map((row) => [row.userId, row.status]));
  }

  /** The registration stopped waiting for its profile: a retry of it may carry it on. */
  async markStalled(userId: string): Promise<void> {
    await this.changed(
      `UPDATE auth.credentials SET stalled_at = now() WHERE user_id = $1 AND status = 'pending'`,
      [userId],
    );
  }

  /**
   * Takes up a stalled registration again, for one retry of it: the repair leaves it alone for
   * `settleSeconds`. False when it is not pending and stalled (any more).
   */
  async resume(userId: string, settleSeconds: number): Promise<boolean> {
    return this.changed(
      `UPDATE auth.credentials
          SET stalled_at = NULL, repair_after = now() + make_interval(secs => $2)
        WHERE user_id = $1 AND status = 'pending' AND stalled_at IS NOT NULL`,
      [userId, settleSeconds],
    );
  }

  /** Activates a pending credential: the account is whole. False if it was not pending. */
  activate(manager: EntityManager, userId: string): Promise<boolean> {
    return this.changed(
      `UPDATE auth.credentials SET status = 'active', repair_after = NULL
        WHERE user_id = $1 AND status = 'pending'`,
      [userId],
      manager,
    );
  }

  /** A pending registration is to be undone. False if it was not pending any more. */
  markCancelling(userId: string): Promise<boolean> {
    return this.changed(
      `UPDATE auth.credentials SET status = 'cancelling' WHERE user_id = $1 AND status = 'pending'`,
      [userId],
    );
  }

  /** Removes a credential that never became active. */
  async deleteUnsettled(userId: string): Promise<void> {
    await this.credentials.query(
      `DELETE FROM auth.credentials WHERE user_id = $1 AND status <> 'active'`,
      [userId],
    );
  }

  /**
   * Credentials that are not active and are due a look, `limit` at most, each handed to one
   * caller: they are skipped by others while claimed, and due again after `retrySeconds`. What
   * is due has stalled, so a retry of its registration may carry it on meanwhile.
   */
  async claimUnsettled(
    limit: number,
    retrySeconds: number,
  ): Promise<{ userId: string; status: CredentialStatus }[]> {
    // An UPDATE's result is `[rows, affected]` (TypeORM's PostgreSQL driver).
    const [rows] = (await this.credentials.query(
      `UPDATE auth.credentials
          SET repair_after = now() + make_interval(secs => $2), stalled_at = coalesce(stalled_at, now())
        WHERE user_id IN (SELECT user_id FROM auth.credentials
                           WHERE status <> 'active' AND repair_after <= now()
                           ORDER BY repair_after LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING user_id AS "userId", status`,
      [limit, retrySeconds],
    )) as [{ userId: string; status: CredentialStatus }[], number];
    return rows;
  }

  /** Replaces an account's password hash, in the caller's transaction. */
  async setPasswordHash(
    manager: EntityManager,
    userId: string,
    passwordHash: string,
  ): Promise<void> {
    await manager.update(
      CredentialEntity,
      { userId },
      { passwordHash, passwordChangedAt: new Date() },
    );
  }

  /** Refuses the account's logins from now on. */
  async disable(userId: string): Promise<void> {
    await this.credentials.update({ userId }, { disabledAt: new Date() });
  }

  private async changed(
    sql: string,
    parameters: unknown[],
    manager: EntityManager = this.credentials.manager,
  ): Promise<boolean> {
    const [, affected] = (await manager.query(sql, parameters)) as [unknown, number];
    return affected > 0;
  }
}
