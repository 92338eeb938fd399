import { apiTokenChecksum } from '../libs/contracts/src/auth/api-token.format';
import { newAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, shape } from './support/platform';
import type { PlatformProcess } from './support/platform-process';

const withNats = shape === 'embedded' ? describe.skip : describe;
const PAT = /^pat_[0-9A-Za-z]{36}$/;

describe(`API tokens (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let owner: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    owner = await newAccount(baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const create = (account: TestAccount, json: unknown) =>
    http(baseUrl, 'POST', '/v1/api-tokens', { headers: account.authorization, json });
  const withToken = (token: string, method: string, path: string, json?: unknown) =>
    http(baseUrl, method, path, { headers: { authorization: `Bearer ${token}` }, json });

  async function tokenOf(account: TestAccount, scopes: string[], name = 'integration') {
    const created = await create(account, { name, scopes });
    expect(created.status).toBe(201);
    return created.body as { id: string; token: string };
  }

  it('shows the secret once, prefixed and checksummed, and lists the token without it', async () => {
    const created = await create(owner, { name: 'ci', scopes: ['orders:read'], expiresInDays: 7 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'ci',
      scopes: ['orders:read'],
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: expect.any(String),
      token: expect.stringMatching(PAT),
    });
    const lifetime = Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt);
    expect(Math.round(lifetime / 86_400_000)).toBe(7);
    const listed = await http(baseUrl, 'GET', '/v1/api-tokens', { headers: owner.authorization });
    expect(listed.status).toBe(200);
    const entry = listed.body.find((token: any) => token.id === created.body.id);
    expect(entry).toEqual({ ...created.body, token: undefined });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });

  it('reaches services as an internal token carrying only the token’s scopes, and records its use', async () => {
    const { id, token } = await tokenOf(owner, ['users:read']);
    const me = await withToken(token, 'GET', '/v1/users/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(owner.id);
    const patch = await withToken(token, 'PATCH', '/v1/users/me', { displayName: 'Mallory' });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe('INSUFFICIENT_SCOPE');
    const listed = await http(baseUrl, 'GET', '/v1/api-tokens', { headers: owner.authorization });
    expect(listed.body.find((entry: any) => entry.id === id).lastUsedAt).not.toBeNull();
  });

  it('refuses an API token where a signed-in session is required', async () => {
    const { token } = await tokenOf(owner, ['users:read', 'users:write']);
    for (const [method, path, json] of [
      [
        'POST',
        '/v1/auth/password',
        { currentPassword: owner.password, newPassword: 'x'.repeat(12) },
      ],
      ['POST', '/v1/api-tokens', { name: 'escalate', scopes: ['users:read'] }],
      ['GET', '/v1/api-tokens', undefined],
      ['POST', '/v1/auth/logout-all', undefined],
    ] as const) {
      const refused = await withToken(token, method, path, json);
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({
        path,
        status: 403,
        code: 'SESSION_REQUIRED',
      });
    }
    // The account is untouched: the session still works with the old password.
    expect(
      (await http(baseUrl, 'GET', '/v1/users/me', { headers: owner.authorization })).status,
    ).toBe(200);
  });

  it('grants only scopes the owner holds, and administration only with the admin scope', async () => {
    const refused = await create(owner, { name: 'greedy', scopes: ['users:read', 'admin'] });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const admin = await platform.admin();
    const plain = await tokenOf(admin, ['users:read']);
    expect((await withToken(plain.token, 'GET', '/v1/users')).status).toBe(403);
    // The role alone is no administration: without `admin` the token reads only its own user.
    expect((await withToken(plain.token, 'GET', `/v1/users/${owner.id}`)).status).toBe(403);
    expect((await withToken(plain.token, 'GET', `/v1/users/${admin.id}`)).status).toBe(200);
    const administering = await tokenOf(admin, ['users:read', 'admin']);
    const listed = await withToken(administering.token, 'GET', '/v1/users');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBeGreaterThan(0);
    expect((await withToken(administering.token, 'GET', `/v1/users/${owner.id}`)).status).toBe(200);
  });

  it.each([
    ['no name', { scopes: ['users:read'] }],
    ['no scopes', { name: 'x', scopes: [] }],
    ['an unknown scope', { name: 'x', scopes: ['everything'] }],
    ['a repeated scope', { name: 'x', scopes: ['users:read', 'users:read'] }],
    ['a lifetime over a year', { name: 'x', scopes: ['users:read'], expiresInDays: 366 }],
    ['a lifetime of zero days', { name: 'x', scopes: ['users:read'], expiresInDays: 0 }],
    ['an unknown field', { name: 'x', scopes: ['users:read'], forever: true }],
    ['a NUL character in the name', { name: 'a\u0000b', scopes: ['users:read'] }],
    ['an unpaired surrogate in the name', { name: 'a\udc00', scopes: ['users:read'] }],
  ])('refuses a creation with %s with 400 and creates nothing', async (_case, body) => {
    const before = (await http(baseUrl, 'GET', '/v1/api-tokens', { headers: owner.authorization }))
      .body.length;
    const refused = await create(owner, body);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const after = await http(baseUrl, 'GET', '/v1/api-tokens', { headers: owner.authorization });
    expect(after.body.length).toBe(before);
  });

  it('refuses a made-up token, a typo and a well-formed unknown token with 401 invalid_token', async () => {
    const { token } = await tokenOf(owner, ['users:read']);
    const typo = `${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;
    const random = 'R'.repeat(30);
    const unknown = `pat_${random}${apiTokenChecksum(random)}`;
    for (const presented of [`pat_${'a'.repeat(36)}`, typo, unknown, 'pat_']) {
      const refused = await withToken(presented, 'GET', '/v1/users/me');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  /** How often auth resolved an API token, from its metrics. */
  async function resolutions(outcome = 'ok'): Promise<number> {
    const text = (await http(platform.service('auth').url, 'GET', '/metrics')).body as string;
    const line = text
      .split('\n')
      .find((row) =>
        row.startsWith(
          `message_handled_duration_seconds_count{subject="auth.api-token.resolve",outcome="${outcome}"}`,
        ),
      );
    return line ? Number(line.split(' ')[1]) : 0;
  }

  // No rate limit covers the probes and documents: a token looked up there would let anyone
  // make auth search its tokens without limit.
  it('is not looked up on the probes and documents, which no rate limit covers', async () => {
    const before = await resolutions('INVALID_TOKEN');
    for (let i = 0; i < 3; i++) {
      const random = `${i}`.repeat(30);
      const unknown = `pat_${random}${apiTokenChecksum(random)}`;
      for (const path of ['/health/live', '/metrics', '/docs-json']) {
        expect({ path, status: (await withToken(unknown, 'GET', path)).status }).toEqual({
          path,
          status: 200,
        });
      }
    }
    expect((await resolutions('INVALID_TOKEN')) - before).toBe(0);
  });

  it('is resolved once and then served from the gateway cache, until it is revoked', async () => {
    const { id, token } = await tokenOf(owner, ['users:read']);
    const before = await resolutions();
    for (let i = 0; i < 5; i++) {
      expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
    }
    expect((await resolutions()) - before).toBe(1);
    const revoked = await http(baseUrl, 'DELETE', `/v1/api-tokens/${id}`, {
      headers: owner.authorization,
    });
    expect(revoked.status).toBe(204);
    // At once on the gateway that answered the revocation: the caller's next request is refused.
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(401);
    const again = await http(baseUrl, 'DELETE', `/v1/api-tokens/${id}`, {
      headers: owner.authorization,
    });
    expect(again.status).toBe(404);
  });

  // Only the PostgreSQL shapes let a test move a token's expiry, which is days away otherwise.
  (shape === 'embedded' ? it.skip : it)(
    'stops working when it expires, though the gateway had it cached',
    async () => {
      const { id, token } = await tokenOf(owner, ['users:read']);
      await platform.database!.query(
        `UPDATE auth.api_tokens SET expires_at = now() + interval '2 seconds' WHERE id = $1`,
        [id],
      );
      expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(401);
    },
  );

  it('stops working at once when revoked by an id written in capitals', async () => {
    const { id, token } = await tokenOf(owner, ['users:read']);
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
    const revoked = await http(baseUrl, 'DELETE', `/v1/api-tokens/${id.toUpperCase()}`, {
      headers: owner.authorization,
    });
    expect(revoked.status).toBe(204);
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(401);
  });

  it('cannot be revoked by another user, and a bad id is 400', async () => {
    const { id, token } = await tokenOf(owner, ['users:read']);
    const stranger = await newAccount(baseUrl);
    const refused = await http(baseUrl, 'DELETE', `/v1/api-tokens/${id}`, {
      headers: stranger.authorization,
    });
    expect(refused.status).toBe(404);
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
    const malformed = await http(baseUrl, 'DELETE', '/v1/api-tokens/not-a-uuid', {
      headers: owner.authorization,
    });
    expect(malformed.status).toBe(400);
  });

  it('stops working when its owner is disabled', async () => {
    const account = await newAccount(baseUrl);
    const { token } = await tokenOf(account, ['users:read']);
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
    const admin = await platform.admin();
    const disabled = await http(baseUrl, 'POST', `/v1/users/${account.id}/disable`, {
      headers: admin.authorization,
    });
    expect(disabled.status).toBe(204);
    await eventually(
      async () => (await withToken(token, 'GET', '/v1/users/me')).status === 401,
      2000,
    );
  });

  // RFC 9562 4: a UUID is case-insensitive on input. The users context finds the account by
  // either spelling, so every revocation it causes must name the account by the spelling
  // tokens carry in `sub`, or none of them is denied.
  it('stops working when its owner is disabled by an id written in capitals', async () => {
    const account = await newAccount(baseUrl);
    const { token } = await tokenOf(account, ['users:read', 'orders:read']);
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(200);
    expect((await withToken(token, 'GET', '/v1/orders')).status).toBe(200);
    const admin = await platform.admin();
    const disabled = await http(baseUrl, 'POST', `/v1/users/${account.id.toUpperCase()}/disable`, {
      headers: admin.authorization,
    });
    expect(disabled.status).toBe(204);
    await eventually(
      async () => (await withToken(token, 'GET', '/v1/orders')).status === 401,
      2000,
    );
    expect((await withToken(token, 'GET', '/v1/users/me')).status).toBe(401);
  });

  withNats('with two gateway replicas', () => {
    let replica: PlatformProcess;

    beforeAll(async () => {
      replica = await platform.startReplica('gateway');
    });

    it('evicts a revoked token from every replica’s cache at once', async () => {
      const { id, token } = await tokenOf(owner, ['users:read']);
      const on = (url: string) =>
        http(url, 'GET', '/v1/users/me', { headers: { authorization: `Bearer ${token}` } });
      // Both replicas resolve the token and keep it for API_TOKEN_CACHE_SECONDS.
      expect((await on(baseUrl)).status).toBe(200);
      expect((await on(replica.url)).status).toBe(200);
      await http(baseUrl, 'DELETE', `/v1/api-tokens/${id}`, { headers: owner.authorization });
      await eventually(async () => (await on(replica.url)).status === 401, 1000);
      expect((await on(baseUrl)).status).toBe(401);
    });
  });
});
