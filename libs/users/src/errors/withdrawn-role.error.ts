import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * The token says its holder is an administrator, and the account is no longer one: the token
 * was signed before the demotion, whose revocation of the holder's sessions may not have
 * reached this process yet. Such a token is void here already (RFC 6750 3.1 `invalid_token`):
 * its `roles` claim (RFC 9068 2.2.3.1) no longer holds, and a new sign-in carries the right ones.
 */
export class WithdrawnRoleError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidToken, 'The administrator role of this token has been withdrawn');
  }
}
