import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter } from 'prom-client';
import { PlatformEnv } from '@platform/config';
import { Metrics } from '@platform/observability';
import { addressKey } from '@platform/security';
import { AttemptCount, LoginStore } from './login.store';

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
 * Every attempt is counted *before* the password is checked, by one atomic upsert of all its
 * keys (`LoginStore.attempt`), so parallel guesses cannot all pass a check-then-count gap: the
 * (max+1)th concurrent attempt sees its own number and is refused unseen. A success clears the
 * account's count but only takes its own attempt back from the address count
 * (`LoginStore.succeeded`), so one good login cannot launder a spray. After its limit of
 * failures a key is locked for `LOGIN_LOCK_SECONDS`; once a lock expires one attempt is let
 * through, and its failure locks again for twice as long, up to `LOGIN_MAX_LOCK_SECONDS`. A
 * locked key does not count the attempts made during its lock, which are refused without
 * checking the password, so a lock reveals nothing. Failures decay: a key left alone for
 * `LOGIN_FAILURE_WINDOW_SECONDS` starts counting again, so honest users behind one address
 * are not locked out for good by failures long past.
 */
@Injectable()
export class LoginThrottle {
  private readonly lockSeconds: number;
  private readonly maxLockSeconds: number;
  private readonly maxFailuresPerAccount: number;
  private readonly maxFailuresPerAddress: number;
  readonly windowSeconds: number;
  private readonly failures: Counter;
  private readonly lockouts: Counter<'key'>;

  constructor(
    private readonly store: LoginStore,
    config: ConfigService<PlatformEnv, true>,
    metrics: Metrics,
  ) {
    this.failures = metrics.counter({
      name: 'auth_login_failures_total',
      help: 'Password logins refused for a wrong email or password, or a disabled account',
    });
    this.lockouts = metrics.counter({
      name: 'auth_login_lockouts_total',
      help: 'Login attempts refused unchecked because their account or address was locked',
      labelNames: ['key'] as const,
    });
    this.lockSeconds = config.get('LOGIN_LOCK_SECONDS', { infer: true });
    this.maxLockSeconds = config.get('LOGIN_MAX_LOCK_SECONDS', { infer: true });
    this.maxFailuresPerAccount = config.get('LOGIN_MAX_FAILURES', { infer: true });
    this.maxFailuresPerAddress = config.get('LOGIN_MAX_FAILURES_PER_ADDRESS', { infer: true });
    this.windowSeconds = config.get('LOGIN_FAILURE_WINDOW_SECONDS', { infer: true });
  }

  /**
   * The keys an attempt counts against: the account, and the client address (an IPv6 one by
   * its /64), whose limit is higher because many honest users can share one address behind a
   * NAT.
   */
  keysFor(
    email: string,
    clientIp: string | undefined,
  ): { account: ThrottleKey; address: ThrottleKey } {
    return {
      account: { key: `account:${email}`, maxFailures: this.maxFailuresPerAccount },
      address: { key: addressKey(clientIp), maxFailures: this.maxFailuresPerAddress },
    };
  }

  /**
   * Whether an attempt may check its password, given its keys' counts (which `LoginStore`
   * took, this attempt included): refused when any key is locked or past its limit.
   */
  async decide(keys: ThrottleKey[], counts: AttemptCount[]): Promise<ThrottleDecision> {
    const byKey = new Map(counts.map((count) => [count.key, count]));
    const failures = new Map<string, number>();
    for (const { key, maxFailures } of keys) {
      const count = byKey.get(key);
      if (!count) throw new Error(`No attempt was counted for ${key}`);
      if (count.lockedFor !== null && count.lockedFor > 0) {
        this.lockouts.inc({ key: kindOf(key) });
        return { allowed: false, retryAfterSeconds: count.lockedFor };
      }
      // Past the limit, only the first attempt after a lock has expired gets its turn.
      if (count.failures > (count.lockedAtFailures ?? maxFailures - 1) + 1) {
        this.lockouts.inc({ key: kindOf(key) });
        return {
          allowed: false,
          retryAfterSeconds: await this.lock(key, count.failures, maxFailures),
        };
      }
      failures.set(key, count.failures);
    }
    return { allowed: true, failures };
  }

  /** The attempt failed: each key that reached its limit is locked. */
  async failed(keys: ThrottleKey[], failures: Map<string, number>): Promise<void> {
    this.failures.inc();
    for (const { key, maxFailures } of keys) {
      const count = failures.get(key) ?? 0;
      if (count >= maxFailures) await this.lock(key, count, maxFailures);
    }
  }

  private async lock(key: string, failures: number, maxFailures: number): Promise<number> {
    const seconds = Math.min(
      this.maxLockSeconds,
      this.lockSeconds * 2 ** Math.max(0, failures - maxFailures),
    );
    await this.store.lock(key, seconds, failures);
    return seconds;
  }
}

/** `account` or `ip`: what a throttle key counts, never whose it is. */
function kindOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}
