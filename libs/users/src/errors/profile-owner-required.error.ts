import { ErrorCode, ServiceError } from '@platform/contracts';

/** A profile is a user's: a client's own token (`client_credentials`) or a service's has none. */
export class ProfileOwnerRequiredError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'Only a user has a profile to change');
  }
}
