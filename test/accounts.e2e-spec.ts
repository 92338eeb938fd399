import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { accountOf, login, newAccount, TestAccount } from './support/accounts';
import { Platform, shape } from './support/platform';

/** Accounts are one per person: one spelling per email, and always an administrator left. */
describe(`accounts (${shape})`, () => {
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

  const register = (email: string, password: string) =>
    http(baseUrl, 'POST', '/v1/auth/register', { json: { email, password } });
  const loginWith = (email: string, password: string) =>
    http(baseUrl, 'POST', '/v1/auth/login', { json: { email, password } });
  const subjectOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;

  describe('one spelling per email', () => {
    it('refuses full-width and mixed-case variants of a registered email as taken', async () => {
      const local = `ada${randomUUID().slice(0, 8)}`;
      const registered = await register(`${local}@example.com`, 'correct horse battery');
      expect(registered.status).toBe(201);

      const fullWidth = [...`${local}@example.com`]
        .map((character) =>
          /[a-z0-9@.]/.test(character)
            ? String.fromCodePoint(character.codePointAt(0)! + 0xfee0)
            : character,
        )
        .join('');
      for (const variant of [
        fullWidth,
        `${local.toUpperCase()}@EXAMPLE.com`,
        ` ${local}@Example.Com `,
      ]) {
        const again = await register(variant, 'another password entirely');
        expect(again.status).toBe(409);
        expect(again.body.code).toBe('EMAIL_ALREADY_REGISTERED');
      }
    });

    it('logs every variant in to the same account', async () => {
      const local = `grace${randomUUID().slice(0, 8)}`;
      const password = 'correct horse battery';
      const { body } = await register(`${local}@example.com`, password);
      for (const variant of [
        `${local.toUpperCase()}@example.com`,
        `ｇｒａｃｅ${local.slice(5)}@ｅｘａｍｐｌｅ.ｃｏｍ`,
      ]) {
        const response = await loginWith(variant, password);
        expect(response.status).toBe(200);
        expect(subjectOf(response.body.access_token)).toBe(body.id);
      }
    });

    it('stores and answers the normal form', async () => {
      const local = `straße${randomUUID().slice(0, 8)}`;
      const response = await register(
        `${local.toUpperCase()}@Example.com`,
        'correct horse battery',
      );
      expect(response.status).toBe(201);
      expect(response.body.email).toBe(`${local.replace('ß', 'ss')}@example.com`);
    });

    it('refuses with 400 an address that is not one once normalized', async () => {
      const response = await register('ｎｏ＠', 'correct horse battery');
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('an administrator always remains', () => {
    const setRoles = (as: TestAccount, id: string, roles: string[]) =>
      http(baseUrl, 'PUT', `/v1/users/${id}/roles`, { headers: as.authorization, json: { roles } });
    const disable = (as: TestAccount, id: string) =>
      http(baseUrl, 'POST', `/v1/users/${id}/disable`, { headers: as.authorization });

    it('refuses to take the admin role from the last active administrator', async () => {
      const response = await setRoles(admin, admin.id, ['user']);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ status: 409, code: 'LAST_ADMINISTRATOR' });
      // Refused means unchanged: the administrator still administers.
      expect(
        (await http(baseUrl, 'GET', '/v1/users', { headers: admin.authorization })).status,
      ).toBe(200);
    });

    it('refuses an administrator disabling their own account', async () => {
      const response = await disable(admin, admin.id);
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('SELF_DISABLE');
      expect((await loginWith(admin.email, admin.password)).status).toBe(200);
    });

    it('refuses a demoted administrator giving the role back before their token dies', async () => {
      const other = await newAccount(baseUrl);
      expect((await setRoles(admin, other.id, ['user', 'admin'])).status).toBe(200);
      let second: TestAccount | undefined;
      // The promotion ends the user's sessions once auth hears of it: sign in after that.
      await eventually(async () => {
        const tokens = await login(baseUrl, other.email, other.password);
        second = accountOf(other.id, other.email, other.password, tokens);
        return (
          (await http(baseUrl, 'GET', '/v1/users', { headers: second.authorization })).status ===
          200
        );
      }, 3000);

      expect((await setRoles(admin, other.id, ['user'])).status).toBe(200);
      // At once, before the revocation the demotion causes has come back from auth.
      const restored = await setRoles(second!, other.id, ['user', 'admin']);
      expect({ status: restored.status, code: restored.body.code }).toEqual({
        status: 401,
        code: 'INVALID_TOKEN',
      });
      const stored = await http(baseUrl, 'GET', `/v1/users/${other.id}`, {
        headers: admin.authorization,
      });
      expect(stored.body.roles).toEqual(['user']);
    });

    it('lets an administrator step down once another one exists', async () => {
      const other = await newAccount(baseUrl);
      expect((await setRoles(admin, other.id, ['user', 'admin'])).status).toBe(200);
      const second = accountOf(
        other.id,
        other.email,
        other.password,
        await login(baseUrl, other.email, other.password),
      );

      // Both at once: one of them must remain an administrator.
      const [first, last] = await Promise.all([
        setRoles(second, admin.id, ['user']),
        setRoles(admin, second.id, ['user']),
      ]);
      // The other is refused as the last administrator, unless its token already died with
      // the demotion of its holder (roles-changed ends their sessions).
      const statuses = [first.status, last.status].sort();
      expect([
        [200, 409],
        [200, 401],
      ]).toContainEqual(statuses);

      // Whoever is still an administrator restores the other, so later tests find the bootstrap one.
      const remaining = first.status === 200 ? second : admin;
      const tokens = await login(baseUrl, remaining.email, remaining.password);
      const fresh = accountOf(remaining.id, remaining.email, remaining.password, tokens);
      const demoted = remaining === admin ? second : admin;
      expect((await setRoles(fresh, demoted.id, ['user', 'admin'])).status).toBe(200);
      admin = await platform.admin();
    });
  });
});
