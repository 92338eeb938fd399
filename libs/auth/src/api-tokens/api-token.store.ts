import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiTokenView } from '@platform/contracts';

/** A token as it is first stored. */
export interface NewApiToken {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  hash: Buffer;
  expiresInDays: number;
}

/** What resolving a live token needs: whose it is, what it may do and for how long. */
export interface LiveApiToken {
  id: string;
  userId: string;
  scopes: string[];
  /** Whole seconds until it expires, by the database's clock, which decided it is live. */
  secondsLeft: number;
}

const VIEW_COLUMNS = `id, name, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt",
  expires_at AS "expiresAt"`;

interface ViewRow {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
}

/** The rows of `auth.api_tokens`. */
@Injectable()
export class ApiTokenStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, token: NewApiToken): Promise<ApiTokenView> {
    const [row]: ViewRow[] = await manager.query(
      `INSERT INTO auth.api_tokens (id, user_id, name, scopes, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))
       RETURNING ${VIEW_COLUMNS}`,
      [token.id, token.userId, token.name, token.scopes, token.hash, token.expiresInDays],
    );
    return toView(row);
  }

  /** The user's tokens that are not revoked, newest first; expired ones show their expiry. */
  async listOf(userId: string): Promise<ApiTokenView[]> {
    const rows: ViewRow[] = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM auth.api_tokens
        WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id`,
      [userId],
    );
    return rows.map(toView);
  }

  /** Revokes one of the user's live tokens; false when there is none by that id. */
  async revoke(manager: EntityManager, userId: string, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE auth.api_tokens SET revoked_at = now()
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [id, userId],
    )) as [unknown, number];
    return affected > 0;
  }

  /** The live (unrevoked, unexpired) token with this hash, marked used now; null if none. */
  async use(hash: Buffer): Promise<LiveApiToken | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE auth.api_tokens SET last_used_at = now()
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", scopes,
          floor(extract(epoch FROM expires_at - now()))::int AS "secondsLeft"`,
      [hash],
    )) as [LiveApiToken[], number];
    return rows[0] ?? null;
  }
}

function toView(row: ViewRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
  };
}
