import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { isUUID } from 'class-validator';
import {
  AuthEvent,
  SessionRevokedEvent,
  SubjectRevokedEvent,
  TokenRevokedEvent,
  UserDisabledEvent,
  UsersEvent,
} from '@platform/contracts';
import { Public } from './auth-metadata';
import { RevocationList } from './revocation-list';

/**
 * Feeds every verifier's deny list. Heard by every process (no queue group), reading back the
 * events of the longest token lifetime at start (`replay: 'recent'`), so a process that starts
 * or reconnects late holds every revocation in force. Trust in these events comes from who may
 * publish on the subject (NATS permissions), not from a bearer token, hence `@Public()`.
 */
@Public()
@Controller()
export class RevocationEventsController {
  constructor(private readonly revocations: RevocationList) {}

  @EventPattern(AuthEvent.SessionRevoked, { replay: 'recent' })
  sessionRevoked(@Payload() event: SessionRevokedEvent): void {
    if (typeof event?.sessionId === 'string' && typeof event.until === 'number') {
      this.revocations.revokeSession(event.sessionId, event.until);
    }
  }

  @EventPattern(AuthEvent.SubjectRevoked, { replay: 'recent' })
  subjectRevoked(@Payload() event: SubjectRevokedEvent): void {
    if (
      typeof event?.userId === 'string' &&
      typeof event.notBefore === 'number' &&
      typeof event.until === 'number'
    ) {
      this.revocations.revokeSubject(event.userId, event.notBefore, event.until);
    }
  }

  @EventPattern(AuthEvent.TokenRevoked, { replay: 'recent' })
  tokenRevoked(@Payload() event: TokenRevokedEvent): void {
    if (typeof event?.tokenId === 'string' && typeof event.until === 'number') {
      this.revocations.revokeToken(event.tokenId, event.until);
    }
  }

  /**
   * The users context, which owns accounts, disabled one: its tokens are refused from now on,
   * whether or not auth is up to announce the revocation it makes of them too.
   */
  @EventPattern(UsersEvent.UserDisabled, { replay: 'recent' })
  userDisabled(@Payload() event: UserDisabledEvent): void {
    if (isUUID(event?.id)) this.revocations.revokeAllTokensOf(event.id);
  }
}
