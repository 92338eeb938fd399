import { CreateUsers1764000000000 } from './1764000000000-create-users';
import { MoveCredentialsToAuth1764200000000 } from './1764200000000-move-credentials-to-auth';
import { AddDisabledAt1764400000000 } from './1764400000000-add-disabled-at';
import { AddProfileConfirmation1764600000000 } from './1764600000000-add-profile-confirmation';
import { NormalizeUserEmails1764610000000 } from './1764610000000-normalize-user-emails';

/** The users context's migrations, oldest first. Never edit one that has landed; add another. */
export const usersMigrations = [
  CreateUsers1764000000000,
  MoveCredentialsToAuth1764200000000,
  AddDisabledAt1764400000000,
  AddProfileConfirmation1764600000000,
  NormalizeUserEmails1764610000000,
];
