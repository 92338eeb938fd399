import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, LoginCommand, TokenResponse } from '@platform/contracts';
import { CallableBy, Public } from '@platform/security';
import { LoginService } from './login.service';

@Controller()
export class LoginMessageController {
  constructor(private readonly logins: LoginService) {}

  /** The gateway alone: the command's client address is what the login throttle counts. */
  @Public()
  @CallableBy('gateway')
  @MessagePattern(AuthPattern.Login)
  login(@Payload() command: LoginCommand): Promise<TokenResponse> {
    return this.logins.login(command);
  }
}
