/** Request subjects answered by the users context (`<context>.<aggregate>.<verb>`). */
export const UsersPattern = {
  /** Create the profile of an account auth is registering; repeating it with the same id and email answers the same profile. Payload: `CreateUserDto`. Reply: `UserView`. Errors: 400, 401, 403, 409 EMAIL_ALREADY_REGISTERED or REGISTRATION_CANCELLED. */
  CreateUser: 'users.user.create',
  /** Undo a registration auth gave up on: the profile goes, and can never be created under this id (auth only). Payload: `GetUserDto`. Reply: none. Errors: 400, 401, 403. */
  CancelRegistration: 'users.user.cancel-registration',
  /** The account of this profile is whole: auth reported its credential active (auth only). Payload: `GetUserDto`. Reply: none. Errors: 400, 401, 403. */
  ConfirmRegistration: 'users.user.confirm-registration',
  /** Profiles whose account auth has not reported whole and that are due a check; each is handed to one caller at a time (auth only). Payload: `ListUnconfirmedProfilesDto`. Reply: `UnconfirmedProfiles`. Errors: 400, 401, 403. */
  ListUnconfirmed: 'users.user.list-unconfirmed',
  /** Read one user. Payload: `GetUserDto`. Reply: `UserView`. Errors: 400, 404. */
  GetUser: 'users.user.get',
  /** Change the caller's own profile. Payload: `UpdateProfileDto`. Reply: `UserView`. Errors: 400, 401. */
  UpdateProfile: 'users.user.update-profile',
  /** A page of users, oldest first (admin). Payload: `ListUsersDto`. Reply: `UserPage`. Errors: 400, 401, 403. */
  ListUsers: 'users.user.list',
  /** Replace a user's roles (admin). Payload: `SetRolesDto`. Reply: `UserView`. Errors: 400, 401, 403, 404, 409 LAST_ADMINISTRATOR. */
  SetRoles: 'users.user.set-roles',
  /** Disable an account (admin): it can no longer log in and its tokens stop working. Payload: `GetUserDto`. Reply: none. Errors: 400, 401, 403, 404, 409 LAST_ADMINISTRATOR or SELF_DISABLE. */
  DisableUser: 'users.user.disable',
} as const;

/** Events published by the users context (`<context>.<aggregate>.<past-tense>`). */
export const UsersEvent = {
  /** An account was created. Payload: `UserCreatedEvent`. Published through the outbox. */
  UserCreated: 'users.user.created',
  /** A user's roles were replaced. Payload: `UserRolesChangedEvent`. Auth ends the user's sessions. */
  UserRolesChanged: 'users.user.roles-changed',
  /** An account was disabled. Payload: `UserDisabledEvent`. Auth refuses its logins and revokes its tokens. */
  UserDisabled: 'users.user.disabled',
  /** A profile changed (its display name). Payload: `UserUpdatedEvent`. Published through the outbox. */
  UserUpdated: 'users.user.updated',
} as const;
