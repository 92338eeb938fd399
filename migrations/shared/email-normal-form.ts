import { Logger } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { normalizeEmail } from '@platform/contracts';

/**
 * Brings the `email` column of `table` to the normal form accounts are compared in
 * (`normalizeEmail`: NFKC, then case-folded), for the migrations of auth and users that
 * introduced it. A database migrated later gets the rule as it is then, as its new rows would.
 *
 * Rows whose normal forms collide are left as they are and reported, never merged: which of two
 * look-alike accounts is the real one is for an operator to decide.
 */
export async function bringEmailsToNormalForm(
  runner: QueryRunner,
  table: string,
  idColumn: string,
): Promise<void> {
  const rows: { id: string; email: string }[] = await runner.query(
    `SELECT ${idColumn} AS id, email FROM ${table}`,
  );
  const byNormalForm = new Map<string, { id: string; email: string }[]>();
  for (const row of rows) {
    const normal = normalizeEmail(row.email);
    byNormalForm.set(normal, [...(byNormalForm.get(normal) ?? []), row]);
  }
  for (const [normal, owners] of byNormalForm) {
    if (owners.length > 1) {
      new Logger('Migrations').warn(
        `${table}: ${owners.length} accounts share the email ${normal} once normalized; ` +
          `left unchanged, resolve by hand: ${owners.map((owner) => owner.id).join(', ')}`,
      );
      continue;
    }
    const [owner] = owners;
    if (owner.email !== normal) {
      await runner.query(`UPDATE ${table} SET email = $2 WHERE ${idColumn} = $1`, [
        owner.id,
        normal,
      ]);
    }
  }
}
