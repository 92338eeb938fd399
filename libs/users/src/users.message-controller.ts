import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  GetUserDto,
  ListUsersDto,
  SetRolesDto,
  UpdateProfileDto,
  UserPage,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Roles, Scopes } from '@platform/security';
import { UsersService } from './users.service';

const DEFAULT_PAGE_SIZE = 20;

/**
 * The users context's request subjects. Every message is authenticated again here, whoever
 * relayed it: the gateway's check protects HTTP, not NATS.
 */
@Controller()
export class UsersMessageController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(UsersPattern.GetUser)
  @Scopes('users:read')
  get(@Payload() query: GetUserDto, @CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.getFor(principal, query.id);
  }

  /** The caller's own profile: the id comes from the token, never from the payload. */
  @MessagePattern(UsersPattern.UpdateProfile)
  @Scopes('users:write')
  updateProfile(
    @Payload() changes: UpdateProfileDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserView> {
    return this.users.updateProfile(principal, changes);
  }

  @MessagePattern(UsersPattern.ListUsers)
  @Scopes('users:read', 'admin')
  @Roles('admin')
  list(
    @Payload() query: ListUsersDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserPage> {
    return this.users.list(principal, query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0);
  }

  @MessagePattern(UsersPattern.DisableUser)
  @Scopes('users:write', 'admin')
  @Roles('admin')
  disable(@Payload() command: GetUserDto, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.users.disable(principal, command.id);
  }

  @MessagePattern(UsersPattern.SetRoles)
  @Scopes('users:write', 'admin')
  @Roles('admin')
  setRoles(
    @Payload() command: SetRolesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserView> {
    return this.users.setRoles(principal, command.id, command.roles);
  }
}
