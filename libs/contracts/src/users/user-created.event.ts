/** Payload of `users.user.created`. */
export interface UserCreatedEvent {
  id: string;
  email: string;
  displayName: string | null;
  roles: string[];
  /** ISO 8601 timestamp. */
  createdAt: string;
}
