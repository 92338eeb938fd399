import type { Revocations } from '@platform/contracts';

/**
 * The error codes of the token endpoint (RFC 6749 5.2), with those of resource indicators
 * (RFC 8707 2: `invalid_target`) and revocation (RFC 7009 2.2.1: `unsupported_token_type`).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_token_type'
  | 'server_error';

/**
 * An OAuth error, answered as RFC 6749 5.2 says: JSON `{error, error_description}` with 400,
 * or 401 for `invalid_client`. It is an answer, not a failure: the endpoint replies with it
 * rather than throwing it across the message bus. `error_description` is for developers, in
 * the characters RFC 6749 5.2 allows, and never repeats a credential.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** What the refused request revoked (a spent code or refresh token came back). */
    readonly revoked?: Revocations,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : this.error === 'server_error' ? 500 : 400;
  }
}
