import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthEvent, KeySetChangedEvent } from '@platform/contracts';
import { Public } from './auth-metadata';
import { JwksCache } from './jwks-cache';

/**
 * Hands every verifier the key set auth announces. Heard by every process, starting from the
 * latest announcement (`replay: 'last'`), so a process that starts while auth is down still
 * holds the keys; trusted for who may publish the subject (NATS permissions), hence `@Public()`.
 */
@Public()
@Controller()
export class KeySetEventsController {
  constructor(private readonly keys: JwksCache) {}

  @EventPattern(AuthEvent.KeySetChanged, { replay: 'last' })
  keySetChanged(@Payload() event: KeySetChangedEvent): void {
    this.keys.accept(event);
  }
}
