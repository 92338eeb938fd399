import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PlatformEnv } from '@platform/config';
import {
  AuthEvent,
  RevocationSnapshot,
  SessionRevokedEvent,
  SubjectRevokedEvent,
  TokenResponse,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { MessageBus, OutboxRelay, OutboxWriter } from '@platform/transport';
import { InvalidGrantError } from '../errors/invalid-grant.error';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import {
  FIRST_PARTY_AUDIENCE,
  FIRST_PARTY_CLIENT_ID,
  firstPartyScopes,
} from '../tokens/first-party-grant';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-token.codec';
import { ServiceCredentials } from '../tokens/service-credentials';
import { NewSession, SessionStore } from './session.store';

const DAY_SECONDS = 86_400;

export interface SessionClient {
  clientIp?: string;
  userAgent?: string;
}

/**
 * Sessions and the tokens they hand out. A session row is the unit of revocation: its refresh
 * tokens form one family (rotated on every use, RFC 9700 4.14.2), and its id is the `sid` claim
 * verifiers deny once it ends.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly idleSeconds: number;
  private readonly absoluteSeconds: number;

  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    private readonly store: SessionStore,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly bus: MessageBus,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly service: ServiceCredentials,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.idleSeconds = config.get('REFRESH_IDLE_DAYS', { infer: true }) * DAY_SECONDS;
    this.absoluteSeconds = config.get('REFRESH_ABSOLUTE_DAYS', { infer: true }) * DAY_SECONDS;
  }

  /** Roles live in the users context and may have changed: every token pair reads them afresh. */
  async profileOf(userId: string): Promise<UserView> {
    return this.bus.send<UserView>(
      UsersPattern.GetUser,
      { id: userId },
      { authorization: await this.service.authorization() },
    );
  }

  /**
   * A new session for `user` and its first token pair. `store` persists the session (with
   * whatever else must be written with it) while the access token is signed; the tokens leave
   * here only once both have succeeded.
   */
  async start(
    user: UserView,
    client: SessionClient,
    store: (session: NewSession) => Promise<void>,
  ): Promise<TokenResponse> {
    const refresh = newRefreshToken();
    const sessionId = randomUUID();
    const [tokens] = await Promise.all([
      this.tokenPair(user, sessionId, refresh.token),
      store({
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

  /**
   * Rotates a refresh token. Presenting one that was already spent means it was copied: the
   * whole family is revoked (RFC 9700 4.14.2), the legitimate holder must log in again, and the
   * attacker's access tokens stop working everywhere at once.
   */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const presented = hashRefreshToken(refreshToken);
    const next = newRefreshToken();
    const session = await this.store.rotate(presented, next.hash, this.idleSeconds);
    if (!session) {
      const reused = await this.store.findSpent(presented);
      if (reused) {
        this.logger.warn(
          `Refresh token reuse: session ${reused.sessionId} of ${reused.userId} revoked`,
        );
        await this.revokeSessions(reused.userId, [reused.sessionId], 'refresh-token-reuse', {
          type: 'refresh_token_reuse',
        });
      }
      throw new InvalidGrantError();
    }
    const user = await this.profileOf(session.userId);
    return this.tokenPair(user, session.sessionId, next.token);
  }

  async logout(userId: string, sessionId: string): Promise<void> {
    await this.revokeSessions(userId, [sessionId], 'logout');
  }

  async logoutAll(
    userId: string,
    reason: SessionRevokedEvent['reason'] = 'logout-all',
  ): Promise<void> {
    await this.dataSource.transaction((manager) => this.revokeAllIn(manager, userId, reason));
    this.relay.notify();
  }

  /**
   * Voids everything a user holds: every session ends, and verifiers refuse any token of the
   * user issued before now, sessions or not, until those tokens have expired.
   */
  async revokeSubject(userId: string, reason: SubjectRevokedEvent['reason']): Promise<void> {
    // iat has whole seconds. Rounding down keeps a login made right after the change valid; a
    // token issued earlier in the same second still dies with its session (its sid).
    const notBefore = Math.floor(Date.now() / 1000);
    const until = notBefore + this.accessTokens.ttlSeconds + 60;
    await this.dataSource.transaction(async (manager) => {
      await this.revokeAllIn(manager, userId, reason);
      await manager.query(
        `INSERT INTO auth.subject_revocations (user_id, not_before, until, reason)
         VALUES ($1, to_timestamp($2), to_timestamp($3), $4)
         ON CONFLICT (user_id) DO UPDATE SET not_before = excluded.not_before, until = excluded.until,
                                             reason = excluded.reason`,
        [userId, notBefore, until, reason],
      );
      const event: SubjectRevokedEvent = { userId, notBefore, until, reason };
      await this.outbox.add(manager, AuthEvent.SubjectRevoked, event);
    });
    this.relay.notify();
  }

  /** What a verifier starting now must deny: revocations whose tokens may still be live. */
  async snapshot(): Promise<RevocationSnapshot> {
    const horizon = this.accessTokens.ttlSeconds + 60;
    const sessions: { sessionId: string; until: string }[] = await this.dataSource.query(
      `SELECT id AS "sessionId", (ceil(extract(epoch FROM revoked_at)) + $1)::text AS until
         FROM auth.sessions WHERE revoked_at > now() - make_interval(secs => $1)`,
      [horizon],
    );
    const subjects: { userId: string; notBefore: string; until: string }[] =
      await this.dataSource.query(
        `SELECT user_id AS "userId", ceil(extract(epoch FROM not_before))::text AS "notBefore",
              ceil(extract(epoch FROM until))::text AS until
         FROM auth.subject_revocations WHERE until > now()`,
      );
    return {
      sessions: sessions.map((s) => ({ sessionId: s.sessionId, until: Number(s.until) })),
      subjects: subjects.map((s) => ({
        userId: s.userId,
        notBefore: Number(s.notBefore),
        until: Number(s.until),
      })),
    };
  }

  private async revokeAllIn(
    manager: EntityManager,
    userId: string,
    reason: SessionRevokedEvent['reason'],
  ): Promise<void> {
    for (const sessionId of await this.store.revokeAllOf(manager, userId, reason)) {
      await this.outbox.add(
        manager,
        AuthEvent.SessionRevoked,
        this.revokedEvent(userId, sessionId, reason),
      );
    }
  }

  private async revokeSessions(
    userId: string,
    sessionIds: string[],
    reason: SessionRevokedEvent['reason'],
    securityEvent?: { type: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const sessionId of sessionIds) {
        if (securityEvent) {
          await manager.query(
            `INSERT INTO auth.security_events (type, user_id, session_id) VALUES ($1, $2, $3)`,
            [securityEvent.type, userId, sessionId],
          );
        }
        if (await this.store.revoke(manager, sessionId, reason)) {
          await this.outbox.add(
            manager,
            AuthEvent.SessionRevoked,
            this.revokedEvent(userId, sessionId, reason),
          );
        }
      }
    });
    this.relay.notify();
  }

  /** Verifiers deny the session until every access token it could have issued has expired. */
  private revokedEvent(
    userId: string,
    sessionId: string,
    reason: SessionRevokedEvent['reason'],
  ): SessionRevokedEvent {
    const until = Math.ceil(Date.now() / 1000) + this.accessTokens.ttlSeconds + 60;
    return { sessionId, userId, reason, until };
  }

  private async tokenPair(
    user: UserView,
    sessionId: string,
    refreshToken: string,
  ): Promise<TokenResponse> {
    const accessToken = await this.accessTokens.issue({
      userId: user.id,
      sessionId,
      clientId: FIRST_PARTY_CLIENT_ID,
      audience: FIRST_PARTY_AUDIENCE,
      scopes: firstPartyScopes(user.roles),
      roles: user.roles,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
      refresh_token: refreshToken,
    };
  }
}
