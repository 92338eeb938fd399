import { ErrorCode } from '../errors/error-code';
import { ServiceError } from '../errors/service-error';

/**
 * A profile is a user's: a client's own token (`client_credentials`) or a service's names no
 * user in its `sub`, so there is no profile of its own to read or change.
 */
export class ProfileOwnerRequiredError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'Only a user has a profile');
  }
}
