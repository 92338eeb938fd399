import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * This service has not obtained the authorization server's keys yet, so it cannot tell a good
 * token from a bad one: an outage (503), never the caller's fault (401).
 */
export class SigningKeysUnavailableError extends ServiceError {
  constructor() {
    super(ErrorCode.ServiceUnavailable, 'The signing keys are not available yet', {
      retryAfter: 1,
    });
  }
}
