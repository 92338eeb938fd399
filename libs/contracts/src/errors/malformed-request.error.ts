import { ErrorCode } from './error-code';
import { ServiceError } from './service-error';

/** A body that is not JSON at all, or not well-formed. */
export class MalformedRequestError extends ServiceError {
  constructor(reason: string) {
    super(ErrorCode.MalformedRequest, reason);
  }
}
