import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadPlatformEnvOrExit } from '@platform/config';
import { DatabaseModule } from '@platform/database';
import { contextDatabases } from './contexts';

/**
 * `npm run migrate`: applies the pending migrations of the contexts in `SERVICES`, then exits.
 * Opening a context's DataSource runs its migrations, exactly as at start-up.
 */
async function migrate(): Promise<void> {
  const env = loadPlatformEnvOrExit();
  const databases = env.SERVICES.flatMap((name) => contextDatabases[name] ?? []);

  @Module({
    imports: [
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      ...databases.map((database) => DatabaseModule.forContext(database)),
    ],
  })
  class MigrationModule {}

  const app = await NestFactory.createApplicationContext(MigrationModule, {
    logger: ['error', 'warn'],
  });
  await app.close();
  process.stdout.write(
    `Migrated: ${databases.map((d) => d.schema).join(', ') || 'nothing to migrate'}\n`,
  );
}

migrate().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
