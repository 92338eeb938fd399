import { QueryFailedError } from 'typeorm';

/**
 * PostgreSQL's `character_not_in_repertoire` (SQLSTATE 22021: "invalid byte sequence for
 * encoding UTF8: 0x00", a NUL in `text`) and `untranslatable_character` (22P05: `\u0000` in
 * `jsonb`): the database refused text it cannot hold, which came from the request.
 */
export function isUnstorableText(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === '22021' || code === '22P05';
}
