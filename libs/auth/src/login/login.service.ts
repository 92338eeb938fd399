import { Injectable } from '@nestjs/common';
import { LoginCommand, SubjectRevokedEvent, TokenResponse } from '@platform/contracts';
import { isAccountDisabled } from '../accounts/users-profile.client';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { SessionsService } from '../sessions/sessions.service';
import { InvalidCredentialsError } from './invalid-credentials.error';
import { PasswordCheck } from './password-check';

@Injectable()
export class LoginService {
  constructor(
    private readonly passwordCheck: PasswordCheck,
    private readonly sessions: SessionsService,
    private readonly revocation: SessionRevocation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /**
   * Password login (`PasswordCheck`). The password hash is deliberately the slow part, and
   * little else waits for it: the profile (the token's roles) is read while the hash is
   * verified; then one statement stores the session, resets the count and logs the success
   * (all of them or none), while the access token is signed. The account is read again once
   * the session is stored (see `refuseIfChanged`).
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
    let tokens: TokenResponse;
    try {
      tokens = await session.start((write) => {
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
    await this.refuseIfChanged(checked.userId, checked.changedSince);
    return tokens;
  }

  /**
   * The hash was read before it was verified and the session stored after: a password change
   * or a disabling in between ends every session there is, but may have run before this one
   * was stored, and would leave it a refresh token that outlives the change. So the account is
   * read again now the session is stored: either that read sees the change, and the session
   * ends here, or the change committed after it, and so after the session, which its
   * revocation then ends. Refused as a wrong password is, which the old one now is.
   */
  private async refuseIfChanged(
    userId: string,
    changedSince: () => Promise<SubjectRevokedEvent['reason'] | undefined>,
  ): Promise<void> {
    const changed = await changedSince();
    if (!changed) return;
    await this.revocation.logoutAll(userId, changed);
    throw new InvalidCredentialsError();
  }
}
