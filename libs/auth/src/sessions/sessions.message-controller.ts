import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthPattern,
  RefreshTokenCommand,
  RevocationSnapshot,
  TokenResponse,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Public, SessionRequired } from '@platform/security';
import { SessionRevocation } from './session-revocation.service';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsMessageController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly revocation: SessionRevocation,
  ) {}

  @Public()
  @MessagePattern(AuthPattern.Refresh)
  refresh(@Payload() command: RefreshTokenCommand): Promise<TokenResponse> {
    return this.sessions.refresh(command);
  }

  /** A token without a session (`sid`) has nothing to end. */
  @MessagePattern(AuthPattern.Logout)
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.sessionId) await this.revocation.logout(principal.subject, principal.sessionId);
  }

  /** Ending every session is the account holder's call, not an API token's. */
  @SessionRequired()
  @MessagePattern(AuthPattern.LogoutAll)
  logoutAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.revocation.logoutAll(principal.subject);
  }

  /** Public: a verifier that starts late has no token yet; the list holds ids, not secrets. */
  @Public()
  @MessagePattern(AuthPattern.ListRevocations)
  revocations(): Promise<RevocationSnapshot> {
    return this.revocation.snapshot();
  }
}
