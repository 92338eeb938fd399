import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessions1764300000000 implements MigrationInterface {
  name = 'CreateSessions1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.sessions (
        id                  uuid PRIMARY KEY,
        user_id             uuid NOT NULL,
        client_id           text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        refreshed_at        timestamptz NOT NULL DEFAULT now(),
        idle_expires_at     timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        revoked_at          timestamptz,
        revoked_reason      text,
        client_ip           text,
        user_agent          text
      )`);
    await runner.query(
      `CREATE INDEX sessions_live_by_user_idx ON auth.sessions (user_id) WHERE revoked_at IS NULL`,
    );
    // Refresh tokens are stored as SHA-256 digests: a database leak yields nothing usable.
    await runner.query(`
      CREATE TABLE auth.refresh_tokens (
        token_hash bytea PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        spent_at   timestamptz
      )`);
    await runner.query(
      `CREATE INDEX refresh_tokens_session_idx ON auth.refresh_tokens (session_id)`,
    );
    await runner.query(`
      CREATE TABLE auth.login_attempts (
        key          text PRIMARY KEY,
        failures     integer NOT NULL,
        locked_until timestamptz,
        -- The failure count when the current lock was set: one attempt may follow its expiry.
        locked_at_failures integer,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE auth.outbox (
        id           uuid PRIMARY KEY,
        subject      text NOT NULL,
        payload      jsonb NOT NULL,
        headers      jsonb NOT NULL DEFAULT '{}',
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX outbox_pending_idx ON auth.outbox (created_at, id) WHERE published_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.outbox`);
    await runner.query(`DROP TABLE auth.login_attempts`);
    await runner.query(`DROP TABLE auth.refresh_tokens`);
    await runner.query(`DROP TABLE auth.sessions`);
  }
}
