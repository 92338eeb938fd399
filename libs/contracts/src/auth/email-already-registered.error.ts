import { ErrorCode } from '../errors/error-code';
import { ServiceError } from '../errors/service-error';

/**
 * Registration of an email that is taken. Raised by auth (the credential's unique index) and by
 * users (the profile's), whichever refuses the duplicate first.
 */
export class EmailAlreadyRegisteredError extends ServiceError {
  constructor() {
    super(ErrorCode.EmailAlreadyRegistered, 'An account with this email already exists');
  }
}
