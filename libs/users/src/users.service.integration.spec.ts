import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ErrorCode, ServiceError } from '@platform/contracts';
import type { Principal } from '@platform/security';
import { startUsersContext, UsersContext } from '../test/users-context';
import { UserViewCache } from './user-view.cache';
import { UsersService } from './users.service';

/**
 * Who may administer, on PostgreSQL with the users schema. A token's roles are what they were
 * when it was signed: until the revocation its holder's demotion causes reaches this process,
 * only the stored roles tell a former administrator from a current one.
 */
describe('UsersService (PostgreSQL)', () => {
  let context: UsersContext;
  let dataSource: DataSource;
  let users: UsersService;

  const codeOf = (work: Promise<unknown>) =>
    work.then(
      () => 'ok',
      (error: unknown) => (error instanceof ServiceError ? error.code : String(error)),
    );

  /** An administrator's token, as signed while they were one. */
  const adminToken = (id: string): Principal => ({
    subject: id,
    sessionId: randomUUID(),
    clientId: 'first-party',
    scopes: ['users:read', 'users:write', 'admin'],
    roles: ['user', 'admin'],
    tokenId: randomUUID(),
    expiresAt: Math.floor(Date.now() / 1000) + 300,
    issuedAt: Math.floor(Date.now() / 1000),
    audience: ['users'],
    token: 'not used here',
  });

  const administrator = async (): Promise<{ id: string; token: Principal }> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO users.users (id, email, roles, confirmed_at) VALUES ($1, $2, '{user,admin}', now())`,
      [id, `${id}@example.com`],
    );
    return { id, token: adminToken(id) };
  };

  const rolesOf = async (id: string): Promise<string[]> => {
    const [row] = (await dataSource.query(`SELECT roles FROM users.users WHERE id = $1`, [id])) as {
      roles: string[];
    }[];
    return row.roles;
  };

  beforeAll(async () => {
    context = await startUsersContext('users_service', [UsersService, UserViewCache]);
    dataSource = context.dataSource;
    users = context.moduleRef.get(UsersService);
  });

  afterAll(() => context?.stop());

  it('refuses a demoted administrator giving the role back to themselves with their old token', async () => {
    const [former, other] = [await administrator(), await administrator()];
    await users.setRoles(other.token, former.id, ['user']);

    expect(await codeOf(users.setRoles(former.token, former.id, ['user', 'admin']))).toBe(
      ErrorCode.InvalidToken,
    );
    expect(await rolesOf(former.id)).toEqual(['user']);
  });

  it('refuses a demoted administrator taking the role from another, or disabling them', async () => {
    const [former, other, third] = [
      await administrator(),
      await administrator(),
      await administrator(),
    ];
    await users.setRoles(other.token, former.id, ['user']);

    expect(await codeOf(users.setRoles(former.token, third.id, ['user']))).toBe(
      ErrorCode.InvalidToken,
    );
    expect(await codeOf(users.disable(former.token, third.id))).toBe(ErrorCode.InvalidToken);
    expect(await rolesOf(third.id)).toEqual(['user', 'admin']);
  });

  it("refuses a demoted administrator every user's profile", async () => {
    const [former, other] = [await administrator(), await administrator()];
    // Read once while an administrator, so the caller's profile is cached.
    await users.list(former.token, 10, 0);
    await users.setRoles(other.token, former.id, ['user']);

    expect(await codeOf(users.list(former.token, 10, 0))).toBe(ErrorCode.InvalidToken);
    expect(await codeOf(users.getFor(former.token, other.id))).toBe(ErrorCode.InvalidToken);
  });

  it('lets two administrators demoting each other at once leave one of them', async () => {
    const [a, b] = [await administrator(), await administrator()];
    await dataSource.query(
      `UPDATE users.users SET roles = '{user}' WHERE 'admin' = ANY (roles) AND id NOT IN ($1, $2)`,
      [a.id, b.id],
    );
    const codes = await Promise.all([
      codeOf(users.setRoles(a.token, b.id, ['user'])),
      codeOf(users.setRoles(b.token, a.id, ['user'])),
    ]);
    // The second to go is either the last administrator, or no longer one.
    expect(codes).toContain('ok');
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
    expect([[a.id], [b.id]]).toContainEqual(
      (
        (await dataSource.query(
          `SELECT id FROM users.users WHERE 'admin' = ANY (roles) AND disabled_at IS NULL`,
        )) as { id: string }[]
      ).map((row) => row.id),
    );
  });
});
