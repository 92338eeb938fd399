import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * RFC 6750 3.1 `invalid_token`: malformed, expired, revoked, not for this service, or not an
 * access token. The reason is short and never repeats the token.
 */
export class InvalidTokenError extends ServiceError {
  constructor(reason: string) {
    super(ErrorCode.InvalidToken, reason);
  }
}
