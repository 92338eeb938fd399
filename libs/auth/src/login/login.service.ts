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
   * verified; then one statement stores the session, resets the count and logs the success
   * (all of them or none), while the access token is signed.
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
    let written = false;
    try {
      return await session.start((write) => {
        written = true;
        checked.addSucceeded(write);
        this.securityLog.addTo(write, {
          type: 'login_succeeded',
          userId: checked.userId,
          sessionId: session.id,
          details: { clientIp: command.clientIp },
        });
      });
    } catch (error) {
      // The write is all or nothing; before it, the password still matched.
      if (written) throw error;
      if (!isAccountDisabled(error)) {
        await checked.succeeded();
        throw error;
      }
      // Users, which owns the account, disabled it; auth may not have heard yet. The caller
      // learns no more than from a wrong password.
      await Promise.all([
        checked.succeeded(),
        this.securityLog.append({
          type: 'login_failed',
          userId: checked.userId,
          details: { clientIp: command.clientIp, purpose: 'login' },
        }),
      ]);
      throw new InvalidCredentialsError();
    }
  }
}
