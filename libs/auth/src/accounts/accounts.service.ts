import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RegisterAccountDto, Role, UsersPattern, UserView } from '@platform/contracts';
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
