import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccessDeniedReport,
  AuthPattern,
  ListSecurityEventsDto,
  SecurityEventPage,
} from '@platform/contracts';
import { Public, Roles, Scopes } from '@platform/security';
import { SecurityEventWriter } from './security-event.writer';
import { SecurityLogStore } from './security-log.store';

@Controller()
export class SecurityLogMessageController {
  constructor(
    private readonly log: SecurityLogStore,
    private readonly writer: SecurityEventWriter,
  ) {}

  @MessagePattern(AuthPattern.ListSecurityEvents)
  @Roles('admin')
  @Scopes('admin')
  list(@Payload() query: ListSecurityEventsDto): Promise<SecurityEventPage> {
    return this.log.list(query);
  }

  /**
   * Refusals reported by the guards of every service, once per auth deployment (queue group
   * `auth`). Public like every event handler: trust comes from who may publish on the subject,
   * and a report carries no credential to check.
   */
  @Public()
  @EventPattern(AuthPattern.RecordAccessDenied, { queue: 'auth' })
  recordAccessDenied(@Payload() report: AccessDeniedReport): Promise<void> {
    const { userId, ...details } = report;
    return this.writer.append({ type: 'access_denied', userId, details });
  }
}
