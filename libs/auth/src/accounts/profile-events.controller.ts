import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { isUUID } from 'class-validator';
import { UsersEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { RegistrationSettlement } from './registration-settlement.service';

/**
 * Hears that users created a profile, which completes its registration even when the reply to
 * auth was lost. Handled once per auth deployment (queue group `auth`); trusted because only the
 * users context may publish on the subject.
 */
@Controller()
export class ProfileEventsController {
  constructor(private readonly settlement: RegistrationSettlement) {}

  @Public()
  @EventPattern(UsersEvent.UserCreated, { queue: 'auth' })
  async created(@Payload() event: { id?: unknown }): Promise<void> {
    if (isUUID(event?.id)) await this.settlement.profileCreated(event.id as string);
  }
}
