import { ContextDatabase } from '@platform/database';
import { authMigrations } from '@platform/migrations/auth';
import { CredentialEntity } from './accounts/credential.entity';
import { SigningKeyEntity } from './keys/signing-key.entity';

/** The auth context's schema, entities and migrations. */
export const authDatabase: ContextDatabase = {
  schema: 'auth',
  entities: [CredentialEntity, SigningKeyEntity],
  migrations: authMigrations,
};
