import { CreateUsers1764000000000 } from './1764000000000-create-users';
import { MoveCredentialsToAuth1764200000000 } from './1764200000000-move-credentials-to-auth';
import { AddDisabledAt1764400000000 } from './1764400000000-add-disabled-at';

/** The users context's migrations, oldest first. Never edit one that has landed; add another. */
export const usersMigrations = [
  CreateUsers1764000000000,
  MoveCredentialsToAuth1764200000000,
  AddDisabledAt1764400000000,
];
