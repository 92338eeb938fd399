import { ErrorCode } from './error-code';
import { FieldError } from './error-reply';
import { ServiceError } from './service-error';

/** A payload, body or parameter that breaks its contract; one entry per offending field. */
export class ValidationFailedError extends ServiceError {
  constructor(errors?: FieldError[], message = 'Request validation failed') {
    super(ErrorCode.ValidationFailed, message, { errors });
  }
}
