import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The services an authorization request's `resource` parameters named (RFC 8707 2.1), held
 * with the request, its code and the session its redemption opens, so that its tokens and its
 * refresh tokens' are for those alone (2.2). NULL, for every row before, is a grant that named
 * none: its tokens are for the client's services, as before.
 */
export class AddResourceIndicators1765360000000 implements MigrationInterface {
  name = 'AddResourceIndicators1765360000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await runner.query(`ALTER TABLE auth.${table} ADD COLUMN resources text[]`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await runner.query(`ALTER TABLE auth.${table} DROP COLUMN resources`);
    }
  }
}

const TABLES = ['authorization_requests', 'authorization_codes', 'sessions'];
