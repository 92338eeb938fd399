import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { UserRolesChangedEvent, UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { AccountChanges } from './account-changes.service';

/**
 * Reacts to account changes made in the users context. Handled once per auth deployment (queue
 * group `auth`); trusted because only the users context may publish on these subjects.
 */
@Controller()
export class AccountEventsController {
  constructor(private readonly accounts: AccountChanges) {}

  @Public()
  @EventPattern(UsersEvent.UserDisabled, { queue: 'auth' })
  async disabled(@Payload() event: { id?: unknown }): Promise<void> {
    if (typeof event?.id === 'string') await this.accounts.disabled(event.id);
  }

  @Public()
  @EventPattern(UsersEvent.UserRolesChanged, { queue: 'auth' })
  async rolesChanged(@Payload() event: UserRolesChangedEvent): Promise<void> {
    if (typeof event?.id === 'string') await this.accounts.rolesChanged(event.id);
  }
}
