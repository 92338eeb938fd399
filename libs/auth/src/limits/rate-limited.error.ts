import { ErrorCode, ServiceError } from '@platform/contracts';

/** Too many requests of one kind from one client: retry after `Retry-After` seconds. */
export class RateLimitedError extends ServiceError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, 'Too many requests; try again later', {
      retryAfter: retryAfterSeconds,
    });
  }
}
