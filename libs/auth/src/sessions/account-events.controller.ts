import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { isIn, isUUID } from 'class-validator';
import { ROLES, UserDisabledEvent, UserRolesChangedEvent, UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { AccountChanges } from './account-changes.service';

/**
 * Reacts to account changes made in the users context. Handled once per auth deployment (queue
 * group `auth`); trusted because only the users context may publish on these subjects, and
 * only its outbox's events reach a handler (a reply that landed on one, an id and all, is no
 * event: see `IncomingPacket.eventEnvelope`). The payload is validated against its contract
 * class, which refuses anything else in it; one that is not what the contract says is refused.
 */
@Controller()
export class AccountEventsController {
  constructor(private readonly accounts: AccountChanges) {}

  @Public()
  @EventPattern(UsersEvent.UserDisabled, { queue: 'auth' })
  async disabled(@Payload() event: UserDisabledEvent): Promise<void> {
    if (isUUID(event?.id)) await this.accounts.disabled(event.id, actorOf(event));
  }

  @Public()
  @EventPattern(UsersEvent.UserRolesChanged, { queue: 'auth' })
  async rolesChanged(@Payload() event: UserRolesChangedEvent): Promise<void> {
    const roles: unknown = event?.roles;
    if (isUUID(event?.id) && Array.isArray(roles) && roles.every((role) => isIn(role, ROLES))) {
      await this.accounts.rolesChanged(event.id, event.roles, actorOf(event));
    }
  }
}

function actorOf(event: { by?: unknown }): string | undefined {
  return isUUID(event.by) ? (event.by as string) : undefined;
}
