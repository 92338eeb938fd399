import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { longestTokenLifetimeOf, PlatformEnv } from '@platform/config';
import { HousekeepingPurge } from '@platform/database';
import { purgePublishedOutbox } from '@platform/transport';

/** Delivered events are kept this long, for an operator looking at what just happened. */
const PUBLISHED_EVENTS_KEPT_SECONDS = 86_400;
/**
 * An issued token's audit record is kept this long after the token expired: long enough for an
 * investigation of what a client did (the security log keeps the events for good).
 */
const ISSUED_TOKENS_KEPT_SECONDS = 30 * 86_400;

/**
 * What auth keeps only as long as it can matter, and when it stops mattering: throttle counts
 * past their window, sessions (with their refresh tokens) whose every access token has expired
 * since they ended, subject revocations past their `until`, used client assertions past their
 * expiry, issued tokens' audit records a month after the token expired, pending authorization
 * requests past their time, authorization codes that can revoke nothing any more, delivered
 * events. The security log is never purged.
 */
@Injectable()
export class HousekeepingStore implements HousekeepingPurge {
  private readonly loginWindowSeconds: number;
  private readonly rateWindowSeconds: number;
  private readonly tokenHorizonSeconds: number;

  constructor(config: ConfigService<PlatformEnv, true>) {
    this.loginWindowSeconds = config.get('LOGIN_FAILURE_WINDOW_SECONDS', { infer: true });
    this.rateWindowSeconds = config.get('ADDRESS_LIMIT_WINDOW_SECONDS', { infer: true });
    this.tokenHorizonSeconds = longestTokenLifetimeOf(config);
  }

  async purge(manager: EntityManager): Promise<Record<string, number>> {
    const deleted = async (sql: string, parameters: unknown[] = []) =>
      ((await manager.query(sql, parameters)) as [unknown, number])[1];
    return {
      loginAttempts: await deleted(
        `DELETE FROM auth.login_attempts
          WHERE updated_at < now() - make_interval(secs => $1)
            AND (locked_until IS NULL OR locked_until < now())`,
        [this.loginWindowSeconds],
      ),
      rateLimits: await deleted(
        `DELETE FROM auth.rate_limits WHERE window_started_at < now() - make_interval(secs => $1)`,
        [this.rateWindowSeconds],
      ),
      // Ended (revoked or expired) longer ago than any of its access tokens can live.
      sessions: await deleted(
        `DELETE FROM auth.sessions
          WHERE coalesce(revoked_at, least(idle_expires_at, absolute_expires_at))
                < now() - make_interval(secs => $1)`,
        [this.tokenHorizonSeconds],
      ),
      subjectRevocations: await deleted(`DELETE FROM auth.subject_revocations WHERE until < now()`),
      tokenRevocations: await deleted(`DELETE FROM auth.token_revocations WHERE until < now()`),
      // A used client assertion matters only until it would have expired (RFC 7523 3).
      clientAssertions: await deleted(
        `DELETE FROM auth.client_assertions WHERE expires_at < now()`,
      ),
      issuedTokens: await deleted(
        `DELETE FROM auth.issued_tokens WHERE expires_at < now() - make_interval(secs => $1)`,
        [ISSUED_TOKENS_KEPT_SECONDS],
      ),
      authorizationRequests: await deleted(
        `DELETE FROM auth.authorization_requests WHERE expires_at < now()`,
      ),
      // A redeemed code is kept while the session it opened is: presented again, it still
      // revokes what it produced (RFC 6749 4.1.2). An expired unredeemed one opened nothing.
      authorizationCodes: await deleted(
        `DELETE FROM auth.authorization_codes c
          WHERE c.expires_at < now()
            AND NOT EXISTS (SELECT 1 FROM auth.sessions s WHERE s.id = c.grant_session_id)`,
      ),
      outbox: await purgePublishedOutbox(manager, 'auth', PUBLISHED_EVENTS_KEPT_SECONDS),
    };
  }
}
