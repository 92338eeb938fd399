import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { isUUID } from 'class-validator';
import { AuthEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { ProfileRegistration } from './profile-registration.service';

/**
 * Confirms the profile of an account auth reports whole. Handled once per users deployment
 * (queue group `users`); trusted because only the auth context may publish on the subject.
 */
@Controller()
export class AccountRegisteredController {
  constructor(private readonly registration: ProfileRegistration) {}

  @Public()
  @EventPattern(AuthEvent.AccountRegistered, { queue: 'users' })
  async registered(@Payload() event: { id?: unknown }): Promise<void> {
    if (isUUID(event?.id)) await this.registration.confirm(event.id as string);
  }
}
