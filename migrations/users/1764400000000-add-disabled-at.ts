import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDisabledAt1764400000000 implements MigrationInterface {
  name = 'AddDisabledAt1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE users.users ADD COLUMN disabled_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE users.users DROP COLUMN disabled_at`);
  }
}
