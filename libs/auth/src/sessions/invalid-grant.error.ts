import { ErrorCode, Revocations, ServiceError } from '@platform/contracts';

/**
 * A refresh token that is unknown, spent, expired, or whose session has ended (RFC 6749 5.2);
 * with what was revoked when a spent one came back (its family, RFC 9700 4.14.2).
 */
export class InvalidGrantError extends ServiceError {
  constructor(revoked?: Revocations) {
    super(ErrorCode.InvalidGrant, 'The refresh token is invalid, expired or revoked', { revoked });
  }
}
