import { ErrorCode, ServiceError } from '@platform/contracts';

/** Someone must always be able to administer the platform. */
export class LastAdministratorError extends ServiceError {
  constructor() {
    super(
      ErrorCode.LastAdministrator,
      'This is the last active administrator: make another one first',
    );
  }
}
