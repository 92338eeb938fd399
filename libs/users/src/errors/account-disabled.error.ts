import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * A service asked for a disabled account's profile to issue something for it (a token pair, an
 * internal token): refused, whatever auth's own copy of the account says.
 */
export class AccountDisabledError extends ServiceError {
  constructor() {
    super(ErrorCode.AccountDisabled, 'The account is disabled');
  }
}
