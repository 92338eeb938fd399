import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { Pool, PoolClient, PoolConfig } from 'pg';
import { MaintenanceSchedule } from '../maintenance-schedule';
import { PgliteConnection } from './pglite-connection';

/** How often the embedded database is vacuumed and analysed. */
const VACUUM_INTERVAL_MS = 10 * 60_000;

/** What TypeORM's postgres driver takes as `driver`: something with a `pg`-like `Pool`. */
export interface PgDriver {
  Pool: new () => EventEmitter;
}

/**
 * The embedded PostgreSQL (PGlite) used when `DATABASE_URL` is unset: one instance per process,
 * shared by every context's DataSource, each in its own schema as on a real server.
 *
 * TypeORM talks to it through `pg` itself (over `PgliteConnection`), so results, `rowCount`
 * and errors are exactly what a PostgreSQL server gives. PGlite is one
 * connection, so there is exactly one `pg` client, handed to one query runner at a time: two
 * requests' transactions can never interleave on it (one's `COMMIT` committing the other's
 * writes).
 *
 * PGlite runs PostgreSQL in single-user mode, which has no autovacuum: the rows a login, a
 * refresh or the outbox churn through would stay dead and the tables grow for good, and the
 * planner would never get statistics. So the instance vacuums and analyses itself every ten
 * minutes, through the one client like any query, so never inside another's transaction.
 */
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private readonly vacuumSchedule = new MaintenanceSchedule(
    'EmbeddedPostgres vacuum',
    VACUUM_INTERVAL_MS,
    () => this.vacuum(),
  );
  private db?: PGlite;
  private pool?: Pool;

  constructor(private readonly dataDir: string) {}

  async start(): Promise<void> {
    const directory = resolve(this.dataDir, 'pglite');
    await mkdir(directory, { recursive: true });
    this.db = await PGlite.create({ dataDir: directory });
    // One client on the one connection, never closed for idling.
    const connection = new PgliteConnection(this.db);
    this.pool = new Pool({ connection, max: 1, idleTimeoutMillis: 0 } as PoolConfig);
    this.vacuumSchedule.start();
    this.logger.log(`Embedded PostgreSQL (PGlite) at ${join(directory)}`);
  }

  /** Reclaims dead rows and refreshes the planner's statistics, what autovacuum would do. */
  async vacuum(): Promise<void> {
    if (!this.pool) throw new Error('EmbeddedPostgres.start() has not run');
    await this.pool.query('VACUUM (ANALYZE)');
  }

  /** The `pg`-compatible driver to hand to TypeORM's `driver` option. */
  get typeormDriver(): PgDriver {
    const pool = this.pool;
    if (!pool) throw new Error('EmbeddedPostgres.start() has not run');
    return { Pool: sharedPool(pool) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.vacuumSchedule.stop();
    await this.pool?.end();
    await this.db?.close();
    this.pool = undefined;
    this.db = undefined;
  }
}

/**
 * A `Pool` class whose every instance borrows `pool`: each DataSource builds "its" pool and ends
 * it when destroyed, but the one client outlives them all; `EmbeddedPostgres` ends it.
 */
function sharedPool(pool: Pool): new () => EventEmitter {
  return class SharedPool extends EventEmitter {
    connect(callback: (error: Error | undefined, client?: PoolClient, done?: () => void) => void) {
      pool.connect(callback);
    }

    end(callback?: () => void): Promise<void> {
      callback?.();
      return Promise.resolve();
    }
  };
}
