import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AuthPattern, RegisterAccountDto, UserView } from '@platform/contracts';
import { MessageBus } from '@platform/transport';

@Controller('v1/auth')
export class AuthHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterAccountDto): Promise<UserView> {
    return this.bus.send<UserView>(AuthPattern.RegisterAccount, body);
  }
}
