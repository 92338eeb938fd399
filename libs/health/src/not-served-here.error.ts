import { ErrorCode, ServiceError } from '@platform/contracts';

/** The metrics are on the management port (`METRICS_PORT`), not on this one. */
export class NotServedHereError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'Not found');
  }
}
