import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each sealed signing key records the id of the key-encryption key that sealed it, so that
 * `npm run keys:rotate-kek` knows what to re-seal and auth which key opens what. Keys sealed
 * before have none: auth tries each key it holds on them, and the next re-sealing names theirs.
 */
export class RecordKeyEncryptionKey1765020000000 implements MigrationInterface {
  name = 'RecordKeyEncryptionKey1765020000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.signing_keys ADD COLUMN kek_id text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.signing_keys DROP COLUMN kek_id`);
  }
}
