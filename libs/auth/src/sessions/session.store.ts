import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Audience } from '@platform/contracts';
import { CombinedWrite } from '@platform/database';
import { SessionLifetime } from './session-lifetime';

/** A session as it is first stored, with its first refresh token. */
export interface NewSession {
  id: string;
  userId: string;
  clientId: string;
  clientIp?: string;
  userAgent?: string;
  refreshTokenHash: Buffer;
  /** What the client was granted; absent for first-party sessions (their scopes follow roles). */
  scopes?: readonly string[];
  /** The client's idle lifetime (`refreshTokenTtlSeconds`), shorter than `REFRESH_IDLE_DAYS`. */
  idleSeconds?: number;
}

export interface RotatedSession {
  sessionId: string;
  userId: string;
  clientId: string;
  /** What the session's client was granted; null for first-party sessions. */
  scopes: string[] | null;
  /** The resources its grant is held to (RFC 8707 2.1); null when it named none. */
  resources: Audience[] | null;
}

/** Whose a session is and what it was granted. */
export type SessionGrant = Pick<RotatedSession, 'userId' | 'scopes' | 'resources'>;

/** A refresh token's session, as revocation and introspection see it. Times are epoch seconds. */
export interface RefreshTokenSession {
  sessionId: string;
  userId: string;
  clientId: string;
  scopes: string[] | null;
  spent: boolean;
  expiresAt: number;
  issuedAt: number;
}

/** A session just ended, and whose it was. */
export interface EndedSession {
  id: string;
  userId: string;
}

/**
 * The sessions an end applies to, each by the value in `$1`: one session; a session with those
 * opened under it (the grants an SSO session's authorization codes opened for clients); a
 * user's; an OAuth client's.
 */
const LIVE_SESSIONS_OF = {
  session: 'id = $1',
  sessionWithDescendants: '(id = $1 OR parent_session_id = $1)',
  user: 'user_id = $1',
  client: 'client_id = $1',
} as const;

/**
 * Sessions and their refresh tokens, in `auth.sessions` and `auth.refresh_tokens`. A session
 * ends after `REFRESH_IDLE_DAYS` without a refresh, and `REFRESH_ABSOLUTE_DAYS` after it began
 * however often it is refreshed.
 */
