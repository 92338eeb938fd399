import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import {
  EmailAlreadyRegisteredError,
  normalizeEmail,
  RegisterAccountCommand,
  UserView,
} from '@platform/contracts';
import { AddressLimits } from '../limits/address-limits';
import { CredentialStore } from './credential.store';
import { PasswordHasher } from './password.hasher';
import { RegistrationPendingError } from './registration-pending.error';
import { RegistrationSettlement } from './registration-settlement.service';

@Injectable()
export class RegistrationService {
  /** `BOOTSTRAP_ADMIN_EMAIL`, normalized: the users context makes its account an administrator. */
  private readonly bootstrapAdminEmail?: string;

  constructor(
    private readonly credentials: CredentialStore,
    private readonly passwords: PasswordHasher,
    private readonly settlement: RegistrationSettlement,
    private readonly limits: AddressLimits,
    config: ConfigService<PlatformEnv, true>,
  ) {
    const email = config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    this.bootstrapAdminEmail = email ? normalizeEmail(email) : undefined;
  }

  /**
   * Creates an account, whole or not at all (see `RegistrationSettlement`). Repeating a
   * registration that stalled (it answered `REGISTRATION_PENDING`), with the same email and
   * password, carries it on under the same id; an email registered, or being registered right
   * now, is refused. Registrations are limited per client address, counted before any password
   * is hashed: past the limit, a request costs the hash pool nothing.
   *
   * The bootstrap administrator's email is taken as registered whether or not its account
   * exists yet: until `BootstrapAdmin` has created it (a split start, the users context slow to
   * answer, a bootstrap that gave up), whoever registered it would be the first administrator.
   */
  async register(command: RegisterAccountCommand): Promise<UserView> {
    await this.limits.count('register', command.clientIp);
    if (this.bootstrapAdminEmail && normalizeEmail(command.email) === this.bootstrapAdminEmail) {
      throw new EmailAlreadyRegisteredError();
    }
    return this.create(command);
  }

  /** The bootstrap administrator's account (`BootstrapAdmin`), registered like any other. */
  registerBootstrapAdministrator(email: string, password: string): Promise<UserView> {
    return this.create({ email, password });
  }

  private async create(command: RegisterAccountCommand): Promise<UserView> {
    const userId =
      (await this.stalledRegistrationOf(command)) ?? (await this.storeCredential(command));
    return this.settlement.createProfile({
      id: userId,
      email: command.email,
      displayName: command.displayName,
    });
  }

  private async storeCredential(command: RegisterAccountCommand): Promise<string> {
    const userId = randomUUID();
    const passwordHash = await this.passwords.hash(command.password);
    try {
      await this.credentials.insertPending(
        userId,
        command.email,
        passwordHash,
        this.settlement.settleSeconds,
      );
      return userId;
    } catch (error) {
      // Another registration of this email got there first: carry it on if it is this one.
      const stalled =
        error instanceof EmailAlreadyRegisteredError && (await this.stalledRegistrationOf(command));
      if (stalled) return stalled;
      throw error;
    }
  }

  /**
   * The account id of a stalled registration of this email made with this password, if there
   * is one; an email registered, pending for another password, or being registered right now,
   * is refused as taken.
   */
  private async stalledRegistrationOf(
    command: RegisterAccountCommand,
  ): Promise<string | undefined> {
    const existing = await this.credentials.findByEmail(command.email);
    if (!existing) return undefined;
    if (existing.status === 'cancelling') {
      throw new RegistrationPendingError(this.settlement.settleSeconds);
    }
    if (
      existing.status === 'active' ||
      existing.stalledAt === null ||
      !(await this.passwords.verify(existing.passwordHash, command.password)) ||
      !(await this.credentials.resume(existing.userId, this.settlement.settleSeconds))
    ) {
      throw new EmailAlreadyRegisteredError();
    }
    return existing.userId;
  }
}
