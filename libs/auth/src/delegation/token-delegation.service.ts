import { Injectable } from '@nestjs/common';
import { DelegatedToken, DelegateTokenDto, ErrorCode, ServiceError } from '@platform/contracts';
import type { Principal } from '@platform/security';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';

/** A delegated token lives five minutes at most, and never past the token it narrows. */
const MAX_DELEGATED_TTL_SECONDS = 300;

/**
 * Narrows the caller's own access token to one audience and fewer scopes, for a service that
 * calls another on the user's behalf: the audience must be one the token already names and the
 * scopes ones it already holds, so the result can do nothing the caller could not (the
 * downscoping of RFC 8693 2.1, with the caller's token as the subject token). The session
 * (`sid`) is kept, so ending the session voids the narrowed token too.
 */
@Injectable()
export class TokenDelegation {
  constructor(private readonly tokens: AccessTokenIssuer) {}

  async delegate(caller: Principal, request: DelegateTokenDto): Promise<DelegatedToken> {
    if (!caller.audience.includes(request.audience)) {
      throw new ServiceError(ErrorCode.Forbidden, `The token is not for ${request.audience}`);
    }
    const notHeld = request.scopes.filter((scope) => !caller.scopes.includes(scope));
    if (notHeld.length > 0) {
      throw new ServiceError(ErrorCode.InsufficientScope, `Requires scope: ${notHeld.join(' ')}`);
    }
    const ttlSeconds = Math.min(
      MAX_DELEGATED_TTL_SECONDS,
      Math.floor(caller.expiresAt - Date.now() / 1000),
    );
    if (ttlSeconds <= 0) throw new ServiceError(ErrorCode.InvalidToken, 'Token expired');
    const accessToken = await this.tokens.issue({
      grantType: 'delegation',
      subject: caller.subject,
      sessionId: caller.sessionId,
      clientId: caller.clientId,
      audience: [request.audience],
      scopes: request.scopes,
      roles: caller.roles,
      ttlSeconds,
    });
    return { access_token: accessToken, expires_in: ttlSeconds };
  }
}
