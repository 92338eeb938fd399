import { ErrorCode, ServiceError } from '@platform/contracts';

/** Too many failed logins: nothing is checked until `Retry-After` has passed. */
export class LoginLockedError extends ServiceError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.LoginLocked, 'Too many failed logins; try again later', {
      retryAfter: retryAfterSeconds,
    });
  }
}
