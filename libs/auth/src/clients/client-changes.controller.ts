import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthEvent, ClientChangedEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { ClientStore } from './client.store';

/**
 * Drops a changed client from this auth replica's cache. Heard by every auth process (no queue
 * group); trusted, like every event handler, because of who may publish on the subject.
 */
@Controller()
export class ClientChangesController {
  constructor(private readonly clients: ClientStore) {}

  @Public()
  @EventPattern(AuthEvent.ClientChanged)
  clientChanged(@Payload() event: ClientChangedEvent): void {
    if (typeof event?.clientId === 'string') this.clients.forget(event.clientId);
  }
}
