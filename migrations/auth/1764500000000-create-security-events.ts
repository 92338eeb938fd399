import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only record of security-relevant events, written in the same transaction as what they
 * describe. The hash chain over these rows comes with the security log.
 */
export class CreateSecurityEvents1764500000000 implements MigrationInterface {
  name = 'CreateSecurityEvents1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.security_events (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type        text NOT NULL,
        user_id     uuid,
        session_id  uuid,
        details     jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(
      `CREATE INDEX security_events_user_idx ON auth.security_events (user_id, occurred_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.security_events`);
  }
}
