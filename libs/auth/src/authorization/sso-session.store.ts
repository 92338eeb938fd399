import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionLifetime } from '../sessions/session-lifetime';

interface SessionRow {
  id: string;
  userId: string;
  authTime: string;
}

/** The `client_id` of SSO session rows: the authorization server's own browser session. */
export const SSO_SESSION_CLIENT_ID = 'sso';

/** A live SSO session: whose, and when they authenticated (OpenID Connect `auth_time`). */
export interface SsoSession {
  id: string;
  userId: string;
  /** Epoch seconds. */
  authTime: number;
}

/**
 * SSO sessions: rows of `auth.sessions` (so logout, logout-everywhere, a password change and
 * an admin disabling the account end them like any session) that hold the SHA-256 of the
 * browser's session cookie. They last as long as first-party sessions do: `REFRESH_IDLE_DAYS`
 * without use, `REFRESH_ABSOLUTE_DAYS` in all.
 */
@Injectable()
export class SsoSessionStore {
  constructor(
    @InjectDataSource('auth') private readonly dataSource: DataSource,
    private readonly lifetime: SessionLifetime,
  ) {}

  async create(
    userId: string,
    tokenHash: Buffer,
    client: { clientIp?: string; userAgent?: string },
  ): Promise<SsoSession> {
    const id = randomUUID();
    const [row]: { authTime: string }[] = await this.dataSource.query(
      `INSERT INTO auth.sessions (id, user_id, client_id, idle_expires_at, absolute_expires_at,
                                  client_ip, user_agent, browser_token_hash, authenticated_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5),
               $6, $7, $8, now())
       RETURNING floor(extract(epoch FROM authenticated_at))::text AS "authTime"`,
      [
        id,
        userId,
        SSO_SESSION_CLIENT_ID,
        this.lifetime.firstIdleSeconds(),
        this.lifetime.absoluteSeconds,
        client.clientIp ?? null,
        client.userAgent ?? null,
        tokenHash,
      ],
    );
    return { id, userId, authTime: Number(row.authTime) };
  }

  /**
   * The live SSO session whose cookie hashes to `tokenHash`; its idle lifetime starts again,
   * in the same statement.
   */
  async use(tokenHash: Buffer): Promise<SsoSession | undefined> {
    // An UPDATE answers [rows, count].
    const [rows] = (await this.dataSource.query(
      `UPDATE auth.sessions
          SET idle_expires_at = least(now() + make_interval(secs => $2), absolute_expires_at)
        WHERE browser_token_hash = $1 AND revoked_at IS NULL
          AND idle_expires_at > now() AND absolute_expires_at > now()
        RETURNING id, user_id AS "userId", floor(extract(epoch FROM authenticated_at))::text AS "authTime"`,
      [tokenHash, this.lifetime.idleSeconds],
    )) as [SessionRow[], number];
    const [row] = rows;
    return row ? { id: row.id, userId: row.userId, authTime: Number(row.authTime) } : undefined;
  }

  /**
   * The same user proved who they are again (`prompt=login`, `max_age`): the session gets a
   * new cookie (OWASP Session Management: a new identifier after authentication) and a new
   * `auth_time`. Undefined when it ended meanwhile.
   */
  async reauthenticate(id: string, tokenHash: Buffer): Promise<SsoSession | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE auth.sessions SET browser_token_hash = $2, authenticated_at = now()
        WHERE id = $1 AND revoked_at IS NULL
        RETURNING id, user_id AS "userId", floor(extract(epoch FROM authenticated_at))::text AS "authTime"`,
      [id, tokenHash],
    )) as [SessionRow[], number];
    const [row] = rows;
    return row ? { id: row.id, userId: row.userId, authTime: Number(row.authTime) } : undefined;
  }

  /** The SSO session `id` if it is still live (not ended, not expired). */
  async live(id: string): Promise<SsoSession | undefined> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT id, user_id AS "userId", floor(extract(epoch FROM authenticated_at))::text AS "authTime"
         FROM auth.sessions
        WHERE id = $1 AND client_id = $2 AND revoked_at IS NULL
          AND idle_expires_at > now() AND absolute_expires_at > now()`,
      [id, SSO_SESSION_CLIENT_ID],
    );
    const [row] = rows;
    return row ? { id: row.id, userId: row.userId, authTime: Number(row.authTime) } : undefined;
  }
}
