import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApiTokenRevokedEvent, AuthEvent, UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { CredentialTranslation } from './credential-translation';

/**
 * Drops resolved API tokens on every gateway replica (no queue group) the moment they must stop
 * working: revoked, their owner disabled or revoked wholesale, or their owner's roles changed
 * (the internal token carries roles and the scopes they allow). Trusted, like every event
 * handler, because of who may publish on these subjects.
 */
@Controller()
export class CredentialEvictionController {
  constructor(private readonly credentials: CredentialTranslation) {}

  @Public()
  @EventPattern(AuthEvent.ApiTokenRevoked)
  revoked(@Payload() event: ApiTokenRevokedEvent): void {
    if (typeof event?.id === 'string') this.credentials.forgetToken(event.id);
  }

  @Public()
  @EventPattern(AuthEvent.SubjectRevoked)
  subjectRevoked(@Payload() event: { userId?: unknown }): void {
    if (typeof event?.userId === 'string') this.credentials.forgetUser(event.userId);
  }

  @Public()
  @EventPattern(UsersEvent.UserDisabled)
  disabled(@Payload() event: { id?: unknown }): void {
    if (typeof event?.id === 'string') this.credentials.forgetUser(event.id);
  }

  @Public()
  @EventPattern(UsersEvent.UserRolesChanged)
  rolesChanged(@Payload() event: { id?: unknown }): void {
    if (typeof event?.id === 'string') this.credentials.forgetUser(event.id);
  }
}
