import { IsUUID } from 'class-validator';

/** `GET /v1/orders/:id` parameters and `orders.order.get` payload. */
export class GetOrderDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
