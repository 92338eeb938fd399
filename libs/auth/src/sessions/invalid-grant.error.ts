import { ErrorCode, ServiceError } from '@platform/contracts';

/** A refresh token that is unknown, spent, expired, or whose session has ended (RFC 6749 5.2). */
export class InvalidGrantError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidGrant, 'The refresh token is invalid, expired or revoked');
  }
}
