import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthEvent, KeySetChangedEvent } from '@platform/contracts';
import { Public } from '@platform/security';
import { ActiveSigningKey } from './active-signing-key';
import { PublishedKeySet } from './published-key-set';

/**
 * Auth hears its own key-set announcements, every replica of it: one made elsewhere (another
 * replica's rotation, a `keys:revoke`) means the key it signs with and the JWKS it serves may
 * have changed, so both are read again at once rather than on the next maintenance pass: a
 * withdrawn key must not sign one more token. The same `replay` as the verifiers' handler of
 * the subject, with which it shares one consumer.
 */
@Controller()
export class KeySetChangesController {
  constructor(
    private readonly activeKey: ActiveSigningKey,
    private readonly keySet: PublishedKeySet,
  ) {}

  @Public()
  @EventPattern(AuthEvent.KeySetChanged, { replay: 'last' })
  keySetChanged(@Payload() _event: KeySetChangedEvent): void {
    this.activeKey.invalidate();
    this.keySet.invalidate();
  }
}
