import { ErrorCode, ServiceError } from '@platform/contracts';

export class LoginLockedError extends ServiceError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      ErrorCode.LoginLocked,
      'Too many failed logins; try again later',
      undefined,
      retryAfterSeconds,
    );
  }
}
