import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import {
  CreateUserDto,
  Role,
  UpdateProfileDto,
  UserCreatedEvent,
  UserPage,
  UserRolesChangedEvent,
  UsersEvent,
  UserUpdatedEvent,
  UserView,
} from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { OutboxRelay, OutboxWriter } from '@platform/transport';
import { EmailAlreadyRegisteredError } from './errors/email-already-registered.error';
import { UserNotFoundError } from './errors/user-not-found.error';
import { UserEntity } from './persistence/user.entity';
import { toUserView } from './user.mapper';
import { UserViewCache } from './user-view.cache';

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource('users') private readonly dataSource: DataSource,
    @InjectRepository(UserEntity, 'users') private readonly users: Repository<UserEntity>,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly views: UserViewCache,
  ) {}

  /**
   * Creates the profile and records `users.user.created` in the same transaction. Uniqueness is
   * left to the database index, so two concurrent creations cannot both succeed.
   */
  async create(command: CreateUserDto): Promise<UserView> {
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(UserEntity, {
            id: command.id,
            email: command.email,
            displayName: command.displayName ?? null,
            roles: command.roles ?? ['user'],
          }),
        );
        const event: UserCreatedEvent = toUserView(created);
        await this.outbox.add(manager, UsersEvent.UserCreated, event);
        return created;
      });
      this.relay.notify();
      return toUserView(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError();
      throw error;
    }
  }

  /** Changes the profile and records `users.user.updated` in the same transaction. */
  async updateProfile(id: string, changes: UpdateProfileDto): Promise<UserView> {
    if (changes.displayName === undefined) return this.get(id);
    const { displayName } = changes;
    const user = await this.dataSource.transaction(async (manager) => {
      await manager.update(UserEntity, { id }, { displayName });
      const updated = await manager.findOneBy(UserEntity, { id });
      if (!updated) throw new UserNotFoundError();
      const event: UserUpdatedEvent = toUserView(updated);
      await this.outbox.add(manager, UsersEvent.UserUpdated, event);
      return updated;
    });
    this.views.forget(id);
    this.relay.notify();
    return toUserView(user);
  }

  async list(limit: number, offset: number): Promise<UserPage> {
    const [users, total] = await this.users.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: users.map(toUserView), total, limit, offset };
  }

  /** Replaces the roles and tells auth, which ends the user's sessions so no token keeps old roles. */
  async setRoles(id: string, roles: Role[]): Promise<UserView> {
    const user = await this.dataSource.transaction(async (manager) => {
      const found = await manager.findOneBy(UserEntity, { id });
      if (!found) throw new UserNotFoundError();
      found.roles = roles;
      await manager.save(found);
      const event: UserRolesChangedEvent = { id, roles };
      await this.outbox.add(manager, UsersEvent.UserRolesChanged, event);
      return found;
    });
    this.views.forget(id);
    this.relay.notify();
    return toUserView(user);
  }

  /** Marks the account disabled and tells auth, which refuses its logins and voids its tokens. */
  async disable(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await manager.findOneBy(UserEntity, { id });
      if (!found) throw new UserNotFoundError();
      if (found.disabledAt) return;
      await manager.update(UserEntity, { id }, { disabledAt: new Date() });
      await this.outbox.add(manager, UsersEvent.UserDisabled, { id });
    });
    this.views.forget(id);
    this.relay.notify();
  }

  /** The user, from the cache when it holds it: for reads that may lag a write by milliseconds. */
  get(id: string): Promise<UserView> {
    return this.views.get(id, () => this.load(id));
  }

  /** The user as stored now, for reads that decide what someone may do. */
  async load(id: string): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new UserNotFoundError();
    return toUserView(user);
  }
}
