import { Injectable } from '@nestjs/common';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { isAccountDisabled } from '../accounts/users-profile.client';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionsService } from '../sessions/sessions.service';
import { InvalidCredentialsError } from './invalid-credentials.error';
import { PasswordCheck } from './password-check';

@Injectable()
export class LoginService {
  constructor(
    private readonly passwordCheck: PasswordCheck,
    private readonly sessions: SessionsService,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /**
   * Password login (`PasswordCheck`). The password hash is deliberately the slow part, and
   * little else waits for it: the profile (the token's roles) is read while the hash is
   * verified, and the session is stored, the count reset and the success logged while the
   * access token is signed.
   */
  async login(command: LoginCommand): Promise<TokenResponse> {
    const client = { clientIp: command.clientIp, userAgent: command.userAgent };
    const checked = await this.passwordCheck.check(
      {
        email: command.email,
        password: command.password,
        clientIp: command.clientIp,
        purpose: 'login',
      },
      (userId) => this.sessions.prepare(userId, client),
    );
    const session = checked.prepared;
    const [tokens] = await Promise.all([
      session
        .start()
        .catch(async (error: unknown) => {
          if (!isAccountDisabled(error)) throw error;
          // Users, which owns the account, disabled it; auth may not have heard yet. The caller
          // learns no more than from a wrong password.
          await this.securityLog.append({
            type: 'login_failed',
            userId: checked.userId,
            details: { clientIp: command.clientIp, purpose: 'login' },
          });
          throw new InvalidCredentialsError();
        })
        .then(async (started) => {
          await this.securityLog.append({
            type: 'login_succeeded',
            userId: checked.userId,
            sessionId: session.id,
            details: { clientIp: command.clientIp },
          });
          return started;
        }),
      checked.succeeded(),
    ]);
    return tokens;
  }
}
