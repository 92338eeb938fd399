import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A key's count in its current window, this request included. */
export interface WindowCount {
  count: number;
  /** Seconds until the window ends and the count starts again. */
  endsIn: number;
}

/** Per-key request counts in fixed windows, in `auth.rate_limits`. */
@Injectable()
export class RateLimitStore {
  constructor(@InjectDataSource('auth') private readonly dataSource: DataSource) {}

  /**
   * Counts one request against `key` in one atomic upsert, so parallel requests each see their
   * own number: of many at once, exactly those up to the limit pass.
   */
  async count(key: string, windowSeconds: number): Promise<WindowCount> {
    const [row]: { count: number; endsIn: number }[] = await this.dataSource.query(
      `INSERT INTO auth.rate_limits AS r (key, window_started_at, count) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2) THEN 1
                      ELSE r.count + 1 END,
         window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2)
                                  THEN now() ELSE r.window_started_at END
       RETURNING count,
                 greatest(1, ceil(extract(epoch FROM
                   (window_started_at + make_interval(secs => $2) - now()))))::int AS "endsIn"`,
      [key, windowSeconds],
    );
    return row;
  }
}
