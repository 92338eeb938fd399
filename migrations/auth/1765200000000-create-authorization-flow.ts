import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The browser side of the authorization server: SSO sessions (rows of `auth.sessions` a
 * browser cookie points at), the sessions a client's authorization grant opens under them,
 * pending authorization requests, authorization codes and remembered consents.
 */
export class CreateAuthorizationFlow1765200000000 implements MigrationInterface {
  name = 'CreateAuthorizationFlow1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    // An SSO session holds the SHA-256 of its browser cookie and when the user last proved who
    // they are; a session an authorization code opened for a client names the SSO session it
    // came from, so logging out ends both (the scopes granted are `sessions.scopes`).
    await runner.query(`
      ALTER TABLE auth.sessions
        ADD COLUMN browser_token_hash bytea UNIQUE,
        ADD COLUMN authenticated_at timestamptz,
        ADD COLUMN parent_session_id uuid`);
    await runner.query(
      `CREATE INDEX sessions_parent_idx ON auth.sessions (parent_session_id)
        WHERE parent_session_id IS NOT NULL`,
    );
    // Between the authorization request and the code: the request as validated, bound to
    // the browser that made it (the SHA-256 of its binding cookie).
    await runner.query(`
      CREATE TABLE auth.authorization_requests (
        id             uuid PRIMARY KEY,
        browser_hash   bytea NOT NULL,
        client_id      text NOT NULL,
        redirect_uri   text NOT NULL,
        scopes         text[] NOT NULL,
        state          text,
        nonce          text,
        code_challenge text NOT NULL,
        prompt         text[] NOT NULL,
        max_age        integer,
        session_id     uuid,
        created_at     timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz NOT NULL
      )`);
    // Codes are stored as SHA-256 digests; `grant_session_id` is the session their redemption
    // opens, chosen when the code is issued, so a second redemption knows what to revoke.
    await runner.query(`
      CREATE TABLE auth.authorization_codes (
        code_hash        bytea PRIMARY KEY,
        client_id        text NOT NULL,
        redirect_uri     text NOT NULL,
        code_challenge   text NOT NULL,
        user_id          uuid NOT NULL,
        sso_session_id   uuid NOT NULL,
        grant_session_id uuid NOT NULL,
        scopes           text[] NOT NULL,
        nonce            text,
        auth_time        timestamptz NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        redeemed_at      timestamptz
      )`);
    await runner.query(`
      CREATE TABLE auth.consents (
        user_id    uuid NOT NULL,
        client_id  text NOT NULL,
        scopes     text[] NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, client_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE auth.consents`);
    await runner.query(`DROP TABLE auth.authorization_codes`);
    await runner.query(`DROP TABLE auth.authorization_requests`);
    await runner.query(`DROP INDEX auth.sessions_parent_idx`);
    await runner.query(`
      ALTER TABLE auth.sessions
        DROP COLUMN parent_session_id, DROP COLUMN authenticated_at,
        DROP COLUMN browser_token_hash`);
  }
}
