import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import {
  AccountRegisteredEvent,
  AuthEvent,
  CreateUserDto,
  ErrorCode,
  ServiceError,
  UserView,
} from '@platform/contracts';
import { Outbox } from '@platform/transport';
import { CredentialStore } from './credential.store';
import { RegistrationPendingError } from './registration-pending.error';
import { UsersProfileClient } from './users-profile.client';

/** A stalled registration is looked at again after this long, until it is settled. */
const RETRY_SECONDS = 5;
/** How many stalled registrations one repair pass settles. */
const BATCH_SIZE = 50;

/**
 * Codes with which the users context refuses a profile for certain: nothing was created, so
 * the pending credential can go at once. Anything else (a timeout above all) leaves the
 * outcome unknown, and the registration to the repair.
 */
const REFUSED_FOR_CERTAIN = new Set<ErrorCode>([
  ErrorCode.EmailAlreadyRegistered,
  ErrorCode.ValidationFailed,
  ErrorCode.InvalidToken,
  ErrorCode.InsufficientScope,
  ErrorCode.Forbidden,
]);

/**
 * Brings every registration to one of two ends: whole (an active credential and its profile,
 * the profile confirmed) or absent (neither, the email free again), whatever stalls, times out
 * or restarts in between. It is a saga with auth as its coordinator:
 *
 * 1. the credential is stored `pending` (a pending credential cannot log in);
 * 2. users creates the profile, idempotently by id;
 * 3. on its reply, or its `users.user.created` event, whichever comes first, the credential
 *    turns `active` and `auth.account.registered` tells users to confirm the profile;
 * 4. a registration that stalled is repaired on a schedule: if users has the profile it is
 *    completed, otherwise it is undone, profile side first (users removes the profile and
 *    refuses its creation from then on, so a late creation cannot bring half of it back), then
 *    the credential. Profiles users has not seen confirmed are checked against the credentials
 *    too, so one left behind by any failure is removed.
 */
@Injectable()
export class RegistrationSettlement {
  private readonly logger = new Logger(RegistrationSettlement.name);
  /** How long a registration may take before it counts as stalled. */
  readonly settleSeconds: number;

  constructor(
    private readonly credentials: CredentialStore,
    private readonly profiles: UsersProfileClient,
    private readonly outbox: Outbox,
    config: ConfigService<PlatformEnv, true>,
  ) {
    // Past two request timeouts, no reply to the profile's creation can still be on its way.
    this.settleSeconds = Math.ceil((2 * config.get('REQUEST_TIMEOUT_MS', { infer: true })) / 1000);
  }

  /** Asks users for the profile of a pending account, and settles it by the answer. */
  async createProfile(profile: CreateUserDto): Promise<UserView> {
    let view: UserView;
    try {
      view = await this.profiles.create(profile);
    } catch (error) {
      if (error instanceof ServiceError && REFUSED_FOR_CERTAIN.has(error.code)) {
        await this.credentials.deleteUnsettled(profile.id);
        throw error;
      }
      await this.credentials.markStalled(profile.id);
      throw new RegistrationPendingError(this.settleSeconds);
    }
    await this.complete(profile.id);
    return view;
  }

  /** Users reports a profile created: its account is whole, or it is an orphan to remove. */
  async profileCreated(userId: string): Promise<void> {
    const status = (await this.credentials.statusesOf([userId])).get(userId);
    if (status === 'pending') await this.complete(userId);
    if (status === undefined) await this.profiles.cancelRegistration(userId);
  }

  /** Settles the registrations that have stalled: completes them, or undoes them. */
  async repairStalled(): Promise<void> {
    for (const { userId, status } of await this.credentials.claimUnsettled(
      BATCH_SIZE,
      RETRY_SECONDS,
    )) {
      await this.settleStalled(userId, status === 'cancelling').catch((error: unknown) =>
        this.logger.warn(`Registration ${userId} not settled yet: ${String(error)}`),
      );
    }
  }

  /** Confirms the profiles whose account is whole, and removes those without a credential. */
  async repairProfiles(): Promise<void> {
    const { ids } = await this.profiles.unconfirmed({
      limit: BATCH_SIZE,
      olderThanSeconds: this.settleSeconds,
    });
    const statuses = await this.credentials.statusesOf(ids);
    for (const userId of ids) {
      const status = statuses.get(userId);
      if (status === 'active') await this.profiles.confirmRegistration(userId);
      if (status === undefined) {
        this.logger.warn(`Removing the profile ${userId}, which has no credential`);
        await this.profiles.cancelRegistration(userId);
      }
    }
  }

  /** The credential is active and users is told so, in one transaction with the event. */
  private async complete(userId: string): Promise<void> {
    await this.outbox.transaction(async (manager, events) => {
      if (await this.credentials.activate(manager, userId)) {
        const event: AccountRegisteredEvent = { id: userId };
        await events.record(AuthEvent.AccountRegistered, event);
      }
    });
  }

  private async settleStalled(userId: string, cancelling: boolean): Promise<void> {
    if (!cancelling) {
      const found = await this.profiles.get(userId).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ServiceError && error.code === ErrorCode.NotFound) return false;
          throw error;
        },
      );
      if (found) return this.complete(userId);
      if (!(await this.credentials.markCancelling(userId))) return;
    }
    await this.profiles.cancelRegistration(userId);
    await this.credentials.deleteUnsettled(userId);
  }
}
