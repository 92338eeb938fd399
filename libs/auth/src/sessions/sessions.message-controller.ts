import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthPattern,
  CONTEXTS,
  noRevocations,
  RefreshTokenCommand,
  RevocationSnapshot,
  Revocations,
  TokenResponse,
} from '@platform/contracts';
import {
  CallableBy,
  CurrentPrincipal,
  Principal,
  Public,
  SessionRequired,
} from '@platform/security';
import { RevocationsInForce } from './revocations-in-force';
import { SessionRevocation } from './session-revocation.service';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsMessageController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly revocation: SessionRevocation,
    private readonly inForce: RevocationsInForce,
  ) {}

  /** The gateway alone: the command's client address is what rotations are limited by. */
  @Public()
  @CallableBy('gateway')
  @MessagePattern(AuthPattern.Refresh)
  refresh(@Payload() command: RefreshTokenCommand): Promise<TokenResponse> {
    return this.sessions.refresh(command);
  }

  /** A token without a session (`sid`) has nothing to end. */
  @MessagePattern(AuthPattern.Logout)
  logout(@CurrentPrincipal() principal: Principal): Promise<Revocations> {
    if (!principal.sessionId) return Promise.resolve(noRevocations());
    return this.revocation.logout(principal.subject, principal.sessionId);
  }

  /** Ending every session is the account holder's call, not an API token's. */
  @SessionRequired()
  @MessagePattern(AuthPattern.LogoutAll)
  logoutAll(@CurrentPrincipal() principal: Principal): Promise<Revocations> {
    return this.revocation.logoutAll(principal.subject);
  }

  /**
   * For the platform's verifiers, which have no user's token when they start: their own
   * service token is the credential. Who was revoked is nobody else's business.
   */
  @Public()
  @CallableBy(...CONTEXTS)
  @MessagePattern(AuthPattern.ListRevocations)
  revocations(): Promise<RevocationSnapshot> {
    return this.inForce.snapshot();
  }
}
