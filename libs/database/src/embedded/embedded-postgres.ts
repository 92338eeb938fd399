import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDriver } from './pglite-pool';

/**
 * The embedded PostgreSQL (PGlite) used when `DATABASE_URL` is unset: one instance per process,
 * shared by every context's DataSource, each in its own schema as on a real server.
 */
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private db?: PGlite;
  private driver?: ReturnType<typeof createPgliteDriver>;

  constructor(private readonly dataDir: string) {}

  async start(): Promise<void> {
    const directory = resolve(this.dataDir, 'pglite');
    await mkdir(directory, { recursive: true });
    this.db = await PGlite.create({ dataDir: directory });
    this.driver = createPgliteDriver(this.db);
    this.logger.log(`Embedded PostgreSQL (PGlite) at ${join(directory)}`);
  }

  /** The `pg`-compatible driver to hand to TypeORM's `driver` option. */
  get typeormDriver(): ReturnType<typeof createPgliteDriver> {
    if (!this.driver) throw new Error('EmbeddedPostgres.start() has not run');
    return this.driver;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db?.close();
    this.db = undefined;
  }
}
