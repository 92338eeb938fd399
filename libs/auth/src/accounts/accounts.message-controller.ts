import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, RegisterAccountCommand, UserView } from '@platform/contracts';
import { Public } from '@platform/security';
import { RegistrationService } from './registration.service';

@Controller()
export class AccountsMessageController {
  constructor(private readonly registration: RegistrationService) {}

  @Public()
  @MessagePattern(AuthPattern.RegisterAccount)
  register(@Payload() command: RegisterAccountCommand): Promise<UserView> {
    return this.registration.register(command);
  }
}
