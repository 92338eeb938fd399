import type { JsonWebKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuthPattern } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { JwksSource } from './jwks-source';

/** The platform's JWKS: asked of the auth context (`auth.jwks.get`), in-process or over NATS. */
@Injectable()
export class MessageBusJwksSource implements JwksSource {
  constructor(private readonly bus: MessageBus) {}

  fetchJwks(): Promise<{ keys: JsonWebKey[] }> {
    return this.bus.send<{ keys: JsonWebKey[] }>(AuthPattern.GetJwks, {});
  }
}
