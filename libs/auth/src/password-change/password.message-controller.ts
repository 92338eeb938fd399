import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, ChangePasswordCommand, Revocations } from '@platform/contracts';
import { CallableBy, CurrentPrincipal, Principal, SessionRequired } from '@platform/security';
import { PasswordChangeService } from './password-change.service';

@Controller()
export class PasswordMessageController {
  constructor(private readonly passwordChange: PasswordChangeService) {}

  /** Only a signed-in session may change the password: an API token must not take an account over. */
  @SessionRequired()
  /** Sent by the gateway alone, with the client address the change limits count. */
  @CallableBy('gateway')
  @MessagePattern(AuthPattern.ChangePassword)
  change(
    @Payload() command: ChangePasswordCommand,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Revocations> {
    return this.passwordChange.change(principal.subject, command);
  }
}
