import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * A token at the UserInfo endpoint whose subject is no user (a client's own token, or a
 * service's): there are no claims about an end-user to return, so the token is not one this
 * endpoint takes, an invalid token (OpenID Connect Core 5.3.3, RFC 6750 3.1 `invalid_token`).
 */
export class NoUserSubjectError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidToken, 'The token is not for a user');
  }
}
