import { Controller, Get, Header } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { AuthPattern } from '@platform/contracts';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { discoveryDocument } from './discovery';

@ApiTags('discovery')
@Public()
@Controller('.well-known')
export class WellKnownHttpController {
  private readonly discovery: Record<string, unknown>;

  constructor(
    private readonly bus: MessageBus,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.discovery = discoveryDocument(config.get('ISSUER', { infer: true }));
  }

  /** OpenID Connect Discovery 1.0 metadata. */
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  openidConfiguration(): Record<string, unknown> {
    return this.discovery;
  }

  /** RFC 8414 3: the same metadata at the OAuth well-known path. */
  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=300')
  oauthAuthorizationServer(): Record<string, unknown> {
    return this.discovery;
  }

  /** The JWK Set (RFC 7517 5) every service verifies access tokens against. */
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<object> {
    return this.bus.send<object>(AuthPattern.GetJwks, {});
  }
}
