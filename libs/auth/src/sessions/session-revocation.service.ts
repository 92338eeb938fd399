import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { longestTokenLifetimeOf, PlatformEnv } from '@platform/config';
import {
  AuthEvent,
  noRevocations,
  Revocations,
  SessionRevokedEvent,
  SubjectRevokedEvent,
} from '@platform/contracts';
import { Outbox, OutboxEvents } from '@platform/transport';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { EndedSession, SessionStore } from './session.store';
import { SubjectRevocationStore } from './subject-revocation.store';

/**
 * Ending sessions before their tokens expire. A session row is the unit of revocation: ending
 * it voids its refresh tokens at once, and its `sid` is announced (`auth.session.revoked`, from
 * the outbox) so every verifier denies its access tokens until they would have expired anyway.
 * Each method answers the `Revocations` it made, for the reply: the gateway denies them before
 * it answers, as the event may reach it after the client's next request.
 */
@Injectable()
export class SessionRevocation {
  private readonly logger = new Logger(SessionRevocation.name);
  /** How long after a revocation a token it voids may still be presented. */
  private readonly horizonSeconds: number;

  constructor(
    private readonly sessions: SessionStore,
    private readonly subjects: SubjectRevocationStore,
    private readonly outbox: Outbox,
    private readonly securityLog: SecurityEventWriter,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.horizonSeconds = longestTokenLifetimeOf(config);
  }

  logout(userId: string, sessionId: string): Promise<Revocations> {
    return this.end(userId, 'logout', (manager) =>
      this.sessions.revoke(manager, sessionId, 'logout'),
    );
  }

  logoutAll(
    userId: string,
    reason: SessionRevokedEvent['reason'] = 'logout-all',
  ): Promise<Revocations> {
    return this.end(userId, reason, (manager) =>
      this.sessions.revokeAllOf(manager, userId, reason),
    );
  }

  /**
   * Ends every session of an OAuth client, after `inTransaction` (the client's deletion) in the
   * same transaction: the deletion and the end of everything it granted commit together.
   */
  async endClient(
    clientId: string,
    inTransaction: (manager: EntityManager, events: OutboxEvents) => Promise<void>,
  ): Promise<void> {
    await this.outbox.transaction(async (manager, events) => {
      await inTransaction(manager, events);
      const ended = await this.sessions.revokeAllOfClient(manager, clientId);
      await this.announce(manager, events, 'client-deleted', ended);
    });
  }

  /**
   * Ends one session through the revocation endpoint (RFC 7009 2.1: revoking a refresh token
   * ends what it belongs to); nothing when it had ended already.
   */
  revokeSession(userId: string, sessionId: string): Promise<Revocations> {
    return this.end(userId, 'token-revoked', (manager) =>
      this.sessions.revoke(manager, sessionId, 'token-revoked'),
    );
  }

  /**
   * A spent refresh token came back: it was copied. The whole family ends (RFC 9700 4.14.2), so
   * the legitimate holder must log in again and the attacker's access tokens stop working
   * everywhere at once.
   */
  refreshTokenReused(userId: string, sessionId: string): Promise<Revocations> {
    this.logger.warn(`Refresh token reuse: session ${sessionId} of ${userId} revoked`);
    return this.end(userId, 'refresh-token-reuse', async (manager) => {
      await this.securityLog.record(manager, { type: 'refresh_token_reuse', userId, sessionId });
      return this.sessions.revoke(manager, sessionId, 'refresh-token-reuse');
    });
  }

  /**
   * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 2): the SSO session ends, and
   * with it every session its authorization codes opened for clients, so their access and
   * refresh tokens stop working everywhere.
   */
  endSsoSession(userId: string, ssoSessionId: string): Promise<Revocations> {
    return this.end(userId, 'logout', (manager) =>
      this.sessions.revokeWithDescendants(manager, ssoSessionId, 'logout'),
    );
  }

  /**
   * A redeemed authorization code came back: the session its first redemption opened ends,
   * and with it the tokens issued from the code (RFC 6749 4.1.2, RFC 9700 4.5: the code may
   * have been stolen).
   */
  authorizationCodeReused(userId: string, grantSessionId: string): Promise<Revocations> {
    this.logger.warn(`Authorization code reuse: session ${grantSessionId} of ${userId} revoked`);
    return this.end(userId, 'authorization-code-reuse', async (manager) => {
      await this.securityLog.record(manager, {
        type: 'authorization_code_reuse',
        userId,
        sessionId: grantSessionId,
      });
      return this.sessions.revoke(manager, grantSessionId, 'authorization-code-reuse');
    });
  }

  /**
   * Voids everything a user holds: every session ends, and verifiers refuse any token of the
   * user issued before now, sessions or not, until those tokens have expired. `inTransaction`
   * (the change that voids them, such as a new password) runs first in the same transaction:
   * the change and the end of what it voids commit together, or neither does.
   */
  async revokeSubject(
    userId: string,
    reason: SubjectRevokedEvent['reason'],
    inTransaction?: (manager: EntityManager) => Promise<void>,
  ): Promise<Revocations> {
    // iat has whole seconds. Rounding down keeps a login made right after the change valid; a
    // token issued earlier in the same second still dies with its session (its sid).
    const notBefore = Math.floor(Date.now() / 1000);
    const revocation: SubjectRevokedEvent = {
      userId,
      notBefore,
      until: notBefore + this.horizonSeconds,
      reason,
    };
    return this.outbox.transaction(async (manager, events) => {
      await inTransaction?.(manager);
      const ended = await this.sessions.revokeAllOf(manager, userId, reason);
      const sessions = await this.announce(manager, events, reason, ofUser(userId, ended));
      await this.subjects.record(manager, revocation);
      await events.record(AuthEvent.SubjectRevoked, revocation);
      await this.securityLog.record(manager, {
        type: 'subject_revoked',
        userId,
        details: { reason, notBefore },
      });
      const { until } = revocation;
      return { ...noRevocations(), sessions, subjects: [{ userId, notBefore, until }] };
    });
  }

  /** Ends the sessions `revoke` ends and announces them, in one transaction. */
  private end(
    userId: string,
    reason: SessionRevokedEvent['reason'],
    revoke: (manager: EntityManager) => Promise<string[]>,
  ): Promise<Revocations> {
    return this.outbox.transaction(async (manager, events) => {
      const ended = await revoke(manager);
      const sessions = await this.announce(manager, events, reason, ofUser(userId, ended));
      return { ...noRevocations(), sessions };
    });
  }

  /**
   * Announces ended sessions, in their transaction: verifiers deny each until every access token
   * it could have issued has expired, and the security log keeps it. A statement for all of them,
   * not one per session: a deleted client can end thousands. The sessions' revocations.
   */
  private async announce(
    manager: EntityManager,
    events: OutboxEvents,
    reason: SessionRevokedEvent['reason'],
    ended: EndedSession[],
  ): Promise<Revocations['sessions']> {
    const until = Math.ceil(Date.now() / 1000) + this.horizonSeconds;
    await events.recordAll(
      AuthEvent.SessionRevoked,
      ended.map(({ id, userId }): SessionRevokedEvent => ({
        sessionId: id,
        userId,
        reason,
        until,
      })),
    );
    await this.securityLog.recordAll(
      manager,
      ended.map(({ id, userId }) => ({
        type: 'session_revoked' as const,
        userId,
        sessionId: id,
        details: { reason },
      })),
    );
    return ended.map(({ id }) => ({ sessionId: id, until }));
  }
}

function ofUser(userId: string, sessionIds: string[]): EndedSession[] {
  return sessionIds.map((id) => ({ id, userId }));
}