@Injectable()
export class SessionStore {
  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    private readonly lifetime: SessionLifetime,
  ) {}

  /**
   * Stores a session with its first refresh token, in one statement; `alongside` adds what else
   * must be written with the new session (what a login records), in the same round trip and
   * commit.
   */
  async create(session: NewSession, alongside?: (write: CombinedWrite) => void): Promise<void> {
    const write = new CombinedWrite();
    this.addCreate(write, session);
    alongside?.(write);
    await write.run(this.dataSource);
  }

  private addCreate(write: CombinedWrite, session: NewSession): void {
    const p = write.parameter;
    const created = write.add(
      'session',
      `INSERT INTO auth.sessions (id, user_id, client_id, idle_expires_at, absolute_expires_at,
                                  client_ip, user_agent, scopes)
       VALUES (${p(session.id)}, ${p(session.userId)}, ${p(session.clientId)},
               now() + make_interval(secs => ${p(this.lifetime.firstIdleSeconds(session.idleSeconds))}),
               now() + make_interval(secs => ${p(this.lifetime.absoluteSeconds)}),
               ${p(session.clientIp ?? null)}, ${p(session.userAgent ?? null)},
               ${p(session.scopes ?? null)})
       RETURNING id`,
    );
    write.add(
      'refresh_token',
      `INSERT INTO auth.refresh_tokens (token_hash, session_id)
       SELECT ${p(session.refreshTokenHash)}, id FROM ${created}`,
    );
  }

  /**
   * Spends a refresh token of `clientId`'s, extends its session's idle lifetime (by
   * `idleSeconds`, the client's, at most `REFRESH_IDLE_DAYS`) and stores the successor, in one
   * statement. The spend is a conditional UPDATE, so of two parallel refreshes with the same
   * token exactly one matches a row (the other, re-checking it once the first commits, finds it
   * spent) and only that one writes anything. A token of another client is not spent
   * (RFC 6749 6: it must have been issued to the client presenting it). Returns null when
   * nothing was spent.
   */
  async rotate(
    oldHash: Buffer,
    newHash: Buffer,
    clientId: string,
    idleSeconds = this.lifetime.idleSeconds,
  ): Promise<RotatedSession | null> {
    const rows: RotatedSession[] = await this.dataSource.query(
      `WITH spent AS (
         UPDATE auth.refresh_tokens AS t SET spent_at = now()
           FROM auth.sessions AS s
          WHERE t.token_hash = $1 AND t.spent_at IS NULL AND s.id = t.session_id
            AND s.client_id = $4
            AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
          RETURNING s.id AS session_id, s.user_id, s.client_id, s.scopes, s.resources),
       extended AS (
         UPDATE auth.sessions AS s SET refreshed_at = now(),
                idle_expires_at = least(now() + make_interval(secs => $3), s.absolute_expires_at)
           FROM spent WHERE s.id = spent.session_id),
       successor AS (
         INSERT INTO auth.refresh_tokens (token_hash, session_id) SELECT $2, session_id FROM spent)
       SELECT session_id AS "sessionId", user_id AS "userId", client_id AS "clientId", scopes,
              resources
         FROM spent`,
      [oldHash, newHash, Math.min(idleSeconds, this.lifetime.idleSeconds), clientId],
    );
    return rows[0] ?? null;
  }

  /**
   * Runs `answer`, what answers a rotation (the profile read, the new pair signed), and takes
   * the rotation back when it fails: the successor, never handed out, goes, and the presented
   * token is unspent again, so the client's retry is a refresh, not a reuse that ends the
   * session (RFC 9700 4.14.2 detects a replayed token, not an answer that never came). Only
   * an unspent successor is taken back; the session keeps the idle time the rotation gave it.
   */
  async handOut<T>(oldHash: Buffer, newHash: Buffer, answer: () => Promise<T>): Promise<T> {
    try {
      return await answer();
    } catch (error) {
      await this.dataSource
        .query(
          `WITH successor AS (
             DELETE FROM auth.refresh_tokens WHERE token_hash = $2 AND spent_at IS NULL
             RETURNING session_id)
           UPDATE auth.refresh_tokens AS t SET spent_at = NULL
             FROM successor WHERE t.token_hash = $1 AND t.session_id = successor.session_id`,
          [oldHash, newHash],
        )
        // The answer is the failure either way; a retry then finds the token spent, as before.
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * The grant of an unspent refresh token of `clientId`'s (its user, scopes and the resources
   * it is held to, `null`: none named), or `undefined` when it is none: what a refresh that
   * asks for a scope or a resource is checked against before it spends the token (RFC 6749 6,
   * RFC 8707 2.2).
   */
  async grantOf(hash: Buffer, clientId: string): Promise<SessionGrant | undefined> {
    const rows: SessionGrant[] = await this.dataSource.query(
      `SELECT s.user_id AS "userId", s.scopes, s.resources
         FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1 AND t.spent_at IS NULL AND s.client_id = $2`,
      [hash, clientId],
    );
    return rows[0];
  }

  /** The session a refresh token belongs to, if the token exists and has been spent. */
  async findSpent(hash: Buffer): Promise<{ sessionId: string; userId: string } | null> {
    const rows: { sessionId: string; userId: string }[] = await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.user_id AS "userId"
         FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1 AND t.spent_at IS NOT NULL`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Ends one session; returns its id, or nothing when it had ended already. */
  async revoke(manager: EntityManager, sessionId: string, reason: string): Promise<string[]> {
    return ids(await this.end(manager, 'session', sessionId, reason));
  }

  /**
   * Ends a session and every live session opened under it (the grants an SSO session's
   * authorization codes opened for clients); returns the ids it ended.
   */
  async revokeWithDescendants(
    manager: EntityManager,
    sessionId: string,
    reason: string,
  ): Promise<string[]> {
    return ids(await this.end(manager, 'sessionWithDescendants', sessionId, reason));
  }

  /** Ends every live session of a user; returns the ids it ended. */
  async revokeAllOf(manager: EntityManager, userId: string, reason: string): Promise<string[]> {
    return ids(await this.end(manager, 'user', userId, reason));
  }

  /** Ends every live session of an OAuth client; returns those it ended. */
  async revokeAllOfClient(manager: EntityManager, clientId: string): Promise<EndedSession[]> {
    return this.end(manager, 'client', clientId, 'client-deleted');
  }

  /**
   * The live session a refresh token belongs to, spent or not, with its client: what
   * revocation (RFC 7009) and introspection (RFC 7662) ask of a refresh token.
   */
  async findByRefreshToken(hash: Buffer): Promise<RefreshTokenSession | null> {
    const rows: RefreshTokenSession[] = await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.user_id AS "userId", s.client_id AS "clientId", s.scopes,
              t.spent_at IS NOT NULL AS spent,
              extract(epoch FROM least(s.idle_expires_at, s.absolute_expires_at))::bigint::int
                AS "expiresAt",
              extract(epoch FROM t.created_at)::bigint::int AS "issuedAt"
         FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1 AND s.revoked_at IS NULL
          AND s.idle_expires_at > now() AND s.absolute_expires_at > now()`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Whether a session is live (not ended, not expired). */
  async isLive(sessionId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.sessions WHERE id = $1 AND revoked_at IS NULL
          AND idle_expires_at > now() AND absolute_expires_at > now()`,
      [sessionId],
    );
    return rows.length > 0;
  }

  /**
   * Sessions ended in the last `horizonSeconds`, each with the time (epoch seconds) until which
   * its tokens must be denied: its end plus the horizon.
   */
  async revokedWithin(horizonSeconds: number): Promise<{ sessionId: string; until: number }[]> {
    const rows: { sessionId: string; until: string }[] = await this.dataSource.query(
      `SELECT id AS "sessionId", (ceil(extract(epoch FROM revoked_at)) + $1)::text AS until
         FROM auth.sessions WHERE revoked_at > now() - make_interval(secs => $1)`,
      [horizonSeconds],
    );
    return rows.map((row) => ({ sessionId: row.sessionId, until: Number(row.until) }));
  }

  /** Ends the live sessions `which` picks by `value`, for `reason`; those it ended. */
  private async end(
    manager: EntityManager,
    which: keyof typeof LIVE_SESSIONS_OF,
    value: string,
    reason: string,
  ): Promise<EndedSession[]> {
    const [rows] = (await manager.query(
      `UPDATE auth.sessions SET revoked_at = now(), revoked_reason = $2
        WHERE ${LIVE_SESSIONS_OF[which]} AND revoked_at IS NULL
        RETURNING id, user_id AS "userId"`,
      [value, reason],
    )) as [EndedSession[], number];
    return rows;
  }
}

function ids(sessions: EndedSession[]): string[] {
  return sessions.map((session) => session.id);
}
