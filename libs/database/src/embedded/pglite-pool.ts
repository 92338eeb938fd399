import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

type Release = (error?: Error) => void;
type ConnectCallback = (error: Error | null, client: PgliteClient | null, release: Release) => void;
type Row = Record<string, unknown>;
type QueryResult = Results<Row> & { rowCount: number; command: string };

/**
 * A `pg`-shaped client over the single PGlite connection. It adds what TypeORM's postgres
 * driver reads from `pg` results: `rowCount` (affected rows, which conditional updates rely on)
 * and `command`.
 */
class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, parameters?: unknown[]): Promise<QueryResult> {
    const results =
      parameters && parameters.length > 0
        ? [await this.db.query<Row>(sql, parameters)]
        : await this.db.exec(sql);
    // A multi-statement string yields one result per statement; pg reports the last one.
    const last: Results<Row> = results[results.length - 1] ?? { rows: [], fields: [] };
    return {
      ...last,
      rowCount: last.affectedRows ?? last.rows.length,
      command: sql.trimStart().split(/\s/, 1)[0].toUpperCase(),
    };
  }
}

/**
 * Creates a `pg.Pool` look-alike for TypeORM's `driver` option.
 *
 * PGlite is one connection, so the pool hands out that connection to one query runner at a
 * time and queues the rest. Without this, two requests' transactions would interleave on the
 * same session (one request's COMMIT committing the other's writes), which `typeorm-pglite`
 * does not prevent. Serializing keeps PostgreSQL's transaction semantics in the embedded mode.
 */
export function createPgliteDriver(db: PGlite): { Pool: new () => EventEmitter } {
  const client = new PgliteClient(db);
  let busy = false;
  const waiting: Array<() => void> = [];

  const release: Release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };

  class PglitePool extends EventEmitter {
    connect(callback: ConnectCallback): void {
      const grant = () => callback(null, client, release);
      if (!busy) {
        busy = true;
        grant();
      } else {
        waiting.push(grant);
      }
    }

    // The PGlite instance outlives every DataSource that borrows it; EmbeddedPostgres closes it.
    end(callback?: (error: Error | null) => void): void {
      callback?.(null);
    }
  }

  return { Pool: PglitePool };
}
