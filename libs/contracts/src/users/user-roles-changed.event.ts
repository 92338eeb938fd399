import { Role } from './role';

/** Payload of `users.user.roles-changed`. */
export interface UserRolesChangedEvent {
  id: string;
  roles: Role[];
  /** The administrator who changed them. */
  by?: string;
}
