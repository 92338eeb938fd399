import { ContextDatabase } from '@platform/database';
import { authMigrations } from '@platform/migrations/auth';

/** The auth context's schema, entities and migrations. */
export const authDatabase: ContextDatabase = {
  schema: 'auth',
  entities: [],
  migrations: authMigrations,
};
