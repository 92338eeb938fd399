import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, RegisterAccountCommand, UserView } from '@platform/contracts';
import { CallableBy, Public } from '@platform/security';
import { RegistrationService } from './registration.service';

@Controller()
export class AccountsMessageController {
  constructor(private readonly registration: RegistrationService) {}

  /** The gateway alone: the command's client address is what registrations are limited by. */
  @Public()
  @CallableBy('gateway')
  @MessagePattern(AuthPattern.RegisterAccount)
  register(@Payload() command: RegisterAccountCommand): Promise<UserView> {
    return this.registration.register(command);
  }
}
