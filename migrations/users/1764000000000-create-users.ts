import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000000000 implements MigrationInterface {
  name = 'CreateUsers1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users.users (
        id            uuid PRIMARY KEY,
        email         text NOT NULL,
        display_name  text,
        roles         text[] NOT NULL DEFAULT '{user}',
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE UNIQUE INDEX users_email_key ON users.users (lower(email))`);
    await runner.query(`
      CREATE TABLE users.outbox (
        id           uuid PRIMARY KEY,
        subject      text NOT NULL,
        payload      jsonb NOT NULL,
        headers      jsonb NOT NULL DEFAULT '{}',
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX outbox_pending_idx ON users.outbox (created_at, id) WHERE published_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE users.outbox`);
    await runner.query(`DROP TABLE users.users`);
  }
}
