import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { RegisterUserDto, UserCreatedEvent, UsersEvent, UserView } from '@platform/contracts';
import { OutboxRelay, OutboxWriter } from '@platform/transport';
import { EmailAlreadyRegisteredError } from './errors/email-already-registered.error';
import { UserNotFoundError } from './errors/user-not-found.error';
import { PasswordHasher } from './password.hasher';
import { UserEntity } from './persistence/user.entity';
import { toUserView } from './user.mapper';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource('users') private readonly dataSource: DataSource,
    @InjectRepository(UserEntity, 'users') private readonly users: Repository<UserEntity>,
    private readonly passwords: PasswordHasher,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Creates the account and records `users.user.created` in the same transaction. Uniqueness is
   * left to the database index, so two concurrent registrations cannot both succeed.
   */
  async register(command: RegisterUserDto): Promise<UserView> {
    const passwordHash = await this.passwords.hash(command.password);
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(UserEntity, {
            id: randomUUID(),
            email: command.email,
            displayName: command.displayName ?? null,
            roles: ['user'],
            passwordHash,
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

  async get(id: string): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new UserNotFoundError();
    return toUserView(user);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}
