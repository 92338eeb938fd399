import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal access tokens: only their SHA-256 is stored (the secret has full entropy, so a fast
 * hash is enough), with the scopes chosen at creation and an expiry every token has.
 */
export class CreateApiTokens1764900000000 implements MigrationInterface {
  name = 'CreateApiTokens1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.api_tokens (
        id           uuid PRIMARY KEY,
        user_id      uuid NOT NULL,
        name         text NOT NULL,
        scopes       text[] NOT NULL,
        token_hash   bytea NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at   timestamptz NOT NULL,
        revoked_at   timestamptz
      )`);
    await runner.query(`CREATE INDEX api_tokens_user_idx ON auth.api_tokens (user_id, created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.api_tokens`);
  }
}
