import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../validation/page-query.dto';
import { SECURITY_EVENT_TYPES, SecurityEventType } from './security-event-type';

/** `GET /v1/admin/security-events` query and `auth.security-events.list` payload. */
export class ListSecurityEventsDto extends PageQueryDto {
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
}
