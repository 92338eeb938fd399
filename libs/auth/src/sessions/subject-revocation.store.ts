import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SubjectRevokedEvent } from '@platform/contracts';

/** Users whose earlier tokens are void, in `auth.subject_revocations`, kept until they expire. */
@Injectable()
export class SubjectRevocationStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /** Records (or moves forward) a user's revocation. Times are epoch seconds. */
  async record(manager: EntityManager, revocation: SubjectRevokedEvent): Promise<void> {
    await manager.query(
      `INSERT INTO auth.subject_revocations (user_id, not_before, until, reason)
       VALUES ($1, to_timestamp($2), to_timestamp($3), $4)
       ON CONFLICT (user_id) DO UPDATE SET not_before = excluded.not_before, until = excluded.until,
                                           reason = excluded.reason`,
      [revocation.userId, revocation.notBefore, revocation.until, revocation.reason],
    );
  }

  /** The revocations still in force. */
  async inForce(): Promise<{ userId: string; notBefore: number; until: number }[]> {
    const rows: { userId: string; notBefore: string; until: string }[] =
      await this.dataSource.query(
        `SELECT user_id AS "userId", ceil(extract(epoch FROM not_before))::text AS "notBefore",
              ceil(extract(epoch FROM until))::text AS until
         FROM auth.subject_revocations WHERE until > now()`,
      );
    return rows.map((row) => ({
      userId: row.userId,
      notBefore: Number(row.notBefore),
      until: Number(row.until),
    }));
  }
}
