import { Controller, Get, Param } from '@nestjs/common';
import { GetUserDto, UsersPattern, UserView } from '@platform/contracts';
import { MessageBus } from '@platform/transport';

@Controller('v1/users')
export class UsersHttpController {
  constructor(private readonly bus: MessageBus) {}

  @Get(':id')
  get(@Param() params: GetUserDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.GetUser, { id: params.id });
  }
}
