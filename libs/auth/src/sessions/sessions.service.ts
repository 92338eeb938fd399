import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { FIRST_PARTY_CLIENT_ID, TokenResponse, UserView } from '@platform/contracts';
import { UsersProfileClient } from '../accounts/users-profile.client';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-token.codec';
import { TokenPairIssuer } from '../tokens/token-pair.issuer';
import { InvalidGrantError } from './invalid-grant.error';
import { SessionRevocation } from './session-revocation.service';
import { SessionStore } from './session.store';

const DAY_SECONDS = 86_400;

/** What is known of the client a session was started from. */
export interface SessionClient {
  clientIp?: string;
  userAgent?: string;
}

/**
 * Sessions and the tokens they hand out: a session's refresh tokens form one family, rotated on
 * every use (RFC 9700 4.14.2), and its id is the `sid` claim of its access tokens.
 */
@Injectable()
export class SessionsService {
  private readonly idleSeconds: number;
  private readonly absoluteSeconds: number;

  constructor(
    private readonly store: SessionStore,
    private readonly tokenPairs: TokenPairIssuer,
    private readonly profiles: UsersProfileClient,
    private readonly revocation: SessionRevocation,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.idleSeconds = config.get('REFRESH_IDLE_DAYS', { infer: true }) * DAY_SECONDS;
    this.absoluteSeconds = config.get('REFRESH_ABSOLUTE_DAYS', { infer: true }) * DAY_SECONDS;
  }

  /**
   * A new session for `user` and its first token pair. The session is stored while the access
   * token is signed; the tokens leave here only once both have succeeded.
   */
  async start(user: UserView, client: SessionClient): Promise<TokenResponse> {
    const refresh = newRefreshToken();
    const sessionId = randomUUID();
    const [tokens] = await Promise.all([
      this.tokenPairs.issue(user, sessionId, refresh.token, 'password'),
      this.store.create({
        id: sessionId,
        userId: user.id,
        clientId: FIRST_PARTY_CLIENT_ID,
        idleSeconds: this.idleSeconds,
        absoluteSeconds: this.absoluteSeconds,
        clientIp: client.clientIp,
        userAgent: client.userAgent,
        refreshTokenHash: refresh.hash,
      }),
    ]);
    return tokens;
  }

  /** Rotates a refresh token; presenting one that was already spent ends its session. */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const presented = hashRefreshToken(refreshToken);
    const next = newRefreshToken();
    const session = await this.store.rotate(presented, next.hash, this.idleSeconds);
    if (!session) {
      const reused = await this.store.findSpent(presented);
      if (reused) await this.revocation.refreshTokenReused(reused.userId, reused.sessionId);
      throw new InvalidGrantError();
    }
    const user = await this.profiles.get(session.userId);
    return this.tokenPairs.issue(user, session.sessionId, next.token, 'refresh_token');
  }
}
