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
import { Public } from '@platform/security';
import { MessageBus } from '@platform/transport';

@Controller('v1/auth')
export class AuthHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterAccountDto, @Req() request: FastifyRequest): Promise<UserView> {
    const command: RegisterAccountCommand = { ...body, clientIp: request.ip };
    // Auth asks users for the profile before it replies.
    return this.bus.send<UserView>(AuthPattern.RegisterAccount, command, { nestedHops: 1 });
  }

  // RFC 6749 5.1: responses carrying tokens must not be cached.
  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const command: LoginCommand = {
      ...body,
      clientIp: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 512),
    };
    // Auth reads the user's roles from users before it replies.
    return this.bus.send<TokenResponse>(AuthPattern.Login, command, { nestedHops: 1 });
  }

  /** Ends the session of the presented access token; its tokens stop working everywhere. */
  @Post('logout')
  @HttpCode(204)
  async logout(): Promise<void> {
    await this.bus.send(AuthPattern.Logout, {});
  }

  /** Changes the caller's password; every session ends, this one included. */
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const command: ChangePasswordCommand = { ...body, clientIp: request.ip };
    await this.bus.send(AuthPattern.ChangePassword, command);
  }

  /** Ends every session of the caller. */
  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(): Promise<void> {
    await this.bus.send(AuthPattern.LogoutAll, {});
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  refresh(@Body() body: RefreshTokenDto, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const command: RefreshTokenCommand = { ...body, clientIp: request.ip };
    return this.bus.send<TokenResponse>(AuthPattern.Refresh, command, { nestedHops: 1 });
  }
}
