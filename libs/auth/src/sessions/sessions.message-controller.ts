import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthPattern,
  ChangePasswordDto,
  LoginCommand,
  RefreshTokenDto,
  RevocationSnapshot,
  TokenResponse,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Public } from '@platform/security';
import { AccountsService } from '../accounts/accounts.service';
import { LoginService } from '../login/login.service';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsMessageController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
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

  @MessagePattern(AuthPattern.ChangePassword)
  async changePassword(
    @Payload() command: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.accounts.changePassword(principal.subject, command);
    await this.sessions.revokeSubject(principal.subject, 'password-changed');
  }

  /** Public: a verifier that starts late has no token yet; the list holds ids, not secrets. */
  @Public()
  @MessagePattern(AuthPattern.ListRevocations)
  revocations(): Promise<RevocationSnapshot> {
    return this.sessions.snapshot();
  }

  @MessagePattern(AuthPattern.LogoutAll)
  async logoutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.logoutAll(principal.subject);
  }
}
