import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ChangePasswordDto,
  ErrorCode,
  RegisterAccountDto,
  Role,
  ServiceError,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { MessageBus } from '@platform/transport';
import { EmailAlreadyRegisteredError } from '../errors/email-already-registered.error';
import { PasswordHasher } from '../password.hasher';
import { ServiceCredentials } from '../tokens/service-credentials';
import { CredentialEntity } from './credential.entity';

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(CredentialEntity, 'auth')
    private readonly credentials: Repository<CredentialEntity>,
    private readonly passwords: PasswordHasher,
    private readonly bus: MessageBus,
    private readonly service: ServiceCredentials,
  ) {}

  /** Refuses the account's logins from now on. */
  async disable(userId: string): Promise<void> {
    await this.credentials.update({ userId }, { disabledAt: new Date() });
  }

  /**
   * Replaces the password after checking the current one. The caller then revokes every
   * session: whoever knew the old password may hold tokens.
   */
  async changePassword(userId: string, command: ChangePasswordDto): Promise<void> {
    const credential = await this.credentials.findOneBy({ userId });
    if (
      !credential ||
      !(await this.passwords.verify(credential.passwordHash, command.currentPassword))
    ) {
      throw new ServiceError(403, ErrorCode.InvalidCredentials, 'The current password is wrong');
    }
    if (command.newPassword.trim().toLowerCase() === credential.email) {
      throw new ServiceError(400, ErrorCode.ValidationFailed, 'Request validation failed', [
        { field: 'newPassword', messages: ['newPassword must not be the same as the email'] },
      ]);
    }
    await this.credentials.update(
      { userId },
      {
        passwordHash: await this.passwords.hash(command.newPassword),
        passwordChangedAt: new Date(),
      },
    );
  }

  /**
   * Stores the credential, then asks the users context for the profile under the same id. The
   * credential's unique email index decides races; if the profile cannot be created the
   * credential is removed again, so the address stays free to register.
   */
  async register(command: RegisterAccountDto, roles?: Role[]): Promise<UserView> {
    const passwordHash = await this.passwords.hash(command.password);
    const userId = randomUUID();
    try {
      await this.credentials.insert({
        userId,
        email: command.email,
        passwordHash,
        passwordChangedAt: new Date(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError();
      throw error;
    }
    try {
      return await this.bus.send<UserView>(
        UsersPattern.CreateUser,
        { id: userId, email: command.email, displayName: command.displayName, roles },
        { authorization: await this.service.authorization() },
      );
    } catch (error) {
      await this.credentials.delete({ userId });
      throw error;
    }
  }
}
