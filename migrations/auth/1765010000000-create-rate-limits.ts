import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-key request counts in fixed windows: registrations, refreshes, password changes per address. */
export class CreateRateLimits1765010000000 implements MigrationInterface {
  name = 'CreateRateLimits1765010000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.rate_limits (
        key               text PRIMARY KEY,
        window_started_at timestamptz NOT NULL,
        count             integer NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX rate_limits_window_idx ON auth.rate_limits (window_started_at)`,
    );
    await runner.query(
      `CREATE INDEX login_attempts_updated_idx ON auth.login_attempts (updated_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX auth.login_attempts_updated_idx`);
    await runner.query(`DROP TABLE auth.rate_limits`);
  }
}
