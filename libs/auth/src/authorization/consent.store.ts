import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Consents remembered per user and client (`auth.consents`): the scopes granted so far. */
@Injectable()
export class ConsentStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /** Whether the user has granted the client every one of `scopes`. */
  async covers(userId: string, clientId: string, scopes: string[]): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.consents WHERE user_id = $1 AND client_id = $2 AND scopes @> $3::text[]`,
      [userId, clientId, scopes],
    );
    return rows.length > 0;
  }

  /** Adds `scopes` to what the user has granted the client. */
  async grant(userId: string, clientId: string, scopes: string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO auth.consents AS c (user_id, client_id, scopes) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, client_id) DO UPDATE
         SET scopes = ARRAY(SELECT DISTINCT unnest(c.scopes || EXCLUDED.scopes) ORDER BY 1),
             granted_at = now()`,
      [userId, clientId, scopes],
    );
  }
}
