import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { InvalidCredentialsError } from '../errors/invalid-credentials.error';
import { LoginLockedError } from '../errors/login-locked.error';
import { PasswordHasher } from '../password.hasher';
import { SessionsService } from '../sessions/sessions.service';
import { LoginThrottle } from './login-throttle';
import { LoginStore } from './login.store';

/** Failed answers slow down before the lock: 100 ms, 200 ms, 400 ms... at most 1.6 s. */
const FAILURE_DELAY_BASE_MS = 100;
const FAILURE_DELAY_MAX_MS = 1600;

@Injectable()
export class LoginService {
  private readonly maxFailuresPerAccount: number;
  private readonly maxFailuresPerAddress: number;

  constructor(
    private readonly store: LoginStore,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.maxFailuresPerAccount = config.get('LOGIN_MAX_FAILURES', { infer: true });
    this.maxFailuresPerAddress = config.get('LOGIN_MAX_FAILURES_PER_ADDRESS', { infer: true });
  }

  /**
   * Password login. An unknown email, a wrong password and a disabled account get the same
   * error after the same work (a dummy hash is verified when there is no account), so accounts
   * cannot be enumerated by answer or by timing.
   *
   * The password hash is deliberately the slow part, and little else waits for it: one
   * statement counts the attempt and reads the account, the profile (the token's roles) is read
   * while the hash is verified, and one statement stores the session and resets the count while
   * the access token is signed.
   */
  async login(command: LoginCommand): Promise<TokenResponse> {
    const accountKey = `account:${command.email}`;
    const addressKey = `ip:${command.clientIp}`;
    const keys = [
      { key: accountKey, maxFailures: this.maxFailuresPerAccount },
      { key: addressKey, maxFailures: this.maxFailuresPerAddress },
    ];
    const { counts, credential } = await this.store.attempt(
      command.email,
      keys.map(({ key }) => key),
    );
    const decision = await this.throttle.decide(keys, counts);
    if (!decision.allowed) throw new LoginLockedError(decision.retryAfterSeconds);

    const profile =
      credential && !credential.disabled
        ? prefetch(this.sessions.profileOf(credential.userId))
        : undefined;
    const matches = await this.passwords.verify(credential?.passwordHash, command.password);
    if (!profile || !matches) {
      await this.throttle.failed(keys, decision.failures);
      const failures = decision.failures.get(accountKey) ?? 1;
      await sleep(Math.min(FAILURE_DELAY_MAX_MS, FAILURE_DELAY_BASE_MS * 2 ** (failures - 1)));
      throw new InvalidCredentialsError();
    }
    return this.sessions.start(
      await profile(),
      { clientIp: command.clientIp, userAgent: command.userAgent },
      (session) => this.store.succeeded(session, accountKey, addressKey),
    );
  }
}

/**
 * Starts `work` now and hands its outcome over when asked. Until then a failure is held, not
 * reported as an unhandled rejection; it is thrown to whoever asks.
 */
function prefetch<T>(work: Promise<T>): () => Promise<T> {
  const outcome = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const settled = await outcome;
    if (!settled.ok) throw settled.error;
    return settled.value;
  };
}
