import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthPattern, ListSecurityEventsDto, SecurityEventPage } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { ApiAuthenticated, ApiProblems } from './docs/api-responses';

/** The security log, for administrators; auth decides who may read it. */
@ApiTags('admin')
@ApiAuthenticated()
@Controller('v1/admin/security-events')
export class SecurityEventsHttpController {
  constructor(private readonly bus: MessageBus) {}

  /** A page of the hash-chained security log, newest first (role and scope `admin`). */
  @Get()
  @ApiProblems(400, 403)
  list(@Query() query: ListSecurityEventsDto): Promise<SecurityEventPage> {
    return this.bus.send<SecurityEventPage>(AuthPattern.ListSecurityEvents, query);
  }
}
