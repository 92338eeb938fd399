import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Every token the platform issues has a UUID `jti`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit record of one access token the token endpoint issued. */
export interface IssuedToken {
  tokenId: string;
  clientId: string;
  subject: string;
  grantType: string;
  audiences: readonly string[];
  scopes: readonly string[];
  sessionId?: string;
  /** RFC 8693: the acting client, for an exchanged token. */
  actor?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** What is known of an issued token now. */
export interface IssuedTokenState {
  clientId: string;
  revoked: boolean;
}

/** Access tokens issued by the token endpoint, in `auth.issued_tokens`. */
@Injectable()
export class IssuedTokenStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  async record(token: IssuedToken): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO auth.issued_tokens (jti, client_id, subject, grant_type, audiences, scopes,
         session_id, actor, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9))`,
      [
        token.tokenId,
        token.clientId,
        token.subject,
        token.grantType,
        token.audiences,
        token.scopes,
        token.sessionId ?? null,
        token.actor ?? null,
        token.expiresAt,
      ],
    );
  }

  async state(tokenId: string): Promise<IssuedTokenState | undefined> {
    if (!UUID.test(tokenId)) return undefined;
    const rows: { clientId: string; revoked: boolean }[] = await this.dataSource.query(
      `SELECT client_id AS "clientId", revoked_at IS NOT NULL AS revoked
         FROM auth.issued_tokens WHERE jti = $1`,
      [tokenId],
    );
    return rows[0];
  }

  /** Marks a token revoked; false when it was not recorded or was revoked already. */
  async revoke(manager: EntityManager, tokenId: string): Promise<boolean> {
    if (!UUID.test(tokenId)) return false;
    const [, count] = (await manager.query(
      `UPDATE auth.issued_tokens SET revoked_at = now() WHERE jti = $1 AND revoked_at IS NULL`,
      [tokenId],
    )) as [unknown, number];
    return count === 1;
  }
}
