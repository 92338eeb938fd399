import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateUserDto,
  GetUserDto,
  ListUnconfirmedProfilesDto,
  UnconfirmedProfiles,
  UsersPattern,
  UserView,
} from '@platform/contracts';
import { CallableBy, Roles, Scopes } from '@platform/security';
import { ProfileRegistration } from './profile-registration.service';

/**
 * Registration subjects: only the auth context, which coordinates registrations, may call them.
 * The `service` role and `users:write` are held by every platform service's own token, so the
 * sender is checked too (`@CallableBy`): another service could otherwise create, cancel or
 * confirm profiles of accounts it knows nothing of.
 */
@Controller()
@CallableBy('auth')
@Roles('service')
@Scopes('users:write')
export class RegistrationMessageController {
  constructor(private readonly registration: ProfileRegistration) {}

  @MessagePattern(UsersPattern.CreateUser)
  create(@Payload() command: CreateUserDto): Promise<UserView> {
    return this.registration.create(command);
  }

  @MessagePattern(UsersPattern.CancelRegistration)
  cancel(@Payload() command: GetUserDto): Promise<void> {
    return this.registration.cancel(command.id);
  }

  @MessagePattern(UsersPattern.ConfirmRegistration)
  confirm(@Payload() command: GetUserDto): Promise<void> {
    return this.registration.confirm(command.id);
  }

  @MessagePattern(UsersPattern.ListUnconfirmed)
  unconfirmed(@Payload() query: ListUnconfirmedProfilesDto): Promise<UnconfirmedProfiles> {
    return this.registration.unconfirmed(query);
  }
}
