import { ErrorCode, ServiceError } from '@platform/contracts';

/** An order is a user's: a token of a client alone (`client_credentials`) places none. */
export class BuyerNotAUserError extends ServiceError {
  constructor() {
    super(ErrorCode.Forbidden, 'Only a user can place an order');
  }
}
