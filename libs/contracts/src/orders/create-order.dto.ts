import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** One line of an order. */
export class OrderItemDto {
  /** Stock keeping unit: 1 to 64 letters, digits, `-`, `_` or `.`. */
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'sku must be 1 to 64 letters, digits, -, _ or .' })
  sku!: string;

  /** A positive whole number. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

/** `POST /v1/orders` body and `orders.order.create` payload: 1 to 100 items. */
export class CreateOrderDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
}
