import { IsUUID } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { MemoizedValidation } from '../validation/validation-memo';

/** `GET /v1/orders/:id` parameters and `orders.order.get` payload. */
@MemoizedValidation()
export class GetOrderDto {
  @CanonicalUuid()
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
