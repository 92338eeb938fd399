import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { UserRolesChangedEvent, UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { AccountsService } from '../accounts/accounts.service';
import { SessionsService } from './sessions.service';

/**
 * Reacts to account changes made in the users context. Handled once per auth deployment (queue
 * group `auth`); trusted because only the users context may publish on these subjects.
 */
@Controller()
export class AccountEventsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
  ) {}

  /** A disabled account can no longer log in, and nothing it holds works any more. */
  @Public()
  @EventPattern(UsersEvent.UserDisabled, { queue: 'auth' })
  async disabled(@Payload() event: { id?: unknown }): Promise<void> {
    if (typeof event?.id !== 'string') return;
    await this.accounts.disable(event.id);
    await this.sessions.revokeSubject(event.id, 'account-disabled');
  }

  /** Tokens carry roles: end the sessions so no token keeps the old ones (a demoted admin). */
  @Public()
  @EventPattern(UsersEvent.UserRolesChanged, { queue: 'auth' })
  async rolesChanged(@Payload() event: UserRolesChangedEvent): Promise<void> {
    if (typeof event?.id === 'string') await this.sessions.logoutAll(event.id, 'roles-changed');
  }
}
