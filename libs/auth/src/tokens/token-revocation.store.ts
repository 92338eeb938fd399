import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TokenRevokedEvent } from '@platform/contracts';

/** Access tokens revoked by `jti` (RFC 7009), in `auth.token_revocations`, until they expire. */
@Injectable()
export class TokenRevocationStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /** Records a revocation; `until` is epoch seconds. Revoking again changes nothing. */
  async record(manager: EntityManager, revocation: TokenRevokedEvent): Promise<void> {
    await manager.query(
      `INSERT INTO auth.token_revocations (jti, until) VALUES ($1, to_timestamp($2))
       ON CONFLICT (jti) DO NOTHING`,
      [revocation.tokenId, revocation.until],
    );
  }

  /** `record` for many revocations, in one statement. */
  async recordAll(manager: EntityManager, revocations: TokenRevokedEvent[]): Promise<void> {
    if (revocations.length === 0) return;
    await manager.query(
      `INSERT INTO auth.token_revocations (jti, until)
       SELECT jti, to_timestamp(until) FROM jsonb_to_recordset($1::jsonb) AS row(jti text, until bigint)
       ON CONFLICT (jti) DO NOTHING`,
      [JSON.stringify(revocations.map(({ tokenId, until }) => ({ jti: tokenId, until })))],
    );
  }

  /** The revocations still in force. */
  async inForce(): Promise<TokenRevokedEvent[]> {
    const rows: { tokenId: string; until: string }[] = await this.dataSource.query(
      `SELECT jti AS "tokenId", ceil(extract(epoch FROM until))::text AS until
         FROM auth.token_revocations WHERE until > now()`,
    );
    return rows.map((row) => ({ tokenId: row.tokenId, until: Number(row.until) }));
  }
}
