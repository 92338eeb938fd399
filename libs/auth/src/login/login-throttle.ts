import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformEnv } from '@platform/config';

/** What is counted, and how many failures it may have before it is locked. */
export interface ThrottleKey {
  key: string;
  maxFailures: number;
}

export type ThrottleDecision =
  /** `failures` counts this attempt, per key. */
  { allowed: true; failures: Map<string, number> } | { allowed: false; retryAfterSeconds: number };

/**
 * Brute-force protection (OWASP Authentication Cheat Sheet, "Protect Against Automated
 * Attacks"), counted per account and per client address, each with its own limit.
 *
 * Every attempt is counted *before* the password is checked, by one atomic upsert per key, so
 * parallel guesses cannot all pass a check-then-count gap: the (max+1)th concurrent attempt
 * sees its own number and is refused unseen. A success clears the account's count but only
 * takes its own attempt back from the address count, so one good login cannot launder a spray. After its
 * limit of failures a key is locked for `LOGIN_LOCK_SECONDS`; once a lock expires
 * one attempt is let through, and its failure locks again for twice as long, up to
 * `LOGIN_MAX_LOCK_SECONDS`. Attempts during a lock are refused without
 * counting, and without checking the password, so a lock reveals nothing.
 */
@Injectable()
export class LoginThrottle {
  private readonly lockSeconds: number;
  private readonly maxLockSeconds: number;

  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.lockSeconds = config.get('LOGIN_LOCK_SECONDS', { infer: true });
    this.maxLockSeconds = config.get('LOGIN_MAX_LOCK_SECONDS', { infer: true });
  }

  /** Counts an attempt for each key; refuses when any key is locked or past the limit. */
  async begin(keys: ThrottleKey[]): Promise<ThrottleDecision> {
    const failures = new Map<string, number>();
    for (const { key, maxFailures } of keys) {
      const [row] = (await this.dataSource.query(
        `INSERT INTO auth.login_attempts AS a (key, failures) VALUES ($1, 1)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN a.locked_until > now() THEN a.failures ELSE a.failures + 1 END,
           updated_at = now()
         RETURNING failures, locked_at_failures AS "lockedAtFailures",
                   ceil(extract(epoch FROM (a.locked_until - now())))::int AS "lockedFor"`,
        [key],
      )) as { failures: number; lockedAtFailures: number | null; lockedFor: number | null }[];
      if (row.lockedFor !== null && row.lockedFor > 0) {
        return { allowed: false, retryAfterSeconds: row.lockedFor };
      }
      // Past the limit, only the first attempt after a lock has expired gets its turn.
      if (row.failures > (row.lockedAtFailures ?? maxFailures - 1) + 1) {
        return {
          allowed: false,
          retryAfterSeconds: await this.lock(key, row.failures, maxFailures),
        };
      }
      failures.set(key, row.failures);
    }
    return { allowed: true, failures };
  }

  /** The attempt failed: each key that reached its limit is locked. */
  async failed(keys: ThrottleKey[], failures: Map<string, number>): Promise<void> {
    for (const { key, maxFailures } of keys) {
      const count = failures.get(key) ?? 0;
      if (count >= maxFailures) await this.lock(key, count, maxFailures);
    }
  }

  /**
   * The attempt succeeded: the account starts afresh, and the attempt counted up front against
   * the address is taken back, since it was not a failure.
   */
  async succeeded(accountKey: string, addressKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth.login_attempts WHERE key = $1`, [accountKey]);
    await this.dataSource.query(
      `UPDATE auth.login_attempts SET failures = greatest(failures - 1, 0) WHERE key = $1`,
      [addressKey],
    );
  }

  private async lock(key: string, failures: number, maxFailures: number): Promise<number> {
    const seconds = Math.min(
      this.maxLockSeconds,
      this.lockSeconds * 2 ** Math.max(0, failures - maxFailures),
    );
    await this.dataSource.query(
      `UPDATE auth.login_attempts
          SET locked_until = now() + make_interval(secs => $2), locked_at_failures = $3
        WHERE key = $1 AND (locked_until IS NULL OR locked_until < now() + make_interval(secs => $2))`,
      [key, seconds, failures],
    );
    return seconds;
  }
}
