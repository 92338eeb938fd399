import { UserView } from './user.view';

/** Payload of `users.user.updated`: the profile as it is after the change. */
export type UserUpdatedEvent = UserView;
