import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthPattern, UserInfo } from '@platform/contracts';
import { Scopes } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAccessTokenOnly, ApiProblems } from '../docs/api-responses';

/**
 * The UserInfo endpoint (OpenID Connect Core 5.3): GET or POST with a bearer access token
 * carrying `openid`; errors as RFC 6750 3 says (`WWW-Authenticate: Bearer error=...`).
 */
@ApiTags('oauth')
@Controller('oauth2')
export class UserInfoHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Get('userinfo')
  @Scopes('openid')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    description: 'Claims about the token’s user: sub, and name or email as its scopes allow.',
  })
  @ApiAccessTokenOnly()
  @ApiProblems(403)
  get(): Promise<UserInfo> {
    return this.bus.send<UserInfo>(AuthPattern.GetUserInfo, {}, { nestedHops: 1 });
  }

  @Post('userinfo')
  @HttpCode(200)
  @Scopes('openid')
  @Header('cache-control', 'no-store')
  @ApiOperation({ description: 'The same as GET (OpenID Connect Core 5.3.1).' })
  @ApiAccessTokenOnly()
  @ApiProblems(403)
  post(): Promise<UserInfo> {
    return this.bus.send<UserInfo>(AuthPattern.GetUserInfo, {}, { nestedHops: 1 });
  }
}
