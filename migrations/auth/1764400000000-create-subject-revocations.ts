import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users whose earlier tokens are void (password changed, account disabled), kept until they expire. */
export class CreateSubjectRevocations1764400000000 implements MigrationInterface {
  name = 'CreateSubjectRevocations1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.subject_revocations (
        user_id    uuid PRIMARY KEY,
        not_before timestamptz NOT NULL,
        until      timestamptz NOT NULL,
        reason     text NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.subject_revocations`);
  }
}
