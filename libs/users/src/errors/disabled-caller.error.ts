import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * The token's own account is disabled: its tokens are void, here as soon as the account was
 * disabled, whether or not the revocation has reached this process yet (RFC 6750 3.1
 * `invalid_token`).
 */
export class DisabledCallerError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidToken, 'The account of this token is disabled');
  }
}
