import { MigrationInterface, QueryRunner } from 'typeorm';
import { bringEmailsToNormalForm } from '../shared/email-normal-form';

/** Emails are compared in one normal form (NFKC, case-folded); existing ones are brought to it. */
export class NormalizeUserEmails1764610000000 implements MigrationInterface {
  name = 'NormalizeUserEmails1764610000000';

  async up(runner: QueryRunner): Promise<void> {
    await bringEmailsToNormalForm(runner, 'users.users', 'id');
  }

  /** The original spellings are not kept; the normal forms stay valid emails. */
  async down(): Promise<void> {}
}
