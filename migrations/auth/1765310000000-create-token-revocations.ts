import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access tokens revoked one by one (RFC 7009), by `jti`, kept until they would have expired:
 * what a verifier that starts late must deny beside revoked sessions and subjects. First-party
 * tokens have no issuance record, so `issued_tokens.revoked_at` cannot be the list.
 */
export class CreateTokenRevocations1765310000000 implements MigrationInterface {
  name = 'CreateTokenRevocations1765310000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.token_revocations (
        jti   text PRIMARY KEY,
        until timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX token_revocations_until_idx ON auth.token_revocations (until)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.token_revocations`);
  }
}
