import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout 1.0 3.1): where
 * the end_session endpoint may send the browser back after logout, compared exactly. Clients
 * registered before have none, so a logout request of theirs that names one gets the error
 * page until an administrator registers it.
 */
export class AddClientPostLogoutRedirectUris1765320000000 implements MigrationInterface {
  name = 'AddClientPostLogoutRedirectUris1765320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE auth.oauth_clients
        ADD COLUMN post_logout_redirect_uris text[] NOT NULL DEFAULT '{}'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.oauth_clients DROP COLUMN post_logout_redirect_uris`);
  }
}
