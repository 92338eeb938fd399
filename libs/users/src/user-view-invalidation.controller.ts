import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { UserViewCache } from './user-view.cache';

/**
 * Keeps each replica's `UserViewCache` in step with the writes other replicas make: every change
 * to a user is published as an event, and each replica (no queue group) drops that user's entry.
 * Public like every event handler: trust comes from who may publish on the subject.
 */
@Controller()
export class UserViewInvalidationController {
  constructor(private readonly views: UserViewCache) {}

  @Public()
  @EventPattern(UsersEvent.UserUpdated)
  updated(@Payload() event: { id?: unknown }): void {
    this.forget(event);
  }

  @Public()
  @EventPattern(UsersEvent.UserRolesChanged)
  rolesChanged(@Payload() event: { id?: unknown }): void {
    this.forget(event);
  }

  @Public()
  @EventPattern(UsersEvent.UserDisabled)
  disabled(@Payload() event: { id?: unknown }): void {
    this.forget(event);
  }

  private forget(event: { id?: unknown }): void {
    if (typeof event?.id === 'string') this.views.forget(event.id);
  }
}
