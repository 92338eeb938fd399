import { ErrorCode, ServiceError } from '@platform/contracts';

/** No bearer credential where one is required (RFC 6750 3.1: a challenge without error code). */
export class AuthenticationRequiredError extends ServiceError {
  constructor() {
    super(ErrorCode.Unauthenticated, 'Authentication required');
  }
}
