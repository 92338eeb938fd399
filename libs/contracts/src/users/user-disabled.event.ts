/** Payload of `users.user.disabled`. */
export interface UserDisabledEvent {
  id: string;
  /** The administrator who disabled the account. */
  by?: string;
}
