import { ErrorCode, ServiceError } from '@platform/contracts';

/** No such order, or one the caller may not see: the two look alike, so ids reveal nothing. */
export class OrderNotFoundError extends ServiceError {
  constructor() {
    super(ErrorCode.NotFound, 'Order not found');
  }
}
