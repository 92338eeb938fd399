import { CreateCredentials1764150000000 } from './1764150000000-create-credentials';

/** The auth context's migrations, oldest first. Never edit one that has landed; add another. */
export const authMigrations = [CreateCredentials1764150000000];
