import { Injectable } from '@nestjs/common';
import { CreateUserDto, UsersPattern, UserView } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { ServiceCredentials } from '../tokens/service-credentials';

/**
 * The users context as auth calls it: the profile and roles that live there, asked for with
 * auth's own service token, never with the caller's.
 */
@Injectable()
export class UsersProfileClient {
  constructor(
    private readonly bus: MessageBus,
    private readonly credentials: ServiceCredentials,
  ) {}

  async create(profile: CreateUserDto): Promise<UserView> {
    return this.bus.send<UserView>(UsersPattern.CreateUser, profile, {
      authorization: await this.credentials.authorization(),
    });
  }

  /** Roles live in the users context and may have changed: every token pair reads them afresh. */
  async get(userId: string): Promise<UserView> {
    return this.bus.send<UserView>(
      UsersPattern.GetUser,
      { id: userId },
      { authorization: await this.credentials.authorization() },
    );
  }
}
