import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { newAccount, type TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

// The commands open the database themselves: PostgreSQL shapes only (PGlite is one process).
const withPostgres = shape === 'embedded' ? it.skip : it;

/** Every authentication and authorization event lands in a hash-chained log only auditors read. */
describe(`the security log (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let admin: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    admin = await platform.admin();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const events = (query: string, as = admin) =>
    http(baseUrl, 'GET', `/v1/admin/security-events?${query}`, { headers: as.authorization });

  async function eventsOf(type: string, user?: string): Promise<any[]> {
    const response = await events(`type=${type}${user ? `&user=${user}` : ''}&limit=100`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function expectEvent(type: string, user?: string, within = 3000): Promise<any> {
    let found: any[] = [];
    await eventually(
      async () => (found = await eventsOf(type, user)).length > 0,
      within,
      100,
    ).catch(() => {
      throw new Error(`no ${type} event${user ? ` for ${user}` : ''} in the security log`);
    });
    return found[0];
  }

  function command(script: string) {
    return spawnSync(
      process.execPath,
      [resolve(__dirname, `../dist/apps/platform/src/${script}`)],
      {
        env: {
          ...process.env,
          DATABASE_URL: platform.database!.url,
          KEY_ENCRYPTION_KEY: platform.keyEncryptionKey,
          NATS_URL: '',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
  }

  it('records logins, refusals, lockouts and what ends sessions, for each user', async () => {
    const account = await newAccount(baseUrl);
    const loggedIn = await expectEvent('login_succeeded', account.id);
    expect(loggedIn).toMatchObject({ userId: account.id, sessionId: expect.any(String) });
    expect(loggedIn.details.clientIp).toEqual(expect.any(String));

    const wrong = () =>
      http(baseUrl, 'POST', '/v1/auth/login', {
        json: { email: account.email, password: 'not the password' },
      });
    for (let attempt = 0; attempt < 5; attempt++) expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
    expect(await eventsOf('login_failed', account.id)).toHaveLength(5);
    await expectEvent('login_locked', account.id);

    await http(baseUrl, 'POST', '/v1/auth/logout', { headers: account.authorization });
    expect((await expectEvent('session_revoked', account.id)).details).toEqual({
      reason: 'logout',
    });
  });

  it('records a password change, which voids every token of the user', async () => {
    const account = await newAccount(baseUrl);
    const changed = await http(baseUrl, 'POST', '/v1/auth/password', {
      headers: account.authorization,
      json: { currentPassword: account.password, newPassword: 'an entirely new password' },
    });
    expect(changed.status).toBe(204);
    await expectEvent('password_changed', account.id);
    expect((await expectEvent('subject_revoked', account.id)).details.reason).toBe(
      'password-changed',
    );
  });

  it('records role changes and disabled accounts with the administrator who made them', async () => {
    const account = await newAccount(baseUrl);
    await http(baseUrl, 'PUT', `/v1/users/${account.id}/roles`, {
      headers: admin.authorization,
      json: { roles: ['user', 'admin'] },
    });
    expect((await expectEvent('roles_changed', account.id)).details).toEqual({
      roles: ['user', 'admin'],
      by: admin.id,
    });
    await http(baseUrl, 'POST', `/v1/users/${account.id}/disable`, {
      headers: admin.authorization,
    });
    expect((await expectEvent('account_disabled', account.id)).details).toEqual({ by: admin.id });
  });

  it('records what a guard refuses anywhere, without the credential', async () => {
    const account = await newAccount(baseUrl);
    await http(baseUrl, 'GET', '/v1/users', { headers: account.authorization });
    const refused = await expectEvent('access_denied', account.id);
    expect(refused.details).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      target: expect.stringMatching(/^(GET \/v1\/users|users\.user\.list)$/),
      count: expect.any(Number),
    });
    expect(JSON.stringify(refused)).not.toContain(account.accessToken);

    await http(baseUrl, 'GET', '/v1/users/me', {
      headers: { authorization: `Bearer not-a-token-${randomUUID()}` },
    });
    await eventually(
      async () =>
        (await eventsOf('access_denied')).some(
          (event) => event.details.code === 'INVALID_TOKEN' && event.userId === null,
        ),
      3000,
      100,
    );
  });

  it('is for administrators only, and refuses bad filters with 400', async () => {
    const account = await newAccount(baseUrl);
    expect((await events('', account)).status).toBe(403);
    expect((await http(baseUrl, 'GET', '/v1/admin/security-events')).status).toBe(401);
    for (const query of [
      'type=nonsense',
      'user=not-a-uuid',
      'since=yesterday',
      'limit=0',
      // Dates JavaScript can hold and PostgreSQL's timestamptz cannot, and an offset past bigint.
      'since=-100000-01-01T00:00:00Z',
      'until=%2B275000-01-01T00:00:00Z',
      'offset=1e20',
    ]) {
      const response = await events(query);
      expect({ query, status: response.status, code: response.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const page = await events('limit=2&offset=1');
    expect(page.body).toMatchObject({ limit: 2, offset: 1, total: expect.any(Number) });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].seq).toBeGreaterThan(page.body.items[1].seq);
    const since = new Date(Date.now() + 60_000).toISOString();
    expect((await events(`since=${since}`)).body).toMatchObject({ items: [], total: 0 });
  });

  withPostgres('records key rotations made by the command', async () => {
    expect(command('rotate-keys.js').status).toBe(0);
    const rotated = await expectEvent('signing_key_rotated');
    expect(rotated.details).toEqual({
      activated: expect.any(String),
      retired: expect.any(String),
      next: expect.any(String),
    });
  });

  withPostgres(
    'refuses to change or remove a row, even to the role the platform uses',
    async () => {
      for (const sql of [
        `UPDATE auth.security_events SET type = 'login_succeeded' WHERE seq = 1`,
        `DELETE FROM auth.security_events WHERE seq = 1`,
        `TRUNCATE auth.security_events`,
      ]) {
        await expect(platform.database!.query(sql)).rejects.toThrow(/append-only/);
      }
    },
  );

  withPostgres(
    'audit:verify passes on the untouched log and names the row an edit or a deletion broke',
    async () => {
      const intact = command('audit-verify.js');
      expect(intact.stdout).toMatch(/Security log intact: \d+ rows/);
      expect(intact.status).toBe(0);

      const database = platform.database!;
      const asSuperuser = (sql: string) =>
        database.query(`SET session_replication_role = replica; ${sql}`);
      const [{ max }] = await database.query<{ max: string }>(
        `SELECT max(seq)::text AS max FROM auth.security_events`,
      );
      const last = Number(max);
      expect(last).toBeGreaterThan(5);

      const [original] = await database.query<{ details: object }>(
        `SELECT details FROM auth.security_events WHERE seq = 3`,
      );
      await asSuperuser(
        `UPDATE auth.security_events SET details = '{"edited": true}' WHERE seq = 3`,
      );
      const edited = command('audit-verify.js');
      expect(edited.status).toBe(1);
      expect(edited.stdout).toContain('broken at row 3');

      await asSuperuser(
        `UPDATE auth.security_events SET details = '${JSON.stringify(original.details)}' WHERE seq = 3`,
      );
      expect(command('audit-verify.js').status).toBe(0);

      await asSuperuser(`DELETE FROM auth.security_events WHERE seq = ${last}`);
      const truncated = command('audit-verify.js');
      expect(truncated.status).toBe(1);
      expect(truncated.stdout).toContain(`broken at row ${last}`);

      await asSuperuser(`DELETE FROM auth.security_events WHERE seq = 4`);
      const gap = command('audit-verify.js');
      expect(gap.status).toBe(1);
      expect(gap.stdout).toContain('broken at row 4');
    },
  );
});
