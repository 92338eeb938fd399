import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * The account's creation did not finish in time and will settle on its own, whole or absent.
 * The same registration, retried after `retryAfter`, completes it or says the account exists.
 */
export class RegistrationPendingError extends ServiceError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RegistrationPending, 'The account is still being created; retry shortly', {
      retryAfter: retryAfterSeconds,
    });
  }
}
