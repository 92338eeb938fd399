import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The user an authorization request's `id_token_hint` names (OpenID Connect Core 3.1.2.1), held
 * with the request, so the login form can refuse a sign-in as anyone else. Requests held before
 * have none, and are answered as before.
 */
export class AddAuthorizationRequestHintedSubject1765350000000 implements MigrationInterface {
  name = 'AddAuthorizationRequestHintedSubject1765350000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.authorization_requests ADD COLUMN hinted_subject text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.authorization_requests DROP COLUMN hinted_subject`);
  }
}
