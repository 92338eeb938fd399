import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UnregisteredClientError } from './unregistered-client.error';

/** Every token the platform issues has a UUID `jti`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit record of one access token the token endpoint issued. */
export interface IssuedToken {
  tokenId: string;
  clientId: string;
  /** A registered client (a row of `auth.oauth_clients`), not a built-in one. */
  clientRegistered: boolean;
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

/** A row waiting for the statement that writes it, and who waits for it. */
interface PendingRow {
  token: IssuedToken;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Bounds one statement's parameter; far above what arrives while one INSERT is in flight. */
const MAX_ROWS_PER_STATEMENT = 500;

/** Access tokens issued by the token endpoint, in `auth.issued_tokens`. */
@Injectable()
export class IssuedTokenStore {
  private readonly pending: PendingRow[] = [];
  private writing = false;

  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /**
   * Records a token's audit row; resolves once the row is committed. Rows are written by group
   * commit: while one INSERT is in flight, the rows arriving meanwhile wait and go together in
   * the next one, so under load a statement carries many tokens and at rest each goes alone at
   * once (no timer, no added latency).
   */
  record(token: IssuedToken): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ token, resolve, reject });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_ROWS_PER_STATEMENT);
        try {
          const written = await this.insert(batch.map(({ token }) => token));
          for (const { token, resolve, reject } of batch) {
            if (written.has(token.tokenId)) resolve();
            else reject(new UnregisteredClientError(token.clientId));
          }
        } catch (error) {
          for (const { reject } of batch) reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Writes the rows whose client is built in or still registered; returns the `jti`s written.
   * A registered client's row is read `FOR KEY SHARE`, as a foreign key check would: a deletion
   * in flight makes the statement wait, and then find the client gone; a deletion that comes
   * later waits for this statement, and its revocation of the client's tokens (a statement after
   * the DELETE, in its transaction) then sees these rows. Either way, no token of a deleted
   * client outlives the deletion, even when a replica that has not heard of it yet still finds
   * the client in its cache.
   */
  private async insert(tokens: IssuedToken[]): Promise<Set<string>> {
    const rows = tokens.map((token) => ({
      jti: token.tokenId,
      client_id: token.clientId,
      registered: token.clientRegistered,
      subject: token.subject,
      grant_type: token.grantType,
      audiences: token.audiences,
      scopes: token.scopes,
      session_id: token.sessionId ?? null,
      actor: token.actor ?? null,
      expires_at: token.expiresAt,
    }));
    const written: { jti: string }[] = await this.dataSource.query(
      `WITH row AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS row(jti uuid, client_id text,
                registered boolean, subject text, grant_type text, audiences text[],
                scopes text[], session_id uuid, actor text, expires_at double precision)),
       registered AS (
         SELECT client_id FROM auth.oauth_clients
          WHERE client_id IN (SELECT client_id FROM row WHERE registered)
          FOR KEY SHARE)
       INSERT INTO auth.issued_tokens (jti, client_id, subject, grant_type, audiences, scopes,
         session_id, actor, expires_at)
       SELECT jti, client_id, subject, grant_type, audiences, scopes, session_id, actor,
              to_timestamp(expires_at)
         FROM row
        WHERE NOT registered OR client_id IN (SELECT client_id FROM registered)
       RETURNING jti`,
      [JSON.stringify(rows)],
    );
    return new Set(written.map(({ jti }) => jti));
  }

  /**
   * Whether an access token is revoked in the database, whatever the revocation lists have
   * heard yet (RFC 7009 2.1: at once): its record marked, or its `jti` among the revocations in
   * force (`auth.token_revocations`), the only place a token without a record (a first-party
   * one) is revoked until the event reaches this process.
   */
  async isRevoked(tokenId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.token_revocations WHERE jti = $1
       UNION ALL
       SELECT 1 FROM auth.issued_tokens WHERE jti = $2::uuid AND revoked_at IS NOT NULL`,
      [tokenId, UUID.test(tokenId) ? tokenId : null],
    );
    return rows.length > 0;
  }

  /**
   * Marks every unexpired token issued to `clientId` revoked; returns those it marked, with
   * their expiry in epoch seconds.
   */
  async revokeAllOfClient(
    manager: EntityManager,
    clientId: string,
  ): Promise<{ tokenId: string; expiresAt: number }[]> {
    const [rows] = (await manager.query(
      `UPDATE auth.issued_tokens SET revoked_at = now()
        WHERE client_id = $1 AND expires_at > now() AND revoked_at IS NULL
        RETURNING jti AS "tokenId", ceil(extract(epoch FROM expires_at))::int AS "expiresAt"`,
      [clientId],
    )) as [{ tokenId: string; expiresAt: number }[], number];
    return rows;
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
