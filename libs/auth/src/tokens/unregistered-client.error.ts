/**
 * A token's audit record names a registered client that is no longer registered: it was deleted
 * after the request authenticated it (on this replica or, before it heard, on another). The token
 * must not leave; to the client this is `invalid_client`.
 */
export class UnregisteredClientError extends Error {
  constructor(readonly clientId: string) {
    super('The client is no longer registered');
    this.name = 'UnregisteredClientError';
  }
}
