import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, LoginCommand, RefreshTokenDto, TokenResponse } from '@platform/contracts';
import { CurrentPrincipal, Principal, Public } from '@platform/security';
import { LoginService } from '../login/login.service';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsMessageController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @MessagePattern(AuthPattern.Login)
  login(@Payload() command: LoginCommand): Promise<TokenResponse> {
    return this.logins.login(command);
  }

  @Public()
  @MessagePattern(AuthPattern.Refresh)
  refresh(@Payload() command: RefreshTokenDto): Promise<TokenResponse> {
    return this.sessions.refresh(command.refresh_token);
  }

  @MessagePattern(AuthPattern.Logout)
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.sessionId) await this.sessions.logout(principal.subject, principal.sessionId);
  }

  @MessagePattern(AuthPattern.LogoutAll)
  async logoutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.logoutAll(principal.subject);
  }
}
