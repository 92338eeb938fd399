import { QueryFailedError } from 'typeorm';

/** PostgreSQL's `unique_violation` (SQLSTATE 23505): the database refused a duplicate. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === '23505'
  );
}
