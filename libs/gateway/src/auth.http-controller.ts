import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  AuthPattern,
  ChangePasswordCommand,
  ChangePasswordDto,
  LoginCommand,
  LoginDto,
  RefreshTokenCommand,
  RefreshTokenDto,
  RegisterAccountCommand,
  RegisterAccountDto,
  Revocations,
  ServiceError,
  TokenResponse,
  UserView,
} from '@platform/contracts';
import { ApiTags } from '@nestjs/swagger';
import { Public, RevocationList, ServiceTokens, SessionRequired } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAccessTokenOnly, ApiAuthenticated, ApiProblems } from './docs/api-responses';

/**
 * Accounts and first-party sessions. What auth revoked in answering (a logout, a password
 * change, a spent refresh token that came back) this gateway denies before it answers, from the
 * reply (see `Revocations`): the revocation events reach its verifier through the event stream,
 * not ordered with the reply, and the client's next request must find the token refused.
 */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthHttpController {
  constructor(
    private readonly bus: MessageBus,
    private readonly serviceTokens: ServiceTokens,
    private readonly revocations: RevocationList,
  ) {}

  /** Create an account. */
  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiProblems(400, 409, 413, 415)
  async register(
    @Body() body: RegisterAccountDto,
    @Req() request: FastifyRequest,
  ): Promise<UserView> {
    const command: RegisterAccountCommand = { ...body, clientIp: request.ip };
    // Auth asks users for the profile before it replies.
    return this.serviceTokens.send<UserView>(AuthPattern.RegisterAccount, command, {
      nestedHops: 1,
    });
  }

  /** Sign in with email and password: an access token and a refresh token. */
  // RFC 6749 5.1: responses carrying tokens must not be cached.
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiProblems(400, 401, 413, 415)
  @Header('cache-control', 'no-store')
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const command: LoginCommand = {
      ...body,
      clientIp: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 512),
    };
    // Auth reads the user's roles from users before it replies.
    return this.serviceTokens.send<TokenResponse>(AuthPattern.Login, command, { nestedHops: 1 });
  }

  /** Ends the session of the presented access token; its tokens stop working everywhere. */
  @Post('logout')
  @HttpCode(204)
  @ApiAuthenticated()
  async logout(): Promise<void> {
    this.revocations.apply(await this.bus.send<Revocations>(AuthPattern.Logout, {}));
  }

  /** Changes the caller's password; every session ends, this one included. A session only. */
  @Post('password')
  @HttpCode(204)
  @SessionRequired()
  @ApiAccessTokenOnly()
  @ApiProblems(400, 403, 413, 415)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const command: ChangePasswordCommand = { ...body, clientIp: request.ip };
    const revoked = await this.serviceTokens.send<Revocations>(AuthPattern.ChangePassword, command);
    this.revocations.apply(revoked);
  }

  /** Ends every session of the caller. A session only. */
  @Post('logout-all')
  @HttpCode(204)
  @SessionRequired()
  @ApiAccessTokenOnly()
  @ApiProblems(403)
  async logoutAll(): Promise<void> {
    this.revocations.apply(await this.bus.send<Revocations>(AuthPattern.LogoutAll, {}));
  }

  /** Trade a refresh token for a new pair; the one presented is spent. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiProblems(400, 401, 413, 415)
  @Header('cache-control', 'no-store')
  async refresh(
    @Body() body: RefreshTokenDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenResponse> {
    const command: RefreshTokenCommand = { ...body, clientIp: request.ip };
    return this.serviceTokens
      .send<TokenResponse>(AuthPattern.Refresh, command, { nestedHops: 1 })
      .catch((error: unknown) => {
        // A spent refresh token that came back ended its session (RFC 9700 4.14.2).
        if (error instanceof ServiceError) this.revocations.apply(error.revoked);
        throw error;
      });
  }
}
