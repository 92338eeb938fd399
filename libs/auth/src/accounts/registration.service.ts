import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RegisterAccountDto, Role, UserView } from '@platform/contracts';
import { CredentialStore } from './credential.store';
import { PasswordHasher } from './password.hasher';
import { UsersProfileClient } from './users-profile.client';

@Injectable()
export class RegistrationService {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly passwords: PasswordHasher,
    private readonly profiles: UsersProfileClient,
  ) {}

  /**
   * Stores the credential, then asks the users context for the profile under the same id. The
   * credential's unique email index decides races; if the profile cannot be created the
   * credential is removed again, so the address stays free to register.
   */
  async register(command: RegisterAccountDto, roles?: Role[]): Promise<UserView> {
    const passwordHash = await this.passwords.hash(command.password);
    const userId = randomUUID();
    await this.credentials.insert(userId, command.email, passwordHash);
    try {
      return await this.profiles.create({
        id: userId,
        email: command.email,
        displayName: command.displayName,
        roles,
      });
    } catch (error) {
      await this.credentials.delete(userId);
      throw error;
    }
  }
}
