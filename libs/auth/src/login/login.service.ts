import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { PasswordHasher } from '../accounts/password.hasher';
import { UsersProfileClient } from '../accounts/users-profile.client';
import { SessionsService } from '../sessions/sessions.service';
import { InvalidCredentialsError } from './invalid-credentials.error';
import { LoginLockedError } from './login-locked.error';
import { LoginThrottle } from './login-throttle';
import { LoginStore } from './login.store';

/** Failed answers slow down before the lock: 100 ms, 200 ms, 400 ms... at most 1.6 s. */
const FAILURE_DELAY_BASE_MS = 100;
const FAILURE_DELAY_MAX_MS = 1600;

@Injectable()
export class LoginService {
  constructor(
    private readonly store: LoginStore,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly profiles: UsersProfileClient,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Password login. An unknown email, a wrong password and a disabled account get the same
   * error after the same work (a dummy hash is verified when there is no account), so accounts
   * cannot be enumerated by answer or by timing.
   *
   * The password hash is deliberately the slow part, and little else waits for it: one
   * statement counts the attempt and reads the account, the profile (the token's roles) is read
   * while the hash is verified, and the session is stored and the count reset while the access
   * token is signed.
   */
  async login(command: LoginCommand): Promise<TokenResponse> {
    const { account, address } = this.throttle.keysFor(command.email, command.clientIp);
    const keys = [account, address];
    const { counts, credential } = await this.store.attempt(
      command.email,
      keys.map(({ key }) => key),
    );
    const decision = await this.throttle.decide(keys, counts);
    if (!decision.allowed) throw new LoginLockedError(decision.retryAfterSeconds);

    const profile =
      credential && !credential.disabled
        ? prefetch(this.profiles.get(credential.userId))
        : undefined;
    const matches = await this.passwords.verify(credential?.passwordHash, command.password);
    if (!profile || !matches) {
      await this.throttle.failed(keys, decision.failures);
      const failures = decision.failures.get(account.key) ?? 1;
      await sleep(Math.min(FAILURE_DELAY_MAX_MS, FAILURE_DELAY_BASE_MS * 2 ** (failures - 1)));
      throw new InvalidCredentialsError();
    }
    const [tokens] = await Promise.all([
      this.sessions.start(await profile(), {
        clientIp: command.clientIp,
        userAgent: command.userAgent,
      }),
      this.store.succeeded(account.key, address.key),
    ]);
    return tokens;
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
