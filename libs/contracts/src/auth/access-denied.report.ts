import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ErrorCode } from '../errors/error-code';

/**
 * `auth.security-events.record` payload: a guard somewhere on the platform refused a request or
 * message, for the security log. Identical refusals within a second are reported once with
 * their `count`. Never carries the credential itself.
 */
export class AccessDeniedReport {
  @IsIn(Object.values(ErrorCode))
  code!: ErrorCode;

  /** `GET /v1/users/:id` for a route, the subject for a message. */
  @IsString()
  @MaxLength(200)
  target!: string;

  /** The context whose guard refused. */
  @IsString()
  @MaxLength(50)
  context!: string;

  /** The token's subject, when it was valid but not enough. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  clientId?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count!: number;
}
