import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SubjectRevokedEvent } from '@platform/contracts';
import { CombinedWrite } from '@platform/database';

/** How often a throttle key has been tried, and whether it is locked. */
export interface AttemptCount {
  key: string;
  /** Attempts counted since the key's last reset, this one included (unless locked). */
  failures: number;
  /** The count when the current lock was set; one attempt may follow its expiry. */
  lockedAtFailures: number | null;
  /** Seconds the key stays locked; null or ≤ 0 when it is not locked. */
  lockedFor: number | null;
}

/** What a login checks the password against. */
export interface StoredCredential {
  userId: string;
  passwordHash: string;
  disabled: boolean;
}

/**
 * What a password login reads and writes in `auth.login_attempts`, and the credential it checks:
 * one statement before the password hash is verified and one clause of the statement that
 * records the success after it, since every round trip outside the hash adds to the time of
 * every login.
 */
@Injectable()
export class LoginStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /**
   * Counts an attempt against each throttle key (see `LoginThrottle`) and reads the account's
   * credential. A locked key keeps its count: attempts during a lock are not counted. A key
   * left alone for `windowSeconds` starts again from this attempt. Keys are
   * upserted in sorted order, so two attempts sharing keys take their row locks in the same
   * order and cannot deadlock. Only an active credential is read: an account whose
   * registration has not finished cannot log in. Emails are stored in their normal form; the
   * lookup uses the `lower(email)` index.
   */
  async attempt(
    email: string,
    keys: string[],
    windowSeconds: number,
  ): Promise<{ counts: AttemptCount[]; credential?: StoredCredential }> {
    const rows: (AttemptCount & Partial<StoredCredential>)[] = await this.dataSource.query(
      `WITH attempt AS (
         INSERT INTO auth.login_attempts AS a (key, failures)
         SELECT key, 1 FROM unnest($2::text[]) AS key ORDER BY key
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN a.locked_until > now() THEN a.failures
                           WHEN a.updated_at <= now() - make_interval(secs => $3) THEN 1
                           ELSE a.failures + 1 END,
           locked_at_failures = CASE WHEN a.locked_until > now() THEN a.locked_at_failures
                                     WHEN a.updated_at <= now() - make_interval(secs => $3) THEN NULL
                                     ELSE a.locked_at_failures END,
           updated_at = now()
         RETURNING key, failures, locked_at_failures,
                   ceil(extract(epoch FROM (a.locked_until - now())))::int AS locked_for)
       SELECT attempt.key, attempt.failures, attempt.locked_at_failures AS "lockedAtFailures",
              attempt.locked_for AS "lockedFor", c.user_id AS "userId",
              c.password_hash AS "passwordHash", c.disabled_at IS NOT NULL AS disabled
         FROM attempt
         LEFT JOIN auth.credentials c ON lower(c.email) = $1 AND c.status = 'active'`,
      [email, keys, windowSeconds],
    );
    const [first] = rows;
    return {
      counts: rows.map(({ key, failures, lockedAtFailures, lockedFor }) => ({
        key,
        failures,
        lockedAtFailures,
        lockedFor,
      })),
      credential: first?.userId
        ? { userId: first.userId, passwordHash: first.passwordHash!, disabled: first.disabled! }
        : undefined,
    };
  }

  /**
   * The login succeeded: clears the account's count, and takes this attempt back from the
   * address count, so one good login cannot launder a spray of failures from the same address.
   */
  async succeeded(accountKey: string, addressKey: string): Promise<void> {
    const write = new CombinedWrite();
    this.addSucceeded(write, accountKey, addressKey);
    await write.run(this.dataSource);
  }

  /** `succeeded`, as part of `write`: a login writes its success in one statement. */
  addSucceeded(write: CombinedWrite, accountKey: string, addressKey: string): void {
    const p = write.parameter;
    write.add('account_cleared', `DELETE FROM auth.login_attempts WHERE key = ${p(accountKey)}`);
    write.add(
      'address_taken_back',
      `UPDATE auth.login_attempts SET failures = greatest(failures - 1, 0)
        WHERE key = ${p(addressKey)}`,
    );
  }

  /**
   * What changed in the account since its credential was read with `passwordHash`: its password
   * (or the account is gone), or its disabling; undefined when it is as it was. The row is
   * read FOR SHARE: a password change writes the hash and ends the sessions in one transaction,
   * so a session stored after that transaction ended them must wait for its commit and see
   * the new hash, not the old one still visible until then.
   */
  async changedSince(
    userId: string,
    passwordHash: string,
  ): Promise<SubjectRevokedEvent['reason'] | undefined> {
    const [row]: { samePassword: boolean; disabled: boolean }[] = await this.dataSource.query(
      `SELECT password_hash = $2 AS "samePassword", disabled_at IS NOT NULL AS disabled
         FROM auth.credentials WHERE user_id = $1 AND status = 'active' FOR SHARE`,
      [userId, passwordHash],
    );
    if (!row?.samePassword) return 'password-changed';
    return row.disabled ? 'account-disabled' : undefined;
  }

  /** Locks a key for `seconds` unless a longer lock is already set. */
  async lock(key: string, seconds: number, failures: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth.login_attempts
          SET locked_until = now() + make_interval(secs => $2), locked_at_failures = $3
        WHERE key = $1 AND (locked_until IS NULL OR locked_until < now() + make_interval(secs => $2))`,
      [key, seconds, failures],
    );
  }
}
