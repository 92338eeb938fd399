import { Controller, Get, Query } from '@nestjs/common';
import { AuthPattern, ListSecurityEventsDto, SecurityEventPage } from '@platform/contracts';
import { MessageBus } from '@platform/transport';

/** The security log, for administrators; auth decides who may read it. */
@Controller('v1/admin/security-events')
export class SecurityEventsHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Get()
  list(@Query() query: ListSecurityEventsDto): Promise<SecurityEventPage> {
    return this.bus.send<SecurityEventPage>(AuthPattern.ListSecurityEvents, query);
  }
}
