import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * A token exchange (RFC 8693) this service could not make for a reason that is not the
 * caller's: auth not answering (503) or refusing the service itself, which is misconfigured.
 */
export class TokenExchangeFailedError extends ServiceError {
  constructor(reason: string, code: ErrorCode = ErrorCode.Internal) {
    super(code, reason);
  }
}
