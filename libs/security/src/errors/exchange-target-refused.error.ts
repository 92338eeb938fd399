import { ErrorCode, ServiceError } from '@platform/contracts';

/** RFC 8693 `invalid_target`: the user's token may not be exchanged for this service's. */
export class ExchangeTargetRefusedError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'The token is not for this service');
  }
}
