import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiTokenIdDto,
  ApiTokenView,
  AuthPattern,
  CreateApiTokenDto,
  CreatedApiToken,
} from '@platform/contracts';
import { SessionRequired } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAccessTokenOnly, ApiProblems } from './docs/api-responses';
import { CredentialTranslation } from './edge/credential-translation';

/**
 * Personal access tokens. Managing them needs a signed-in session: an API token cannot create,
 * list or revoke API tokens.
 */
@ApiTags('api-tokens')
@ApiAccessTokenOnly()
@ApiProblems(403)
@SessionRequired()
@Controller('v1/api-tokens')
export class ApiTokensHttpController {
  constructor(
    private readonly bus: MessageBus,
    private readonly credentials: CredentialTranslation,
  ) {}

  /** Create a token with a subset of your scopes; its secret is in this answer and never again. */
  @Post()
  @HttpCode(201)
  @ApiProblems(400, 413, 415)
  create(@Body() body: CreateApiTokenDto): Promise<CreatedApiToken> {
    return this.bus.send<CreatedApiToken>(AuthPattern.CreateApiToken, body);
  }

  /** Your live tokens, newest first, without their secrets. */
  @Get()
  list(): Promise<ApiTokenView[]> {
    return this.bus.send<ApiTokenView[]>(AuthPattern.ListApiTokens, {});
  }

  /** Revoke a token: it stops working at once, on every gateway replica. */
  @Delete(':id')
  @HttpCode(204)
  @ApiProblems(400, 404)
  async revoke(@Param() params: ApiTokenIdDto): Promise<void> {
    await this.bus.send(AuthPattern.RevokeApiToken, { id: params.id });
    // The other replicas drop it when they hear auth.api-token.revoked; this one does not wait
    // for the event, so the caller's next request through it is refused.
    this.credentials.forgetToken(params.id);
  }
}
