import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EmailAlreadyRegisteredError } from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { CredentialEntity } from './credential.entity';

/** The rows of `auth.credentials`: what each account logs in with. */
@Injectable()
export class CredentialStore {
  constructor(
    @InjectRepository(CredentialEntity, 'auth')
    private readonly credentials: Repository<CredentialEntity>,
  ) {}

  /** Stores a new account's credential; its unique email index decides registration races. */
  async insert(userId: string, email: string, passwordHash: string): Promise<void> {
    try {
      await this.credentials.insert({
        userId,
        email,
        passwordHash,
        passwordChangedAt: new Date(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError();
      throw error;
    }
  }

  async delete(userId: string): Promise<void> {
    await this.credentials.delete({ userId });
  }

  find(userId: string): Promise<CredentialEntity | null> {
    return this.credentials.findOneBy({ userId });
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.credentials.update({ userId }, { passwordHash, passwordChangedAt: new Date() });
  }

  /** Refuses the account's logins from now on. */
  async disable(userId: string): Promise<void> {
    await this.credentials.update({ userId }, { disabledAt: new Date() });
  }
}
