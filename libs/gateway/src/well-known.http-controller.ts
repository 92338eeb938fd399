import { Controller, Get, Header } from '@nestjs/common';
import { AuthPattern } from '@platform/contracts';
import { Public } from '@platform/security';
import { MessageBus } from '@platform/transport';

@Public()
@Controller('.well-known')
export class WellKnownHttpController {
  constructor(private readonly bus: MessageBus) {}

  /** The JWK Set (RFC 7517 5) every service verifies access tokens against. */
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<object> {
    return this.bus.send<object>(AuthPattern.GetJwks, {});
  }
}
