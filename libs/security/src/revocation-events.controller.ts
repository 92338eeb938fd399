import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthEvent, SessionRevokedEvent, SubjectRevokedEvent } from '@platform/contracts';
import { Public } from './auth-metadata';
import { RevocationList } from './revocation-list';

/**
 * Feeds every verifier's deny list. Subscribed without a queue group, so each process hears
 * every revocation; trust in these events comes from who may publish on the subject (NATS
 * permissions), not from a bearer token, hence `@Public()`.
 */
@Controller()
export class RevocationEventsController {
  constructor(private readonly revocations: RevocationList) {}

  @Public()
  @EventPattern(AuthEvent.SessionRevoked)
  sessionRevoked(@Payload() event: SessionRevokedEvent): void {
    if (typeof event?.sessionId === 'string' && typeof event.until === 'number') {
      this.revocations.revokeSession(event.sessionId, event.until);
    }
  }

  @Public()
  @EventPattern(AuthEvent.SubjectRevoked)
  subjectRevoked(@Payload() event: SubjectRevokedEvent): void {
    if (
      typeof event?.userId === 'string' &&
      typeof event.notBefore === 'number' &&
      typeof event.until === 'number'
    ) {
      this.revocations.revokeSubject(event.userId, event.notBefore, event.until);
    }
  }
}
