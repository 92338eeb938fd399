/** Request subjects answered by the users context (`<context>.<aggregate>.<verb>`). */
export const UsersPattern = {
  /** Create the profile of an account auth has registered. Payload: `CreateUserDto`. Reply: `UserView`. Errors: 400, 409. */
  CreateUser: 'users.user.create',
  /** Read one user. Payload: `GetUserDto`. Reply: `UserView`. Errors: 400, 404. */
  GetUser: 'users.user.get',
} as const;

/** Events published by the users context (`<context>.<aggregate>.<past-tense>`). */
export const UsersEvent = {
  /** An account was created. Payload: `UserCreatedEvent`. Published through the outbox. */
  UserCreated: 'users.user.created',
} as const;
