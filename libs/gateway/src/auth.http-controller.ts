import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RegisterUserDto, UsersPattern, UserView } from '@platform/contracts';
import { MessageBus } from '@platform/transport';

@Controller('v1/auth')
export class AuthHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterUserDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.RegisterUser, body);
  }
}
