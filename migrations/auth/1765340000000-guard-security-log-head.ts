import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `auth.security_log_head`, the chain's last position and hash, was the one part of the
 * security log a plain UPDATE or DELETE could change: pointed back at an earlier row, or
 * removed, it let the rows after it go unnoticed. Now only the chain trigger moves it (an
 * UPDATE issued from within a trigger, `pg_trigger_depth() > 1` in the guard); any other
 * UPDATE, a DELETE, an INSERT or a TRUNCATE is refused, as for the rows.
 */
export class GuardSecurityLogHead1765340000000 implements MigrationInterface {
  name = 'GuardSecurityLogHead1765340000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION auth.guard_security_log_head() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the security log''s head moves only with the chain: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`
      CREATE TRIGGER security_log_head_guard BEFORE INSERT OR UPDATE OR DELETE
        ON auth.security_log_head FOR EACH ROW EXECUTE FUNCTION auth.guard_security_log_head()`);
    await runner.query(`
      CREATE TRIGGER security_log_head_no_truncate BEFORE TRUNCATE ON auth.security_log_head
        FOR EACH STATEMENT EXECUTE FUNCTION auth.guard_security_log_head()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER security_log_head_no_truncate ON auth.security_log_head`);
    await runner.query(`DROP TRIGGER security_log_head_guard ON auth.security_log_head`);
    await runner.query(`DROP FUNCTION auth.guard_security_log_head()`);
  }
}
