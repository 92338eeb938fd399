import { ErrorCode, ServiceError } from '@platform/contracts';

/** A request/reply hop that ran out of time. */
export class ServiceTimeoutError extends ServiceError {
  constructor(subject: string) {
    super(ErrorCode.ServiceTimeout, `No reply from ${subject} in time`);
  }
}
