import { ErrorCode, ServiceError } from '@platform/contracts';

/** One answer for an unknown email, a wrong password and a disabled account alike. */
export class InvalidCredentialsError extends ServiceError {
  constructor() {
    super(ErrorCode.InvalidCredentials, 'Invalid email or password');
  }
}
