import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  GetUserDto,
  ListUsersDto,
  ProfileOwnerRequiredError,
  RoleAssignmentDto,
  UpdateProfileDto,
  UserPage,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, isUser, Principal } from '@platform/security';
import { MessageBus } from '@platform/transport';
import { ApiAuthenticated, ApiProblems } from './docs/api-responses';

/**
 * User routes. The caller's token travels with each message (MessageBus forwards it), and the
 * users context decides what the caller may see or change.
 */
@ApiTags('users')
@ApiAuthenticated()
@ApiProblems(403)
@Controller('v1/users')
export class UsersHttpController {
  constructor(private readonly bus: MessageBus) {}

  /** Your own profile. */
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    // The profile is the one `sub` names: a client's own token names none (its `sub` is no
    // user's id, which users would refuse as a malformed request).
    if (!isUser(principal)) throw new ProfileOwnerRequiredError();
    return this.bus.send<UserView>(UsersPattern.GetUser, { id: principal.subject });
  }

  /** Change your display name. */
  @Patch('me')
  @ApiProblems(400, 413, 415)
  updateMe(@Body() body: UpdateProfileDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.UpdateProfile, body);
  }

  /** Every user, oldest first (administrators, scope `admin`). */
  @Get()
  @ApiProblems(400)
  list(@Query() query: ListUsersDto): Promise<UserPage> {
    return this.bus.send<UserPage>(UsersPattern.ListUsers, query);
  }

  /** One user: yourself, or anyone for an administrator. */
  @Get(':id')
  @ApiProblems(400, 404)
  get(@Param() params: GetUserDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.GetUser, { id: params.id });
  }

  /** Disable an account (admin): no more logins, and its tokens stop working everywhere. */
  @Post(':id/disable')
  @HttpCode(204)
  @ApiProblems(400, 404, 409)
  async disable(@Param() params: GetUserDto): Promise<void> {
    await this.bus.send(UsersPattern.DisableUser, { id: params.id });
  }

  /** Replace a user's roles (admin). The user's sessions end, so new tokens carry the change. */
  @Put(':id/roles')
  @ApiProblems(400, 404, 409, 413, 415)
  setRoles(@Param() params: GetUserDto, @Body() body: RoleAssignmentDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.SetRoles, { id: params.id, roles: body.roles });
  }
}
