import { Controller, Get, Header, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { AuthPattern } from '@platform/contracts';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { discoveryDocument } from './discovery';
import { ApiProblems } from './docs/api-responses';
import { UnknownIssuerPathError } from './unknown-issuer-path.error';

@ApiTags('discovery')
@ApiProblems()
@Public()
@Controller('.well-known')
export class WellKnownHttpController {
  private readonly discovery: Record<string, unknown>;
  /** The issuer's path, without a trailing slash: empty for an issuer at its host's root. */
  private readonly issuerPath: string;

  constructor(
    private readonly bus: MessageBus,
    config: ConfigService<PlatformEnv, true>,
  ) {
    const issuer = config.get('ISSUER', { infer: true });
    this.discovery = discoveryDocument(issuer, config.get('SIGNING_ALG', { infer: true }));
    this.issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
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

  /**
   * RFC 8414 3.1: for an issuer with a path, the metadata is at the well-known path with the
   * issuer's path after it (`/.well-known/oauth-authorization-server/idp`), which a proxy
   * serving the issuer at that path passes on as it is.
   */
  // The wildcard is the document's `{path}` (path-to-regexp's `*path`), read from the request
  // rather than with `@Param('*')`, which the document would show as a parameter named `*`.
  @Get('oauth-authorization-server/*')
  @Header('cache-control', 'public, max-age=300')
  @ApiParam({
    name: 'path',
    description: 'The issuer’s path, without its leading slash; it may hold slashes',
    schema: { type: 'string' },
  })
  @ApiProblems(404)
  oauthAuthorizationServerOfPath(@Req() request: FastifyRequest): Record<string, unknown> {
    const path = (request.params as Record<string, string>)['*'];
    // An issuer at its host's root has no path to match: `/${path}` is never empty.
    if (`/${path}` !== this.issuerPath) throw new UnknownIssuerPathError();
    return this.discovery;
  }

  /** The JWK Set (RFC 7517 5) every service verifies access tokens against. */
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<object> {
    return this.bus.send<object>(AuthPattern.GetJwks, {});
  }
}
