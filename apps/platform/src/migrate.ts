import { Module } from '@nestjs/common';
import { PlatformEnv } from '@platform/config';
import { DatabaseModule } from '@platform/database';
import { runCommand } from './command';
import { contextDatabases } from './contexts';

/**
 * `npm run migrate`: applies the pending migrations of the contexts in `SERVICES`, then exits.
 * Opening a context's DataSource runs its migrations, exactly as at start-up.
 */
function databasesOf(env: PlatformEnv) {
  return env.SERVICES.flatMap((name) => contextDatabases[name] ?? []);
}

function migrationModule(env: PlatformEnv) {
  @Module({
    imports: [
      DatabaseModule.forRoot({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }),
      ...databasesOf(env).map((database) => DatabaseModule.forContext(database)),
    ],
  })
  class MigrationModule {}
  return MigrationModule;
}

runCommand('Migration', migrationModule, async (_app, env) => {
  const schemas = databasesOf(env).map((database) => database.schema);
  return { output: `Migrated: ${schemas.join(', ') || 'nothing to migrate'}` };
});
