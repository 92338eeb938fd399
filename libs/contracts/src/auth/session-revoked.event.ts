/**
 * Payload of `auth.session.revoked`. Verifiers refuse access tokens carrying this `sid` until
 * `until` (epoch seconds), after which every token of the session has expired anyway.
 */
export interface SessionRevokedEvent {
  sessionId: string;
  userId: string;
  reason:
    | 'logout'
    | 'logout-all'
    | 'refresh-token-reuse'
    | 'authorization-code-reuse'
    | 'roles-changed'
    | 'password-changed'
    | 'account-disabled'
    | 'token-revoked'
    | 'client-deleted';
  until: number;
}
