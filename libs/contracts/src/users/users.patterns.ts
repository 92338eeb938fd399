/** Request subjects answered by the users context (`<context>.<aggregate>.<verb>`). */
export const UsersPattern = {
  /** Create an account. Payload: `RegisterUserDto`. Reply: `UserView`. Errors: 400, 409. */
  RegisterUser: 'users.user.register',
  /** Read one user. Payload: `GetUserDto`. Reply: `UserView`. Errors: 400, 404. */
  GetUser: 'users.user.get',
} as const;

/** Events published by the users context (`<context>.<aggregate>.<past-tense>`). */
export const UsersEvent = {
  /** An account was created. Payload: `UserCreatedEvent`. Published through the outbox. */
  UserCreated: 'users.user.created',
} as const;
