import { Injectable } from '@nestjs/common';
import { ChangePasswordDto, ValidationFailedError } from '@platform/contracts';
import { CredentialStore } from '../accounts/credential.store';
import { PasswordHasher } from '../accounts/password.hasher';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { InvalidCurrentPasswordError } from './invalid-current-password.error';

@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly passwords: PasswordHasher,
    private readonly revocation: SessionRevocation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /**
   * Replaces the password after checking the current one, then voids every token of the user:
   * whoever knew the old password may hold some.
   */
  async change(userId: string, command: ChangePasswordDto): Promise<void> {
    const credential = await this.credentials.findActive(userId);
    if (
      !credential ||
      !(await this.passwords.verify(credential.passwordHash, command.currentPassword))
    ) {
      throw new InvalidCurrentPasswordError();
    }
    if (command.newPassword.trim().toLowerCase() === credential.email) {
      throw new ValidationFailedError([
        { field: 'newPassword', messages: ['newPassword must not be the same as the email'] },
      ]);
    }
    await this.credentials.setPasswordHash(userId, await this.passwords.hash(command.newPassword));
    await this.securityLog.append({ type: 'password_changed', userId });
    await this.revocation.revokeSubject(userId, 'password-changed');
  }
}
