import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCredentials1764150000000 implements MigrationInterface {
  name = 'CreateCredentials1764150000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.credentials (
        user_id             uuid PRIMARY KEY,
        email               text NOT NULL,
        password_hash       text NOT NULL,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        disabled_at         timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX credentials_email_key ON auth.credentials (lower(email))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.credentials`);
  }
}
