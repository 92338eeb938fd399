import { UserView } from '@platform/contracts';
import { UserEntity } from './persistence/user.entity';

/** A stored user as this context reads it: what may leave it, and whether the account may act. */
export interface StoredUser {
  view: UserView;
  disabled: boolean;
}

/** The public view of a stored user: what leaves the context, and nothing else. */
export function toUserView(
  user: Pick<UserEntity, 'id' | 'email' | 'displayName' | 'roles' | 'createdAt'>,
): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
  };
}
