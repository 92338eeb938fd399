import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ListSecurityEventsDto, SecurityEventPage, SecurityEventView } from '@platform/contracts';

const DEFAULT_PAGE_SIZE = 50;

/** The filters of `ListSecurityEventsDto`, each ignored when absent: `$1` to `$4`. */
const FILTERS = `WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::text IS NULL OR type = $2)
                   AND ($3::timestamptz IS NULL OR occurred_at >= $3)
                   AND ($4::timestamptz IS NULL OR occurred_at < $4)`;

function filterParameters(query: ListSecurityEventsDto): unknown[] {
  return [query.user ?? null, query.type ?? null, query.since ?? null, query.until ?? null];
}

interface EventRow {
  seq: string;
  type: SecurityEventView['type'];
  userId: string | null;
  sessionId: string | null;
  details: Record<string, unknown>;
  occurredAt: Date;
  hash: Buffer;
  total: string;
}

/** Reads the security log for auditors: filtered, newest first, a page at a time. */
@Injectable()
export class SecurityLogStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  async list(query: ListSecurityEventsDto): Promise<SecurityEventPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const offset = query.offset ?? 0;
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT seq::text, type, user_id AS "userId", session_id AS "sessionId", details,
              occurred_at AS "occurredAt", hash, count(*) OVER ()::text AS total
         FROM auth.security_events ${FILTERS}
        ORDER BY security_events.seq DESC LIMIT $5 OFFSET $6`,
      [...filterParameters(query), limit, offset],
    );
    return {
      items: rows.map((row) => ({
        seq: Number(row.seq),
        type: row.type,
        userId: row.userId,
        sessionId: row.sessionId,
        details: row.details,
        occurredAt: row.occurredAt.toISOString(),
        hash: row.hash.toString('hex'),
      })),
      total: rows.length > 0 ? Number(rows[0].total) : await this.count(query),
      limit,
      offset,
    };
  }

  /** The total when the page asked for is past the end (no row to carry the window count). */
  private async count(query: ListSecurityEventsDto): Promise<number> {
    const [{ total }]: { total: string }[] = await this.dataSource.query(
      `SELECT count(*)::text AS total FROM auth.security_events ${FILTERS}`,
      filterParameters(query),
    );
    return Number(total);
  }
}
