import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthPattern, LoginCommand, RefreshTokenDto, TokenResponse } from '@platform/contracts';
import { LoginService } from '../login/login.service';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsMessageController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @MessagePattern(AuthPattern.Login)
  login(@Payload() command: LoginCommand): Promise<TokenResponse> {
    return this.logins.login(command);
  }

  @MessagePattern(AuthPattern.Refresh)
  refresh(@Payload() command: RefreshTokenDto): Promise<TokenResponse> {
    return this.sessions.refresh(command.refresh_token);
  }
}
