import { ErrorCode } from './error-code';
import { ServiceError } from './service-error';

/** Something the caller could not have caused. Says nothing more; the details are logged. */
export class InternalError extends ServiceError {
  constructor() {
    super(ErrorCode.Internal, 'Internal error');
  }
}
