import { Injectable } from '@nestjs/common';
import { LoginCommand, TokenResponse } from '@platform/contracts';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionsService } from '../sessions/sessions.service';
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
      session.start().then(async (started) => {
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
