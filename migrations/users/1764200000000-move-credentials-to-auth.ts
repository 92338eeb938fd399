import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials now live in the auth context (`auth.credentials`). No production data exists
 * yet, so the hashes are dropped rather than copied; `down` restores the column, empty.
 */
export class MoveCredentialsToAuth1764200000000 implements MigrationInterface {
  name = 'MoveCredentialsToAuth1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE users.users DROP COLUMN password_hash`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE users.users ADD COLUMN password_hash text NOT NULL DEFAULT ''`);
  }
}
