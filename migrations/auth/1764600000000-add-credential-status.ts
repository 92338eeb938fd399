import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A credential is `pending` from the moment registration stores it until the users context has
 * created the profile, `cancelling` while a registration that stalled is undone, and `active`
 * once the account is whole: only active credentials log in. `repair_after` is when a credential
 * that is not active yet is looked at again by the registration repair; `stalled_at` is set once
 * its registration gave up waiting (or was found stalled), from when a retry may carry it on.
 */
export class AddCredentialStatus1764600000000 implements MigrationInterface {
  name = 'AddCredentialStatus1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE auth.credentials
        ADD COLUMN status text NOT NULL DEFAULT 'active'
          CHECK (status IN ('pending', 'active', 'cancelling')),
        ADD COLUMN repair_after timestamptz,
        ADD COLUMN stalled_at timestamptz`);
    await runner.query(
      `CREATE INDEX credentials_unsettled_idx ON auth.credentials (repair_after)
        WHERE status <> 'active'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM auth.credentials WHERE status <> 'active'`);
    await runner.query(
      `ALTER TABLE auth.credentials
         DROP COLUMN stalled_at, DROP COLUMN repair_after, DROP COLUMN status`,
    );
  }
}
