import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { SubjectRevokedEvent } from '@platform/contracts';
import { CombinedWrite } from '@platform/database';
import { PasswordHasher } from '../accounts/password.hasher';
import { AddressLimits } from '../limits/address-limits';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { InvalidCredentialsError } from './invalid-credentials.error';
import { LoginLockedError } from './login-locked.error';
import { LoginThrottle } from './login-throttle';
import { LoginStore } from './login.store';

/** Failed answers slow down before the lock: 100 ms, 200 ms, 400 ms... at most 1.6 s. */
const FAILURE_DELAY_BASE_MS = 100;
const FAILURE_DELAY_MAX_MS = 1600;

/** A password to check, and for what. */
export interface PasswordAttempt {
  email: string;
  password: string;
  clientIp?: string;
  /** Logged with a refusal: `login`, or the sensitive change it confirms. */
  purpose: 'login' | 'password-change';
}

/** A password that matched, and what its check prepared while the hash ran. */
export interface CheckedPassword<T> {
  userId: string;
  prepared: T;
  /** The attempt succeeded: the account's count is cleared, the address's taken back. */
  succeeded(): Promise<void>;
  /** `succeeded`, as part of a write the caller runs with what it records of the success. */
  addSucceeded(write: CombinedWrite): void;
  /**
   * What changed in the account since the password was checked against it (see
   * `LoginStore.changedSince`): undefined when nothing did.
   */
  changedSince(): Promise<SubjectRevokedEvent['reason'] | undefined>;
}

/**
 * Checks an account's password under the brute-force throttle (`LoginThrottle`), for a login
 * and for anything else that asks for the password again, so neither is an unthrottled
 * password oracle. An unknown email, a wrong password and a disabled account get the same
 * error after the same work (a dummy hash is verified when there is no account), so accounts
 * cannot be enumerated by answer or by timing. One statement counts the attempt and reads the
 * account; whatever `whileHashing` starts runs beside the hash. Refusals are logged. A check
 * that confirms a change also counts against the address's limit for that change.
 */
@Injectable()
export class PasswordCheck {
  constructor(
    private readonly store: LoginStore,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly securityLog: SecurityEventWriter,
    private readonly limits: AddressLimits,
  ) {}

  async check<T>(
    attempt: PasswordAttempt,
    whileHashing: (userId: string) => T,
  ): Promise<CheckedPassword<T>> {
    if (attempt.purpose !== 'login') await this.limits.count(attempt.purpose, attempt.clientIp);
    const { account, address } = this.throttle.keysFor(attempt.email, attempt.clientIp);
    const keys = [account, address];
    const { counts, credential } = await this.store.attempt(
      attempt.email,
      keys.map(({ key }) => key),
      this.throttle.windowSeconds,
    );
    const userId = credential?.userId;
    // Who tried from where, and for what; never what was typed (a password in the email field).
    const details = { clientIp: attempt.clientIp, purpose: attempt.purpose };
    const decision = await this.throttle.decide(keys, counts);
    if (!decision.allowed) {
      await this.securityLog.append({ type: 'login_locked', userId, details });
      throw new LoginLockedError(decision.retryAfterSeconds);
    }

    const prepared =
      credential && !credential.disabled ? whileHashing(credential.userId) : undefined;
    const matches = await this.passwords.verify(credential?.passwordHash, attempt.password);
    if (prepared === undefined || !matches || !userId || !credential) {
      await Promise.all([
        this.throttle.failed(keys, decision.failures),
        this.securityLog.append({ type: 'login_failed', userId, details }),
      ]);
      const failures = decision.failures.get(account.key) ?? 1;
      await sleep(Math.min(FAILURE_DELAY_MAX_MS, FAILURE_DELAY_BASE_MS * 2 ** (failures - 1)));
      throw new InvalidCredentialsError();
    }
    return {
      userId,
      prepared,
      succeeded: () => this.store.succeeded(account.key, address.key),
      addSucceeded: (write) => this.store.addSucceeded(write, account.key, address.key),
      changedSince: () => this.store.changedSince(userId, credential.passwordHash),
    };
  }
}
