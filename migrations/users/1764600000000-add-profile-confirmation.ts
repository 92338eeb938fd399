import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A profile is confirmed once auth reports its credential active (`auth.account.registered`);
 * until then `confirm_check_after` says when the orphan repair asks auth about it. Profiles that
 * exist already are unconfirmed, so the repair checks each of them once: a profile left behind
 * by a registration that failed half-way is removed.
 *
 * `cancelled_registrations` holds the ids whose registration auth undid, so a profile creation
 * that arrives late (a stalled process resuming) can no longer bring the profile back.
 */
export class AddProfileConfirmation1764600000000 implements MigrationInterface {
  name = 'AddProfileConfirmation1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE users.users
        ADD COLUMN confirmed_at timestamptz,
        ADD COLUMN confirm_check_after timestamptz NOT NULL DEFAULT now()`);
    await runner.query(
      `CREATE INDEX users_unconfirmed_idx ON users.users (confirm_check_after)
        WHERE confirmed_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE users.cancelled_registrations (
        id           uuid PRIMARY KEY,
        cancelled_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE users.cancelled_registrations`);
    await runner.query(
      `ALTER TABLE users.users DROP COLUMN confirm_check_after, DROP COLUMN confirmed_at`,
    );
  }
}
