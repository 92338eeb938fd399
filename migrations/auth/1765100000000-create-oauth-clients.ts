import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OAuth 2.0 authorization server's state:
 * - `oauth_clients`: registered clients (RFC 7591 metadata). A confidential client's secret is
 *   stored as an HMAC-SHA-256 under a server key (`secret_key_id` names it), never as itself;
 *   the built-in clients (first party, platform services) come from configuration, not rows.
 * - `client_assertions`: `jti`s of `private_key_jwt` assertions already used (RFC 7523 3:
 *   single use), kept until the assertion would have expired.
 * - `issued_tokens`: the audit record of every access token the token endpoint issues, and what
 *   revocation (RFC 7009) and introspection (RFC 7662) read back.
 * - `sessions.scopes`: what a session's client was granted; null for first-party sessions,
 *   whose scopes follow the user's roles.
 */
export class CreateOAuthClients1765100000000 implements MigrationInterface {
  name = 'CreateOAuthClients1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE auth.oauth_clients (
        client_id                  text PRIMARY KEY,
        client_name                text NOT NULL,
        grant_types                text[] NOT NULL,
        redirect_uris              text[] NOT NULL,
        scopes                     text[] NOT NULL,
        audiences                  text[] NOT NULL,
        token_endpoint_auth_method text NOT NULL CHECK (token_endpoint_auth_method IN
                                     ('client_secret_basic', 'client_secret_post',
                                      'private_key_jwt', 'none')),
        jwks                       jsonb,
        secret_hash                bytea,
        secret_key_id              text,
        access_token_ttl_seconds   integer,
        refresh_token_ttl_seconds  integer,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        CHECK ((secret_hash IS NOT NULL) =
               (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post'))),
        CHECK ((jwks IS NOT NULL) = (token_endpoint_auth_method = 'private_key_jwt'))
      )`);
    await runner.query(`
      CREATE TABLE auth.client_assertions (
        client_id  text NOT NULL,
        jti        text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, jti)
      )`);
    await runner.query(`
      CREATE TABLE auth.issued_tokens (
        jti        uuid PRIMARY KEY,
        client_id  text NOT NULL,
        subject    text NOT NULL,
        grant_type text NOT NULL,
        audiences  text[] NOT NULL,
        scopes     text[] NOT NULL,
        session_id uuid,
        actor      text,
        issued_at  timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await runner.query(`CREATE INDEX issued_tokens_expires_idx ON auth.issued_tokens (expires_at)`);
    await runner.query(`ALTER TABLE auth.sessions ADD COLUMN scopes text[]`);
    await runner.query(`CREATE INDEX sessions_client_idx ON auth.sessions (client_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX auth.sessions_client_idx`);
    await runner.query(`ALTER TABLE auth.sessions DROP COLUMN scopes`);
    await runner.query(`DROP TABLE auth.issued_tokens`);
    await runner.query(`DROP TABLE auth.client_assertions`);
    await runner.query(`DROP TABLE auth.oauth_clients`);
  }
}
