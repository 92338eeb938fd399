import { DataSource, MigrationExecutor } from 'typeorm';

/**
 * Runs one context's pending migrations, each in its own transaction.
 *
 * Several replicas may start at once, so a session-level advisory lock keyed by the schema
 * makes them take turns. Everything runs on one connection: the embedded database has only
 * one, and the lock is only meaningful on the session that holds it. The schema is created
 * first because TypeORM keeps the context's migrations table inside it.
 */
export async function runContextMigrations(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  const lockKey = `migrations:${schema}`;
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [lockKey]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockKey]);
    }
  } finally {
    await runner.release();
  }
}
