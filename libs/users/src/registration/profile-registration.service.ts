import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PlatformEnv } from '@platform/config';
import {
  CreateUserDto,
  EmailAlreadyRegisteredError,
  ListUnconfirmedProfilesDto,
  normalizeEmail,
  Role,
  UnconfirmedProfiles,
  UserCreatedEvent,
  UsersEvent,
  UserView,
} from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { Outbox } from '@platform/transport';
import { UserEntity } from '../persistence/user.entity';
import { toUserView } from '../user.mapper';
import { UserViewCache } from '../user-view.cache';
import { RegistrationCancelledError } from './registration-cancelled.error';

/** A profile handed to the orphan check is handed to no other caller for this long. */
const CHECK_CLAIM_SECONDS = 60;

/**
 * The users side of a registration, which auth coordinates (see its `RegistrationSettlement`):
 * profiles are created idempotently by id, removed for good when auth undoes a registration,
 * and confirmed once auth reports the account whole. A new profile is a `user`; the one whose
 * email is `BOOTSTRAP_ADMIN_EMAIL` is also an `admin` while no other active administrator
 * exists, so that the first administrator needs no one to grant it, and auth, which registers
 * every account, never can.
 */
@Injectable()
export class ProfileRegistration {
  private readonly bootstrapAdminEmail?: string;

  constructor(
    @InjectDataSource('users') private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly views: UserViewCache,
    config: ConfigService<PlatformEnv, true>,
  ) {
    const email = config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    this.bootstrapAdminEmail = email ? normalizeEmail(email) : undefined;
  }

  /**
   * Creates the profile and records `users.user.created` in the same transaction. The same
   * creation repeated (a retry after a lost reply) answers the profile it made; one for a
   * registration already cancelled is refused. Email uniqueness is left to the index.
   */
  async create(command: CreateUserDto): Promise<UserView> {
    try {
      return await this.outbox.transaction(async (manager, events) => {
        await lockRegistration(manager, command.id);
        if (await isCancelled(manager, command.id)) throw new RegistrationCancelledError();
        const existing = await manager.findOneBy(UserEntity, { id: command.id });
        if (existing) {
          if (existing.email !== command.email) throw new EmailAlreadyRegisteredError();
          return toUserView(existing);
        }
        await manager.insert(UserEntity, {
          id: command.id,
          email: command.email,
          displayName: command.displayName ?? null,
          roles: await this.rolesOfNew(manager, command.email),
        });
        const created = await manager.findOneByOrFail(UserEntity, { id: command.id });
        const view: UserCreatedEvent = toUserView(created);
        await events.record(UsersEvent.UserCreated, view);
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailAlreadyRegisteredError();
      throw error;
    }
  }

  private async rolesOfNew(manager: EntityManager, email: string): Promise<Role[]> {
    if (email !== this.bootstrapAdminEmail) return ['user'];
    // Locked like every change to administrators (`ActiveAdministrators`): one at a time.
    const administrators: unknown[] = await manager.query(
      `SELECT id FROM users.users WHERE 'admin' = ANY (roles) AND disabled_at IS NULL
        ORDER BY id FOR UPDATE`,
    );
    return administrators.length === 0 ? ['user', 'admin'] : ['user'];
  }

  /** Removes the profile of an undone registration, and refuses its creation from now on. */
  async cancel(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await lockRegistration(manager, id);
      await manager.query(
        `INSERT INTO users.cancelled_registrations (id) VALUES ($1) ON CONFLICT DO NOTHING`,
        [id],
      );
      await manager.delete(UserEntity, { id });
    });
    this.views.forget(id);
  }

  /** The account is whole: the profile is no orphan. */
  async confirm(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE users.users SET confirmed_at = now() WHERE id = $1 AND confirmed_at IS NULL`,
      [id],
    );
  }

  /**
   * Unconfirmed profiles at least `olderThanSeconds` old that are due a check, oldest first,
   * each claimed for this caller for a while so replicas of auth check different ones.
   */
  async unconfirmed(query: ListUnconfirmedProfilesDto): Promise<UnconfirmedProfiles> {
    const [rows] = (await this.dataSource.query(
      `UPDATE users.users SET confirm_check_after = now() + make_interval(secs => $3)
        WHERE id IN (SELECT id FROM users.users
                      WHERE confirmed_at IS NULL AND confirm_check_after <= now()
                        AND created_at <= now() - make_interval(secs => $2)
                      ORDER BY confirm_check_after LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [query.limit, query.olderThanSeconds, CHECK_CLAIM_SECONDS],
    )) as [{ id: string }[], number];
    return { ids: rows.map((row) => row.id) };
  }
}

/** Creation and cancellation of one id take turns, so a cancel cannot slip between the two. */
async function lockRegistration(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`users:registration:${id}`]);
}

async function isCancelled(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM users.cancelled_registrations WHERE id = $1`,
    [id],
  );
  return rows.length > 0;
}
