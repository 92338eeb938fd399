import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, DelegatedToken, DelegateTokenDto } from '@platform/contracts';
import { CurrentPrincipal, Principal } from '@platform/security';
import { TokenDelegation } from './token-delegation.service';

@Controller()
export class DelegationMessageController {
  constructor(private readonly delegation: TokenDelegation) {}

  /** The bearer token of the message is the token being narrowed. */
  @MessagePattern(AuthPattern.DelegateToken)
  delegate(
    @Payload() request: DelegateTokenDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DelegatedToken> {
    return this.delegation.delegate(principal, request);
  }
}
