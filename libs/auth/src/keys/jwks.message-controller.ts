import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { JsonWebKeySet, PublishedKeySet } from './published-key-set';

@Controller()
export class JwksMessageController {
  constructor(private readonly keySet: PublishedKeySet) {}

  /**
   * The set as stored, never from this replica's cache: a verifier asks after hearing an
   * announcement (an unknown `kid`, its periodic refresh), and a replica yet to hear of the
   * same change would hand it back a withdrawn key, trusted until its next fetch. The
   * announcement is published once its change committed, so a read after it sees the change.
   * Every verifier asks at most once per `minRefreshIntervalMs` (see `JwksCache`).
   */
  @Public()
  @MessagePattern(AuthPattern.GetJwks)
  jwks(): Promise<JsonWebKeySet> {
    return this.keySet.read();
  }
}
