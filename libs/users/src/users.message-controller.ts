import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateUserDto,
  ErrorCode,
  GetUserDto,
  ServiceError,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Roles, Scopes } from '@platform/security';
import { mayReadUser } from './user-access.policy';
import { UsersService } from './users.service';

/**
 * The users context's request subjects. Every message is authenticated again here, whoever
 * relayed it: the gateway's check protects HTTP, not NATS.
 */
@Controller()
export class UsersMessageController {
  constructor(private readonly users: UsersService) {}

  /** Only the auth context creates profiles, right after it stored the credential. */
  @MessagePattern(UsersPattern.CreateUser)
  @Roles('service')
  @Scopes('users:write')
  create(@Payload() command: CreateUserDto): Promise<UserView> {
    return this.users.create(command);
  }

  @MessagePattern(UsersPattern.GetUser)
  @Scopes('users:read')
  get(@Payload() query: GetUserDto, @CurrentPrincipal() principal: Principal): Promise<UserView> {
    if (!mayReadUser(principal, query.id)) {
      throw new ServiceError(
        403,
        ErrorCode.Forbidden,
        'Only the user or an administrator may read it',
      );
    }
    return this.users.get(query.id);
  }
}
