import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';

/** `GET /v1/orders` query and `orders.order.list` payload. */
export class ListOrdersDto extends PageQueryDto {
  /** Everyone's orders, not only the caller's (administrators with scope admin). */
  @IsOptional()
  // A query string carries text: only "true" and "false" are booleans, anything else is refused.
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  all?: boolean;
}
