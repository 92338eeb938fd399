import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ApiTokenIdDto,
  ApiTokenView,
  AuthPattern,
  CreateApiTokenDto,
  CreatedApiToken,
  InternalToken,
  ResolveApiTokenDto,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Public, SessionRequired } from '@platform/security';
import { ApiTokenResolution } from './api-token-resolution.service';
import { ApiTokensService } from './api-tokens.service';

@Controller()
export class ApiTokensMessageController {
  constructor(
    private readonly apiTokens: ApiTokensService,
    private readonly resolution: ApiTokenResolution,
  ) {}

  /** Managing API tokens is managing the account: an API token cannot mint or list others. */
  @SessionRequired()
  @MessagePattern(AuthPattern.CreateApiToken)
  create(
    @Payload() command: CreateApiTokenDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiToken> {
    return this.apiTokens.create(principal, command);
  }

  @SessionRequired()
  @MessagePattern(AuthPattern.ListApiTokens)
  list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenView[]> {
    return this.apiTokens.list(principal);
  }

  @SessionRequired()
  @MessagePattern(AuthPattern.RevokeApiToken)
  revoke(
    @Payload() command: ApiTokenIdDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.apiTokens.revoke(principal, command.id);
  }

  /** Public: the API token in the payload is the credential, as a password is for a login. */
  @Public()
  @MessagePattern(AuthPattern.ResolveApiToken)
  resolve(@Payload() command: ResolveApiTokenDto): Promise<InternalToken> {
    return this.resolution.resolve(command.token);
  }
}
