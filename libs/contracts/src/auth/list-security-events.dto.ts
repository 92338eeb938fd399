import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { SECURITY_EVENT_TYPES, SecurityEventType } from './security-event-type';

/** `GET /v1/admin/security-events` query and `auth.security-events.list` payload. */
export class ListSecurityEventsDto {
  /** Only the events of this user. */
  @IsOptional()
  @IsUUID('all', { message: 'user must be a UUID' })
  user?: string;

  @IsOptional()
  @IsIn(SECURITY_EVENT_TYPES)
  type?: SecurityEventType;

  /** ISO 8601; events at or after. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date' })
  since?: Date;

  /** ISO 8601; events before. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date' })
  until?: Date;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
