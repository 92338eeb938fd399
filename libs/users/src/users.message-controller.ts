import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateUserDto, GetUserDto, UsersPattern, UserView } from '@platform/contracts';
import { UsersService } from './users.service';

/** The users context's request subjects. Validation and errors are handled globally. */
@Controller()
export class UsersMessageController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(UsersPattern.CreateUser)
  create(@Payload() command: CreateUserDto): Promise<UserView> {
    return this.users.create(command);
  }

  @MessagePattern(UsersPattern.GetUser)
  get(@Payload() query: GetUserDto): Promise<UserView> {
    return this.users.get(query.id);
  }
}
