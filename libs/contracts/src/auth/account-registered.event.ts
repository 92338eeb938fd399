/** Payload of `auth.account.registered`: the account's credential is active, the account whole. */
export interface AccountRegisteredEvent {
  id: string;
}
