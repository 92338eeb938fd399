import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * An API token that is unknown, expired or revoked, or whose owner is disabled: for the client,
 * an invalid bearer token (RFC 6750 3.1 `invalid_token`), whichever it is.
 */
export class UnusableCredentialError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidToken, 'The API token is invalid, expired or revoked');
  }
}
