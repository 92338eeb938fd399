import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface NewSession {
  userId: string;
  clientId: string;
  idleSeconds: number;
  absoluteSeconds: number;
  clientIp?: string;
  userAgent?: string;
  refreshTokenHash: Buffer;
}

export interface RotatedSession {
  sessionId: string;
  userId: string;
  clientId: string;
}

/** Sessions and their refresh tokens, in `auth.sessions` and `auth.refresh_tokens`. */
@Injectable()
export class SessionStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  async create(session: NewSession): Promise<string> {
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO auth.sessions (id, user_id, client_id, idle_expires_at, absolute_expires_at, client_ip, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6, $7)`,
        [
          id,
          session.userId,
          session.clientId,
          Math.min(session.idleSeconds, session.absoluteSeconds),
          session.absoluteSeconds,
          session.clientIp ?? null,
          session.userAgent ?? null,
        ],
      );
      await this.addRefreshToken(manager, id, session.refreshTokenHash);
    });
    return id;
  }

  /**
   * Spends a refresh token and issues its successor in one transaction. The spend is a single
   * conditional UPDATE, so of two parallel refreshes with the same token exactly one matches a
   * row; the other sees nothing to spend. Returns null when nothing was spent.
   */
  async rotate(
    oldHash: Buffer,
    newHash: Buffer,
    idleSeconds: number,
  ): Promise<RotatedSession | null> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE auth.refresh_tokens AS t SET spent_at = now()
           FROM auth.sessions AS s
          WHERE t.token_hash = $1 AND t.spent_at IS NULL AND s.id = t.session_id
            AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
          RETURNING s.id AS "sessionId", s.user_id AS "userId", s.client_id AS "clientId"`,
        [oldHash],
      )) as [RotatedSession[], number];
      const session = rows[0];
      if (!session) return null;
      await manager.query(
        `UPDATE auth.sessions SET refreshed_at = now(),
                idle_expires_at = least(now() + make_interval(secs => $2), absolute_expires_at)
          WHERE id = $1`,
        [session.sessionId, idleSeconds],
      );
      await this.addRefreshToken(manager, session.sessionId, newHash);
      return session;
    });
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

  /** Ends one session; returns false when it was already ended. */
  async revoke(manager: EntityManager, sessionId: string, reason: string): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE auth.sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, reason],
    )) as [unknown, number];
    return affected > 0;
  }

  /** Ends every live session of a user; returns the ids it ended. */
  async revokeAllOf(manager: EntityManager, userId: string, reason: string): Promise<string[]> {
    const [rows] = (await manager.query(
      `UPDATE auth.sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [userId, reason],
    )) as [{ id: string }[], number];
    return rows.map((row) => row.id);
  }

  private async addRefreshToken(
    manager: EntityManager,
    sessionId: string,
    hash: Buffer,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO auth.refresh_tokens (token_hash, session_id) VALUES ($1, $2)`,
      [hash, sessionId],
    );
  }
}
