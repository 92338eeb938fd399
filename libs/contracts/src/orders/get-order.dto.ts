import { IsUUID } from 'class-validator';
import { MemoizedValidation } from '../validation/validation-memo';

/** `GET /v1/orders/:id` parameters and `orders.order.get` payload. */
@MemoizedValidation()
export class GetOrderDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
