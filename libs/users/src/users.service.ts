import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import {
  ProfileOwnerRequiredError,
  Role,
  UpdateProfileDto,
  UserDisabledEvent,
  UserPage,
  UserRolesChangedEvent,
  UsersEvent,
  UserUpdatedEvent,
  UserView,
} from '@platform/contracts';
import { isUser, type Principal } from '@platform/security';
import { Outbox } from '@platform/transport';
import { ActiveAdministrators } from './active-administrators';
import { AccountDisabledError } from './errors/account-disabled.error';
import { DisabledCallerError } from './errors/disabled-caller.error';
import { SelfDisableError } from './errors/self-disable.error';
import { UserAccessDeniedError } from './errors/user-access-denied.error';
import { UserNotFoundError } from './errors/user-not-found.error';
import { WithdrawnRoleError } from './errors/withdrawn-role.error';
import { UserEntity } from './persistence/user.entity';
import { mayReadUser } from './user-access.policy';
import { StoredUser, toUserView } from './user.mapper';
import { UserViewCache } from './user-view.cache';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity, 'users') private readonly users: Repository<UserEntity>,
    private readonly outbox: Outbox,
    private readonly views: UserViewCache,
  ) {}

  /** Changes the caller's profile and records `users.user.updated` in the same transaction. */
  async updateProfile(caller: Principal, changes: UpdateProfileDto): Promise<UserView> {
    // The profile is the one `sub` names, and only a user's `sub` names one (a UUID): a
    // client's or a service's would reach the database as an id it cannot even parse.
    if (!isUser(caller)) throw new ProfileOwnerRequiredError();
    await this.assertActive(caller);
    const id = caller.subject;
    if (changes.displayName === undefined) return (await this.stored(id)).view;
    const { displayName } = changes;
    return this.change(id, async (manager, user) => {
      await manager.update(UserEntity, { id }, { displayName });
      user.displayName = displayName;
      const event: UserUpdatedEvent = toUserView(user);
      return { subject: UsersEvent.UserUpdated, payload: event };
    });
  }

  async list(caller: Principal, limit: number, offset: number): Promise<UserPage> {
    await this.assertActive(caller, { administrator: true });
    const [users, total] = await this.users.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: users.map(toUserView), total, limit, offset };
  }

  /**
   * Replaces the roles and tells auth, which ends the user's sessions so no token keeps old
   * roles. The last active administrator keeps theirs, and only an administrator who still is
   * one may change anyone's.
   */
  async setRoles(caller: Principal, id: string, roles: Role[]): Promise<UserView> {
    const by = caller.subject;
    return this.administer(caller, id, async (manager, user, administrators) => {
      if (!roles.includes('admin')) administrators.assertAnotherThan(user.id);
      user.roles = roles;
      await manager.save(user);
      const event: UserRolesChangedEvent = { id, roles, by };
      return { subject: UsersEvent.UserRolesChanged, payload: event };
    });
  }

  /**
   * Marks the account disabled and tells auth, which refuses its logins and voids its tokens.
   * Refused for the caller's own account, for the last active administrator, and to a caller
   * who is no longer an active administrator.
   */
  async disable(caller: Principal, id: string): Promise<void> {
    const by = caller.subject;
    if (id === by) throw new SelfDisableError();
    await this.administer(caller, id, async (manager, user, administrators) => {
      if (user.disabledAt) return undefined;
      administrators.assertAnotherThan(user.id);
      await manager.update(UserEntity, { id }, { disabledAt: new Date() });
      const event: UserDisabledEvent = { id, by };
      return { subject: UsersEvent.UserDisabled, payload: event };
    });
  }

  /**
   * The user as `principal` may see it. Services read the stored row, and are refused a
   * disabled account's: auth puts these roles into the tokens it signs, so neither a replica's
   * cached copy, which may lag a change by milliseconds, nor auth's own copy of the account,
   * which may lag it for as long as auth was away, may decide what is issued.
   */
  async getFor(principal: Principal, id: string): Promise<UserView> {
    if (!mayReadUser(principal, id)) throw new UserAccessDeniedError();
    if (isService(principal)) {
      const user = await this.load(id);
      if (user.disabled) throw new AccountDisabledError();
      return user.view;
    }
    // Anyone else's profile is read as an administrator (`mayReadUser`).
    await this.assertActive(principal, { administrator: principal.subject !== id });
    return (await this.stored(id)).view;
  }

  /**
   * A user's own request is refused once their account is disabled, and an administrator's
   * once their role is withdrawn, from this context's own state: the revocation that voids the
   * token elsewhere may not have arrived yet.
   */
  private async assertActive(
    caller: Principal,
    { administrator = false }: { administrator?: boolean } = {},
  ): Promise<void> {
    if (isService(caller)) return;
    const user = await this.stored(caller.subject).catch((error: unknown) => {
      if (error instanceof UserNotFoundError) return undefined;
      throw error;
    });
    if (user?.disabled) throw new DisabledCallerError();
    if (administrator && !user?.view.roles.includes('admin')) throw new WithdrawnRoleError();
  }

  /** The user, from the cache when it holds it: for reads that may lag a write by milliseconds. */
  private stored(id: string): Promise<StoredUser> {
    return this.views.get(id, () => this.load(id));
  }

  /** The user as stored now, for reads that decide what someone may do. */
  private async load(id: string): Promise<StoredUser> {
    // Plain SQL: every login and refresh reads a profile, and a find builds its query anew.
    const [user]: (Pick<UserEntity, 'id' | 'email' | 'displayName' | 'roles' | 'createdAt'> & {
      disabled: boolean;
    })[] = await this.users.query(
      `SELECT id, email, display_name AS "displayName", roles, created_at AS "createdAt",
              disabled_at IS NOT NULL AS disabled
         FROM users.users WHERE id = $1`,
      [id],
    );
    if (!user) throw new UserNotFoundError();
    return { view: toUserView(user), disabled: user.disabled };
  }

  /**
   * `change`, made by `caller` as an administrator: the active administrators are locked
   * first, and the caller must still be one of them (`ActiveAdministrators.lock`).
   */
  private administer(
    caller: Principal,
    id: string,
    apply: Change<ActiveAdministrators>,
  ): Promise<UserView> {
    return this.change(id, apply, (manager) => ActiveAdministrators.lock(manager, caller));
  }

  /**
   * Changes a stored user and records the event it causes in one transaction (none when the
   * change turns out to be no change), then drops the cached profile: the commit is what every
   * replica's cache must follow. The user is read after `prepare`, which may take locks.
   */
  private async change<T = undefined>(
    id: string,
    apply: Change<T>,
    prepare?: (manager: EntityManager) => Promise<T>,
  ): Promise<UserView> {
    const user = await this.outbox.transaction(async (manager, events) => {
      const prepared = (await prepare?.(manager)) as T;
      const found = await manager.findOneBy(UserEntity, { id });
      if (!found) throw new UserNotFoundError();
      const event = await apply(manager, found, prepared);
      if (event) await events.record(event.subject, event.payload);
      return found;
    });
    this.views.forget(id);
    return toUserView(user);
  }
}

/** A change to one stored user, with what was prepared for it; the event it causes, if any. */
type Change<T> = (
  manager: EntityManager,
  user: UserEntity,
  prepared: T,
) => Promise<{ subject: string; payload: object } | undefined>;

function isService(principal: Principal): boolean {
  return principal.roles.includes('service');
}
