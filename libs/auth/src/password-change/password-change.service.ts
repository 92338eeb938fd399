import { Injectable } from '@nestjs/common';
import { ChangePasswordCommand, Revocations, ValidationFailedError } from '@platform/contracts';
import { CredentialStore } from '../accounts/credential.store';
import { PasswordHasher } from '../accounts/password.hasher';
import { InvalidCredentialsError } from '../login/invalid-credentials.error';
import { PasswordCheck } from '../login/password-check';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { InvalidCurrentPasswordError } from './invalid-current-password.error';

@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly passwords: PasswordHasher,
    private readonly passwordCheck: PasswordCheck,
    private readonly revocation: SessionRevocation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /**
   * Replaces the password after checking the current one through the login throttle (a stolen
   * access token is no password oracle), then voids every token of the user: whoever knew the
   * old password may hold some. The new hash, its security event and the revocation commit
   * together: a change that cannot end those sessions is not made. Answers the revocations,
   * for the reply.
   */
  async change(userId: string, command: ChangePasswordCommand): Promise<Revocations> {
    const credential = await this.credentials.findActive(userId);
    if (!credential) throw new InvalidCurrentPasswordError();
    if (command.newPassword.trim().toLowerCase() === credential.email) {
      throw new ValidationFailedError([
        { field: 'newPassword', messages: ['newPassword must not be the same as the email'] },
      ]);
    }
    const checked = await this.passwordCheck
      .check(
        {
          email: credential.email,
          password: command.currentPassword,
          clientIp: command.clientIp,
          purpose: 'password-change',
        },
        () => true,
      )
      .catch((error: unknown) => {
        throw error instanceof InvalidCredentialsError ? new InvalidCurrentPasswordError() : error;
      });
    await checked.succeeded();
    // Hashed before the transaction: argon2 is slow on purpose, and holds no row meanwhile.
    const passwordHash = await this.passwords.hash(command.newPassword);
    return this.revocation.revokeSubject(userId, 'password-changed', async (manager) => {
      await this.credentials.setPasswordHash(manager, userId, passwordHash);
      await this.securityLog.record(manager, { type: 'password_changed', userId });
    });
  }
}
