import { CreateUsers1764000000000 } from './1764000000000-create-users';

/** The users context's migrations, oldest first. Never edit one that has landed; add another. */
export const usersMigrations = [CreateUsers1764000000000];
