import { ErrorCode, ServiceError } from '@platform/contracts';

/** A profile creation for a registration auth has undone: it arrived too late. */
export class RegistrationCancelledError extends ServiceError {
  constructor() {
    super(ErrorCode.RegistrationCancelled, 'This registration was cancelled');
  }
}
