import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { startUsersContext, UsersContext } from '../../test/users-context';
import { UserViewCache } from '../user-view.cache';
import { ProfileRegistration } from './profile-registration.service';

/** The users side of the registration saga, on PostgreSQL with the users schema. */
describe('ProfileRegistration (PostgreSQL)', () => {
  let context: UsersContext;
  let dataSource: DataSource;
  let registration: ProfileRegistration;
  const profile = (id = randomUUID()) => ({ id, email: `${id}@example.com` });
  const codeOf = (work: Promise<unknown>) =>
    work.then(
      () => 'ok',
      (error: unknown) => (error instanceof ServiceError ? error.code : String(error)),
    );
  const stored = (id: string) =>
    dataSource.query(`SELECT id, confirmed_at FROM users.users WHERE id = $1`, [id]);

  beforeAll(async () => {
    context = await startUsersContext(
      'profile_registration',
      [ProfileRegistration, UserViewCache],
      { BOOTSTRAP_ADMIN_EMAIL: 'boss@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'not used here' },
    );
    dataSource = context.dataSource;
    registration = context.moduleRef.get(ProfileRegistration);
  });

  afterAll(() => context?.stop());

  it('answers a repeated creation with the profile it made, once', async () => {
    const command = profile();
    const [first, second] = await Promise.all([
      registration.create(command),
      registration.create(command),
    ]);
    expect(second).toEqual(first);
    expect(await stored(command.id)).toHaveLength(1);
  });

  it('makes the bootstrap email an administrator while none is active, and no one else', async () => {
    const boss = { id: randomUUID(), email: 'boss@example.com' };
    expect((await registration.create(boss)).roles).toEqual(['user', 'admin']);
    expect((await registration.create(profile())).roles).toEqual(['user']);
    await registration.cancel(boss.id);
    // With another administrator active, the bootstrap email is just a user.
    await dataSource.query(
      `INSERT INTO users.users (id, email, roles) VALUES ($1, $2, '{user,admin}')`,
      [randomUUID(), `${randomUUID()}@example.com`],
    );
    expect((await registration.create({ ...boss, id: randomUUID() })).roles).toEqual(['user']);
  });

  it('refuses the same email under another id', async () => {
    const command = profile();
    await registration.create(command);
    expect(await codeOf(registration.create({ ...command, id: randomUUID() }))).toBe(
      ErrorCode.EmailAlreadyRegistered,
    );
  });

  it('removes a cancelled registration for good: a late creation cannot bring it back', async () => {
    const command = profile();
    await registration.create(command);
    await registration.cancel(command.id);
    expect(await stored(command.id)).toEqual([]);
    expect(await codeOf(registration.create(command))).toBe(ErrorCode.RegistrationCancelled);
    expect(await stored(command.id)).toEqual([]);
  });

  it('never leaves a profile behind when creation and cancellation race', async () => {
    const commands = Array.from({ length: 20 }, () => profile());
    await Promise.all(
      commands.flatMap((command) => [
        codeOf(registration.create(command)),
        registration.cancel(command.id),
      ]),
    );
    const left: unknown[] = await dataSource.query(
      `SELECT id FROM users.users WHERE id = ANY($1::uuid[])`,
      [commands.map((command) => command.id)],
    );
    expect(left).toEqual([]);
  });

  it('hands each unconfirmed profile to one caller at a time, and confirmed ones to none', async () => {
    const [confirmed, unconfirmed] = [profile(), profile()];
    await registration.create(confirmed);
    await registration.create(unconfirmed);
    await registration.confirm(confirmed.id);
    expect((await stored(confirmed.id))[0].confirmed_at).toBeInstanceOf(Date);

    const [a, b] = await Promise.all([
      registration.unconfirmed({ limit: 100, olderThanSeconds: 0 }),
      registration.unconfirmed({ limit: 100, olderThanSeconds: 0 }),
    ]);
    const handed = [...a.ids, ...b.ids];
    expect(handed.filter((id) => id === unconfirmed.id)).toHaveLength(1);
    expect(handed).not.toContain(confirmed.id);
    // Too young: still being registered.
    const young = profile();
    await registration.create(young);
    expect(
      (await registration.unconfirmed({ limit: 100, olderThanSeconds: 60 })).ids,
    ).not.toContain(young.id);
  });
});
