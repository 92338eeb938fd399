import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, RegisterAccountDto, UserView } from '@platform/contracts';
import { Public } from '@platform/security';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsMessageController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @MessagePattern(AuthPattern.RegisterAccount)
  register(@Payload() command: RegisterAccountDto): Promise<UserView> {
    return this.accounts.register(command);
  }
}
