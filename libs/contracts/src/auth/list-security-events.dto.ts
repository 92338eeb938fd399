import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID, MaxDate, MinDate } from 'class-validator';
import { CanonicalUuid } from '../validation/canonical-uuid.decorator';
import { PageQueryDto } from '../validation/page-query.dto';
import { SECURITY_EVENT_TYPES, SecurityEventType } from './security-event-type';

/**
 * The dates a filter may name. No event predates the epoch, and a year past 9999 is written
 * with an expanded year (`+010000-...`, ECMAScript 21.4.1.32) that PostgreSQL's timestamptz
 * does not read: a date JavaScript holds outside these is refused, not a database error.
 */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');
const DATE_RANGE = 'between 1970-01-01 and 9999-12-31';

/** `GET /v1/admin/security-events` query and `auth.security-events.list` payload. */
export class ListSecurityEventsDto extends PageQueryDto {
  /** Only the events of this user. */
  @IsOptional()
  @CanonicalUuid()
  @IsUUID('all', { message: 'user must be a UUID' })
  user?: string;

  @IsOptional()
  @IsIn(SECURITY_EVENT_TYPES)
  type?: SecurityEventType;

  /** ISO 8601; events at or after. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date' })
  @MinDate(EARLIEST, { message: `since must be ${DATE_RANGE}` })
  @MaxDate(LATEST, { message: `since must be ${DATE_RANGE}` })
  since?: Date;

  /** ISO 8601; events before. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date' })
  @MinDate(EARLIEST, { message: `until must be ${DATE_RANGE}` })
  @MaxDate(LATEST, { message: `until must be ${DATE_RANGE}` })
  until?: Date;
}
