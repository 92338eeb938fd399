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
  TokenResponse,
  UserView,
} from '@platform/contracts';
import { ApiTags } from '@nestjs/swagger';
import { Public, ServiceTokens, SessionRequired } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAuthenticated, ApiProblems } from './docs/api-responses';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthHttpController {
  constructor(
    private readonly bus: MessageBus,
    private readonly serviceTokens: ServiceTokens,
  ) {}

  /** Create an account. */
  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiProblems(400, 409)
  async register(
    @Body() body: RegisterAccountDto,
    @Req() request: FastifyRequest,
  ): Promise<UserView> {
    const command: RegisterAccountCommand = { ...body, clientIp: request.ip };
    // Auth asks users for the profile before it replies.
    return this.bus.send<UserView>(AuthPattern.RegisterAccount, command, {
      nestedHops: 1,
      serviceAuthorization: await this.serviceTokens.authorization(),
    });
  }

  /** Sign in with email and password: an access token and a refresh token. */
  // RFC 6749 5.1: responses carrying tokens must not be cached.
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiProblems(400, 401)
  @Header('cache-control', 'no-store')
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const command: LoginCommand = {
      ...body,
      clientIp: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 512),
    };
    // Auth reads the user's roles from users before it replies.
    return this.bus.send<TokenResponse>(AuthPattern.Login, command, {
      nestedHops: 1,
      serviceAuthorization: await this.serviceTokens.authorization(),
    });
  }

  /** Ends the session of the presented access token; its tokens stop working everywhere. */
  @Post('logout')
  @HttpCode(204)
  @ApiAuthenticated()
  async logout(): Promise<void> {
    await this.bus.send(AuthPattern.Logout, {});
  }

  /** Changes the caller's password; every session ends, this one included. A session only. */
  @Post('password')
  @HttpCode(204)
  @SessionRequired()
  @ApiAuthenticated()
  @ApiProblems(400, 403)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const command: ChangePasswordCommand = { ...body, clientIp: request.ip };
    await this.bus.send(AuthPattern.ChangePassword, command, {
      serviceAuthorization: await this.serviceTokens.authorization(),
    });
  }

  /** Ends every session of the caller. A session only. */
  @Post('logout-all')
  @HttpCode(204)
  @SessionRequired()
  @ApiAuthenticated()
  @ApiProblems(403)
  async logoutAll(): Promise<void> {
    await this.bus.send(AuthPattern.LogoutAll, {});
  }

  /** Trade a refresh token for a new pair; the one presented is spent. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiProblems(400, 401)
  @Header('cache-control', 'no-store')
  async refresh(
    @Body() body: RefreshTokenDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenResponse> {
    const command: RefreshTokenCommand = { ...body, clientIp: request.ip };
    return this.bus.send<TokenResponse>(AuthPattern.Refresh, command, {
      nestedHops: 1,
      serviceAuthorization: await this.serviceTokens.authorization(),
    });
  }
}
