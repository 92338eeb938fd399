import { ContextDatabase } from '@platform/database';
import { usersMigrations } from '@platform/migrations/users';
import { UserEntity } from './user.entity';

/** The users context's schema, entities and migrations. */
export const usersDatabase: ContextDatabase = {
  schema: 'users',
  entities: [UserEntity],
  migrations: usersMigrations,
};
