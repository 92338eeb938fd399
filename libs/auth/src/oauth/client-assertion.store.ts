import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** `jti`s of client assertions already presented, in `auth.client_assertions`. */
@Injectable()
export class ClientAssertionStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /**
   * Records the first use of an assertion, kept until `expiresAt` (epoch seconds: when it can
   * no longer be accepted, its `exp` and the clock tolerance); false when it was used before
   * (RFC 7523 3: a `jti` is single use). One statement, so two concurrent uses cannot both be
   * first.
   */
  async firstUse(clientId: string, jti: string, expiresAt: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO auth.client_assertions (client_id, jti, expires_at)
       VALUES ($1, $2, to_timestamp($3)) ON CONFLICT DO NOTHING RETURNING 1`,
      [clientId, jti, expiresAt],
    );
    return rows.length === 1;
  }
}
