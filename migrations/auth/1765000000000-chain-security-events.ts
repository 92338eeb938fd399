import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security log becomes tamper-evident: each row carries `seq` (its place in the chain),
 * the hash of the row before it and its own hash, SHA-256 over the previous hash and the row's
 * canonical text (`auth.security_event_text`). A BEFORE INSERT trigger links every new row to
 * `auth.security_log_head`, the chain's last position and hash, whose row lock makes concurrent
 * writers append one after another, so the chain follows commit order. Editing or deleting a
 * row breaks the chain, and deleting the last rows leaves the head pointing past them: either
 * way `npm run audit:verify` names the first broken row. Other triggers refuse UPDATE, DELETE
 * and TRUNCATE for every role that has not switched triggers off (only a superuser can).
 * Existing rows are chained in the order they were written.
 */
export class ChainSecurityEvents1765000000000 implements MigrationInterface {
  name = 'ChainSecurityEvents1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE auth.security_events
        ADD COLUMN seq bigint,
        ADD COLUMN prev_hash bytea,
        ADD COLUMN hash bytea`);
    // The text a row's hash covers; audit:verify rebuilds it from the same columns.
    await runner.query(`
      CREATE FUNCTION auth.security_event_text(
        seq bigint, type text, user_id uuid, session_id uuid, details jsonb, occurred_at timestamptz
      ) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT concat_ws(E'\\n', seq::text, type, coalesce(user_id::text, ''),
                         coalesce(session_id::text, ''), details::text,
                         (extract(epoch FROM occurred_at) * 1000000)::bigint::text)
      $$`);
    await runner.query(`
      CREATE FUNCTION auth.security_event_hash(previous bytea, text text) RETURNS bytea
        LANGUAGE sql IMMUTABLE AS $$
        SELECT sha256(coalesce(previous, ''::bytea) || convert_to(text, 'UTF8'))
      $$`);
    await runner.query(`
      DO $$
      DECLARE
        event record;
        n bigint := 0;
        previous bytea;
      BEGIN
        FOR event IN SELECT * FROM auth.security_events ORDER BY id LOOP
          n := n + 1;
          UPDATE auth.security_events
             SET seq = n, prev_hash = previous,
                 hash = auth.security_event_hash(previous, auth.security_event_text(
                   n, event.type, event.user_id, event.session_id, event.details, event.occurred_at))
           WHERE id = event.id
          RETURNING hash INTO previous;
        END LOOP;
      END $$`);
    await runner.query(`
      CREATE TABLE auth.security_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq       bigint NOT NULL,
        hash      bytea
      )`);
    await runner.query(`
      INSERT INTO auth.security_log_head (seq, hash)
      SELECT coalesce(max(seq), 0), (SELECT hash FROM auth.security_events ORDER BY seq DESC LIMIT 1)
        FROM auth.security_events`);
    await runner.query(`
      ALTER TABLE auth.security_events
        ALTER COLUMN seq SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT security_events_seq_key UNIQUE (seq)`);
    await runner.query(`
      CREATE FUNCTION auth.chain_security_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last record;
      BEGIN
        SELECT seq, hash INTO last FROM auth.security_log_head FOR UPDATE;
        NEW.seq := last.seq + 1;
        NEW.prev_hash := last.hash;
        NEW.hash := auth.security_event_hash(last.hash, auth.security_event_text(
          NEW.seq, NEW.type, NEW.user_id, NEW.session_id, NEW.details, NEW.occurred_at));
        UPDATE auth.security_log_head SET seq = NEW.seq, hash = NEW.hash;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER security_events_chain BEFORE INSERT ON auth.security_events
        FOR EACH ROW EXECUTE FUNCTION auth.chain_security_event()`);
    await runner.query(`
      CREATE FUNCTION auth.refuse_security_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the security log is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`
      CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON auth.security_events
        FOR EACH ROW EXECUTE FUNCTION auth.refuse_security_event_change()`);
    await runner.query(`
      CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON auth.security_events
        FOR EACH STATEMENT EXECUTE FUNCTION auth.refuse_security_event_change()`);
    await runner.query(
      `CREATE INDEX security_events_type_idx ON auth.security_events (type, occurred_at)`,
    );
    await runner.query(
      `CREATE INDEX security_events_time_idx ON auth.security_events (occurred_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX auth.security_events_time_idx`);
    await runner.query(`DROP INDEX auth.security_events_type_idx`);
    await runner.query(`DROP TRIGGER security_events_no_truncate ON auth.security_events`);
    await runner.query(`DROP TRIGGER security_events_append_only ON auth.security_events`);
    await runner.query(`DROP FUNCTION auth.refuse_security_event_change()`);
    await runner.query(`DROP TRIGGER security_events_chain ON auth.security_events`);
    await runner.query(`DROP FUNCTION auth.chain_security_event()`);
    await runner.query(`DROP TABLE auth.security_log_head`);
    await runner.query(`DROP FUNCTION auth.security_event_hash(bytea, text)`);
    await runner.query(
      `DROP FUNCTION auth.security_event_text(bigint, text, uuid, uuid, jsonb, timestamptz)`,
    );
    await runner.query(`
      ALTER TABLE auth.security_events
        DROP CONSTRAINT security_events_seq_key,
        DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN seq`);
  }
}
