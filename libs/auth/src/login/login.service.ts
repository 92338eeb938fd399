import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PlatformEnv } from '@platform/config';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { CredentialEntity } from '../accounts/credential.entity';
import { InvalidCredentialsError } from '../errors/invalid-credentials.error';
import { LoginLockedError } from '../errors/login-locked.error';
import { PasswordHasher } from '../password.hasher';
import { SessionsService } from '../sessions/sessions.service';
import { LoginThrottle } from './login-throttle';

/** Failed answers slow down before the lock: 100 ms, 200 ms, 400 ms... at most 1.6 s. */
const FAILURE_DELAY_BASE_MS = 100;
const FAILURE_DELAY_MAX_MS = 1600;

@Injectable()
export class LoginService {
  private readonly maxFailuresPerAccount: number;
  private readonly maxFailuresPerAddress: number;

  constructor(
    @InjectRepository(CredentialEntity, 'auth')
    private readonly credentials: Repository<CredentialEntity>,
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
   */
  async login(command: LoginCommand): Promise<TokenResponse> {
    const accountKey = `account:${command.email}`;
    const addressKey = `ip:${command.clientIp}`;
    const keys = [
      { key: accountKey, maxFailures: this.maxFailuresPerAccount },
      { key: addressKey, maxFailures: this.maxFailuresPerAddress },
    ];
    const decision = await this.throttle.begin(keys);
    if (!decision.allowed) throw new LoginLockedError(decision.retryAfterSeconds);

    const credential = await this.credentials.findOneBy({ email: command.email });
    const matches = await this.passwords.verify(credential?.passwordHash, command.password);
    if (!credential || !matches || credential.disabledAt) {
      await this.throttle.failed(keys, decision.failures);
      const failures = decision.failures.get(accountKey) ?? 1;
      await sleep(Math.min(FAILURE_DELAY_MAX_MS, FAILURE_DELAY_BASE_MS * 2 ** (failures - 1)));
      throw new InvalidCredentialsError();
    }
    await this.throttle.succeeded(accountKey, addressKey);
    return this.sessions.start(credential.userId, {
      clientIp: command.clientIp,
      userAgent: command.userAgent,
    });
  }
}
