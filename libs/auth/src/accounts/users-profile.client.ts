import { Injectable } from '@nestjs/common';
import {
  CreateUserDto,
  ErrorCode,
  ListUnconfirmedProfilesDto,
  UnconfirmedProfiles,
  UsersPattern,
  UserView,
  ServiceError,
} from '@platform/contracts';
import { sendWithCredential } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ServiceCredentials, UsersScope } from '../tokens/service-credentials';

/**
 * The users context as auth calls it: the profile and roles that live there, asked for with
 * auth's own service token, never with the caller's.
 */
@Injectable()
export class UsersProfileClient {
  constructor(
    private readonly bus: MessageBus,
    private readonly credentials: ServiceCredentials,
  ) {}

  /** Creates the profile of the account `profile.id`; the same call again answers the same. */
  create(profile: CreateUserDto): Promise<UserView> {
    return this.send(UsersPattern.CreateUser, profile, 'users:write');
  }

  /**
   * Roles live in the users context and may have changed: every token pair reads them afresh.
   * Users refuses a disabled account's profile (see `isAccountDisabled`), which is what keeps
   * such an account from getting tokens when auth has not heard of the disabling yet.
   */
  get(userId: string): Promise<UserView> {
    return this.send(UsersPattern.GetUser, { id: userId }, 'users:read');
  }

  /** Removes the profile of a registration being undone, and refuses its creation from now on. */
  cancelRegistration(userId: string): Promise<void> {
    return this.send(UsersPattern.CancelRegistration, { id: userId }, 'users:write');
  }

  /** The account is whole: its profile is not an orphan. */
  confirmRegistration(userId: string): Promise<void> {
    return this.send(UsersPattern.ConfirmRegistration, { id: userId }, 'users:write');
  }

  /** Profiles not confirmed yet and due a check, each handed to one caller. */
  unconfirmed(query: ListUnconfirmedProfilesDto): Promise<UnconfirmedProfiles> {
    return this.send(UsersPattern.ListUnconfirmed, query, 'users:write');
  }

  /**
   * Auth calls as itself, so its own token for users is also the `service-authorization` that
   * says who sends, which the registration subjects check (`@CallableBy('auth')`).
   */
  private send<T>(subject: string, payload: object, scope: UsersScope): Promise<T> {
    return sendWithCredential(this.credentials.for(scope), (authorization) =>
      this.bus.send<T>(subject, payload, { authorization, serviceAuthorization: authorization }),
    );
  }
}

/** Whether the users context refused a profile because its account is disabled. */
export function isAccountDisabled(error: unknown): boolean {
  return error instanceof ServiceError && error.code === ErrorCode.AccountDisabled;
}
