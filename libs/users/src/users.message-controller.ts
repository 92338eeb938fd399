import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetUserDto, RegisterUserDto, UsersPattern, UserView } from '@platform/contracts';
import { UsersService } from './users.service';

/** The users context's request subjects. Validation and errors are handled globally. */
@Controller()
export class UsersMessageController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(UsersPattern.RegisterUser)
  register(@Payload() command: RegisterUserDto): Promise<UserView> {
    return this.users.register(command);
  }

  @MessagePattern(UsersPattern.GetUser)
  get(@Payload() query: GetUserDto): Promise<UserView> {
    return this.users.get(query.id);
  }
}
