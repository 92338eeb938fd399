import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { PasswordHasher } from '../accounts/password.hasher';
import { SecurityEventWriter } from '../security-log/security-event.writer';
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
    private readonly sessions: SessionsService,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /**
   * Password login. An unknown email, a wrong password and a disabled account get the same
   * error after the same work (a dummy hash is verified when there is no account), so accounts
   * cannot be enumerated by answer or by timing.
   *
   * The password hash is deliberately the slow part, and little else waits for it: one
   * statement counts the attempt and reads the account, the profile (the token's roles) is read
   * while the hash is verified, and the session is stored, the count reset and the outcome
   * logged while the access token is signed. Every attempt lands in the security log.
   */
  async login(command: LoginCommand): Promise<TokenResponse> {
    const { account, address } = this.throttle.keysFor(command.email, command.clientIp);
    const keys = [account, address];
    const { counts, credential } = await this.store.attempt(
      command.email,
      keys.map(({ key }) => key),
    );
    const userId = credential?.userId;
    // Who tried from where; never what was typed (a password pasted into the email field).
    const details = { clientIp: command.clientIp };
    const decision = await this.throttle.decide(keys, counts);
    if (!decision.allowed) {
      await this.securityLog.append({ type: 'login_locked', userId, details });
      throw new LoginLockedError(decision.retryAfterSeconds);
    }

    const session =
      credential && !credential.disabled
        ? this.sessions.prepare(credential.userId, {
            clientIp: command.clientIp,
            userAgent: command.userAgent,
          })
        : undefined;
    const matches = await this.passwords.verify(credential?.passwordHash, command.password);
    if (!session || !matches) {
      await Promise.all([
        this.throttle.failed(keys, decision.failures),
        this.securityLog.append({ type: 'login_failed', userId, details }),
      ]);
      const failures = decision.failures.get(account.key) ?? 1;
      await sleep(Math.min(FAILURE_DELAY_MAX_MS, FAILURE_DELAY_BASE_MS * 2 ** (failures - 1)));
      throw new InvalidCredentialsError();
    }
    const [tokens] = await Promise.all([
      session.start().then(async (started) => {
        await this.securityLog.append({
          type: 'login_succeeded',
          userId,
          sessionId: session.id,
          details,
        });
        return started;
      }),
      this.store.succeeded(account.key, address.key),
    ]);
    return tokens;
  }
}
