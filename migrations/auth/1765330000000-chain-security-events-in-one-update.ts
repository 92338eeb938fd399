import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security log's chain trigger links a row with one UPDATE of `auth.security_log_head`
 * instead of a `SELECT ... FOR UPDATE` and an UPDATE: the UPDATE takes the same row lock, so
 * concurrent writers still append one after another in commit order, and the head now also
 * keeps the hash before its last one (`prev_hash`), which the UPDATE hands back as the new
 * row's `prev_hash`. An UPDATE's SET reads the row as it was, and a writer that waited for the
 * lock re-reads the row its predecessor committed (READ COMMITTED), so each row still links to
 * the one before it. The chain, the hashed text and `audit:verify` are unchanged.
 */
export class ChainSecurityEventsInOneUpdate1765330000000 implements MigrationInterface {
  name = 'ChainSecurityEventsInOneUpdate1765330000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE auth.security_log_head ADD COLUMN prev_hash bytea`);
    await runner.query(`
      UPDATE auth.security_log_head
         SET prev_hash = (SELECT prev_hash FROM auth.security_events ORDER BY seq DESC LIMIT 1)`);
    await runner.query(`
      CREATE OR REPLACE FUNCTION auth.chain_security_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE auth.security_log_head
           SET seq = seq + 1, prev_hash = hash,
               hash = auth.security_event_hash(hash, auth.security_event_text(
                 seq + 1, NEW.type, NEW.user_id, NEW.session_id, NEW.details, NEW.occurred_at))
        RETURNING seq, prev_hash, hash INTO NEW.seq, NEW.prev_hash, NEW.hash;
        RETURN NEW;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE OR REPLACE FUNCTION auth.chain_security_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await runner.query(`ALTER TABLE auth.security_log_head DROP COLUMN prev_hash`);
  }
}
