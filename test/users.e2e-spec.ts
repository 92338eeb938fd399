import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { login, newAccount } from './support/accounts';
import { Platform, shape } from './support/platform';

const uniqueEmail = () => `user-${randomUUID()}@example.com`;

describe(`users through the gateway (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('POST /v1/auth/register', () => {
    it('creates the account and returns its public view, never the password', async () => {
      const email = uniqueEmail();
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'correct horse battery', displayName: 'Ada' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        displayName: 'Ada',
        roles: ['user'],
        createdAt: expect.any(String),
      });
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon/i);
    });

    it('stores emails lower-cased and refuses the same address in any case with 409', async () => {
      const email = uniqueEmail();
      const first = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email: email.toUpperCase(), password: 'password-one' },
      });
      expect(first.status).toBe(201);
      expect(first.body.email).toBe(email);
      const second = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-two' },
      });
      expect(second.status).toBe(409);
      expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(second.body).toMatchObject({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'EMAIL_ALREADY_REGISTERED',
        instance: '/v1/auth/register',
      });
    });

    it('lets exactly one of several concurrent registrations of one email succeed', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          http(baseUrl, 'POST', '/v1/auth/register', { json: { email, password: 'password-123' } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });

    it.each([
      ['a missing email', { password: 'password-123' }, 'email'],
      ['an invalid email', { email: 'not-an-email', password: 'password-123' }, 'email'],
      ['a short password', { email: 'short@example.com', password: 'short' }, 'password'],
      [
        'a password over 128 characters',
        { email: 'long@example.com', password: 'x'.repeat(129) },
        'password',
      ],
      [
        'a password of the wrong type',
        { email: 'type@example.com', password: 12345678 },
        'password',
      ],
      [
        'an unknown property',
        { email: 'extra@example.com', password: 'password-123', roles: ['admin'] },
        'roles',
      ],
      [
        'an empty display name',
        { email: 'name@example.com', password: 'password-123', displayName: '' },
        'displayName',
      ],
    ])('refuses %s with 400 naming the field', async (_case, json, field) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', { json });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it('writes nothing for a refused registration', async () => {
      const email = uniqueEmail();
      const refused = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-123', isAdmin: true },
      });
      expect(refused.status).toBe(400);
      const accepted = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: { email, password: 'password-123' },
      });
      expect(accepted.status).toBe(201);
    });

    it.each([
      ['a NUL character', 'a\u0000b'],
      ['an unpaired surrogate', '\ud800x'],
    ])(
      'refuses a display name with %s with 400 before storing anything: the email stays free',
      async (_case, displayName) => {
        const email = uniqueEmail();
        const refused = await http(baseUrl, 'POST', '/v1/auth/register', {
          json: { email, password: 'password-123', displayName },
        });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'displayName', messages: [expect.any(String)] }],
        });
        expect(JSON.stringify(refused.body)).not.toMatch(/\\u0000|\\ud800/);
        const accepted = await http(baseUrl, 'POST', '/v1/auth/register', {
          json: { email, password: 'password-123', displayName: 'Ada' },
        });
        expect(accepted.status).toBe(201);
      },
    );

    it.each([
      ['malformed JSON', '{"email": ', 'application/json', 400, 'MALFORMED_REQUEST'],
      ['a JSON array', '[1, 2]', 'application/json', 400, 'VALIDATION_FAILED'],
      ['JSON null', 'null', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a text/plain body', 'email=a@b.c', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ])('refuses %s with a clear 4xx', async (_case, body, contentType, status, code) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        body,
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ status, code, detail: expect.any(String) });
    });

    it('refuses a huge body with 413 before reading it all', async () => {
      const response = await http(baseUrl, 'POST', '/v1/auth/register', {
        json: {
          email: uniqueEmail(),
          password: 'password-123',
          displayName: 'x'.repeat(2_000_000),
        },
      });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('GET /v1/users/:id', () => {
    it('returns a user to itself', async () => {
      const user = await newAccount(baseUrl, 'Self');
      const response = await http(baseUrl, 'GET', `/v1/users/${user.id}`, {
        headers: user.authorization,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: user.id, email: user.email, displayName: 'Self' });
    });

    // RFC 9562 4: a UUID is case-insensitive on input, and the same account in either spelling.
    it('returns a user to itself by its id written in capitals', async () => {
      const user = await newAccount(baseUrl, 'Self');
      const response = await http(baseUrl, 'GET', `/v1/users/${user.id.toUpperCase()}`, {
        headers: user.authorization,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: user.id, displayName: 'Self' });
    });

    it('refuses an administrator disabling their own account by its id written in capitals', async () => {
      const user = await newAccount(baseUrl);
      const admin = await platform.admin();
      const promoted = await http(baseUrl, 'PUT', `/v1/users/${user.id}/roles`, {
        headers: admin.authorization,
        json: { roles: ['user', 'admin'] },
      });
      expect(promoted.status).toBe(200);
      let tokens: { access_token: string } | undefined;
      // The promotion ends the user's sessions once auth hears of it: sign in after that.
      await eventually(async () => {
        tokens = await login(baseUrl, user.email, user.password);
        const me = await http(baseUrl, 'GET', '/v1/users/me', {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        return me.status === 200 && me.body.roles.includes('admin');
      }, 3000);
      const refused = await http(baseUrl, 'POST', `/v1/users/${user.id.toUpperCase()}/disable`, {
        headers: { authorization: `Bearer ${tokens!.access_token}` },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('SELF_DISABLE');
    });

    it("refuses another user's profile with 403, and lets an admin read it", async () => {
      const [owner, other] = await Promise.all([newAccount(baseUrl), newAccount(baseUrl)]);
      const refused = await http(baseUrl, 'GET', `/v1/users/${owner.id}`, {
        headers: other.authorization,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      const admin = await platform.admin();
      const allowed = await http(baseUrl, 'GET', `/v1/users/${owner.id}`, {
        headers: admin.authorization,
      });
      expect(allowed.status).toBe(200);
    });

    it('answers 404 to an admin for an id that does not exist', async () => {
      const admin = await platform.admin();
      const response = await http(baseUrl, 'GET', `/v1/users/${randomUUID()}`, {
        headers: admin.authorization,
      });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const user = await newAccount(baseUrl);
      const response = await http(baseUrl, 'GET', `/v1/users/not-a-uuid`, {
        headers: user.authorization,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
    });
  });

  describe('/v1/users/me and the admin routes', () => {
    it("reads and changes the caller's own profile", async () => {
      const user = await newAccount(baseUrl, 'Before');
      const me = await http(baseUrl, 'GET', '/v1/users/me', { headers: user.authorization });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: user.id, displayName: 'Before', roles: ['user'] });
      const patched = await http(baseUrl, 'PATCH', '/v1/users/me', {
        headers: user.authorization,
        json: { displayName: 'After' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.displayName).toBe('After');
      // Reads are served from the users context's cache, which the change must have dropped.
      const reread = await http(baseUrl, 'GET', '/v1/users/me', { headers: user.authorization });
      expect(reread.body.displayName).toBe('After');
      const admin = await platform.admin();
      const byAdmin = await http(baseUrl, 'GET', `/v1/users/${user.id}`, {
        headers: admin.authorization,
      });
      expect(byAdmin.body.displayName).toBe('After');
      const refused = await http(baseUrl, 'PATCH', '/v1/users/me', {
        headers: user.authorization,
        json: { roles: ['admin'] },
      });
      expect(refused.status).toBe(400);
    });

    it.each([
      ['a NUL character', 'a\u0000b'],
      ['an unpaired surrogate', '\ud800x'],
    ])(
      'refuses a display name with %s with 400 and keeps the old one',
      async (_case, displayName) => {
        const user = await newAccount(baseUrl, 'Kept');
        const refused = await http(baseUrl, 'PATCH', '/v1/users/me', {
          headers: user.authorization,
          json: { displayName },
        });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'displayName', messages: [expect.any(String)] }],
        });
        const me = await http(baseUrl, 'GET', '/v1/users/me', { headers: user.authorization });
        expect(me.body.displayName).toBe('Kept');
      },
    );

    it("refuses a client's own token a profile of its own with 403, not a 500 or a 400", async () => {
      const admin = await platform.admin();
      const registered = await http(baseUrl, 'POST', '/v1/admin/clients', {
        headers: admin.authorization,
        json: { grant_types: ['client_credentials'], scope: 'users:read users:write' },
      });
      expect(registered.status).toBe(201);
      const { client_id: clientId, client_secret: secret } = registered.body;
      const issued = await fetch(`${baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(issued.status).toBe(200);
      const { access_token: token } = (await issued.json()) as { access_token: string };
      // `sub` is the client, not a user: there is no profile of its own to read or change.
      const read = await http(baseUrl, 'GET', '/v1/users/me', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ status: read.status, code: read.body.code }).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
      for (const json of [{ displayName: 'Client' }, {}]) {
        const refused = await http(baseUrl, 'PATCH', '/v1/users/me', {
          headers: { authorization: `Bearer ${token}` },
          json,
        });
        expect({ status: refused.status, code: refused.body.code }).toEqual({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    });

    it('pages through users for an admin only', async () => {
      const user = await newAccount(baseUrl);
      const refused = await http(baseUrl, 'GET', '/v1/users', { headers: user.authorization });
      expect(refused.status).toBe(403);
      const admin = await platform.admin();
      const page = await http(baseUrl, 'GET', '/v1/users?limit=2&offset=0', {
        headers: admin.authorization,
      });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ limit: 2, offset: 0, total: expect.any(Number) });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      expect(page.body.total).toBeGreaterThanOrEqual(2);
      for (const query of ['limit=1000', 'offset=1e20', 'offset=1e21']) {
        const bad = await http(baseUrl, 'GET', `/v1/users?${query}`, {
          headers: admin.authorization,
        });
        expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      }
    });

    it("lets an admin change roles, which ends the user's sessions", async () => {
      const user = await newAccount(baseUrl);
      const admin = await platform.admin();
      const promoted = await http(baseUrl, 'PUT', `/v1/users/${user.id}/roles`, {
        headers: admin.authorization,
        json: { roles: ['user', 'admin'] },
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body.roles).toEqual(['user', 'admin']);
      const reread = await http(baseUrl, 'GET', `/v1/users/${user.id}`, {
        headers: admin.authorization,
      });
      expect(reread.body.roles).toEqual(['user', 'admin']);
      await eventually(
        async () =>
          (await http(baseUrl, 'GET', '/v1/users/me', { headers: user.authorization })).status ===
          401,
      );
      const fresh = await login(baseUrl, user.email, user.password);
      expect(
        JSON.parse(Buffer.from(fresh.access_token.split('.')[1], 'base64url').toString()).roles,
      ).toEqual(['user', 'admin']);

      const byUser = await http(baseUrl, 'PUT', `/v1/users/${admin.id}/roles`, {
        headers: (await newAccount(baseUrl)).authorization,
        json: { roles: ['user'] },
      });
      expect(byUser.status).toBe(403);
    });
  });

  describe('errors and tracing', () => {
    it('answers unknown routes with a problem+json 404', async () => {
      const response = await http(baseUrl, 'GET', '/v1/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('echoes a client correlation id, and issues one when none is sent', async () => {
      const echoed = await http(baseUrl, 'GET', `/v1/users/${randomUUID()}`, {
        headers: { 'x-correlation-id': 'client-trace-123' },
      });
      expect(echoed.headers.get('x-correlation-id')).toBe('client-trace-123');
      expect(echoed.body.correlationId).toBe('client-trace-123');
      const issued = await http(baseUrl, 'GET', '/health/live');
      expect(issued.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('replaces a correlation id that could forge log lines', async () => {
      const response = await http(baseUrl, 'GET', '/health/live', {
        headers: { 'x-correlation-id': 'x'.repeat(500) },
      });
      expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
