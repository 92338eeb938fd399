/** Request subjects answered by the users context (`<context>.<aggregate>.<verb>`). */
export const UsersPattern = {
  /** Create the profile of an account auth has registered. Payload: `CreateUserDto`. Reply: `UserView`. Errors: 400, 409. */
  CreateUser: 'users.user.create',
  /** Read one user. Payload: `GetUserDto`. Reply: `UserView`. Errors: 400, 404. */
  GetUser: 'users.user.get',
  /** Change the caller's own profile. Payload: `UpdateProfileDto`. Reply: `UserView`. Errors: 400, 401. */
  UpdateProfile: 'users.user.update-profile',
  /** A page of users, oldest first (admin). Payload: `ListUsersDto`. Reply: `UserPage`. Errors: 400, 401, 403. */
  ListUsers: 'users.user.list',
  /** Replace a user's roles (admin). Payload: `SetRolesDto`. Reply: `UserView`. Errors: 400, 401, 403, 404. */
  SetRoles: 'users.user.set-roles',
  /** Disable an account (admin): it can no longer log in and its tokens stop working. Payload: `GetUserDto`. Reply: none. Errors: 400, 401, 403, 404. */
  DisableUser: 'users.user.disable',
} as const;

/** Events published by the users context (`<context>.<aggregate>.<past-tense>`). */
export const UsersEvent = {
  /** An account was created. Payload: `UserCreatedEvent`. Published through the outbox. */
  UserCreated: 'users.user.created',
  /** A user's roles were replaced. Payload: `UserRolesChangedEvent`. Auth ends the user's sessions. */
  UserRolesChanged: 'users.user.roles-changed',
  /** An account was disabled. Payload: `{ id }`. Auth refuses its logins and revokes its tokens. */
  UserDisabled: 'users.user.disabled',
  /** A profile changed (its display name). Payload: `UserUpdatedEvent`. Published through the outbox. */
  UserUpdated: 'users.user.updated',
} as const;
