import { randomUUID } from 'node:crypto';
import { accountOf, login } from './support/accounts';
import { eventually } from './support/eventually';
import { http, httpFrom } from './support/http';
import { Platform, shape } from './support/platform';

const WINDOW_SECONDS = 3;

/**
 * Per-address limits count the client, not the balancer in front of it, engage at their count
 * however many requests arrive at once, and let go when their window has passed.
 */
describe(`abuse limits (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;

  beforeAll(async () => {
    platform = await Platform.start(shape, {
      // The suite's own client (127.0.0.1) is the balancer: its X-Forwarded-For is believed.
      TRUSTED_PROXIES: '127.0.0.1',
      ADDRESS_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      REGISTER_LIMIT_PER_ADDRESS: '3',
      REFRESH_LIMIT_PER_ADDRESS: '4',
      PASSWORD_CHANGE_LIMIT_PER_ADDRESS: '3',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCK_SECONDS: '1',
      LOGIN_FAILURE_WINDOW_SECONDS: '3',
    });
    baseUrl = platform.baseUrl;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const from = (address: string) => ({ 'x-forwarded-for': `${address}, 127.0.0.1` });
  const register = (address: string) =>
    http(baseUrl, 'POST', '/v1/auth/register', {
      headers: from(address),
      json: { email: `${randomUUID()}@example.com`, password: 'correct horse battery' },
    });
  /** Each account of this suite signs up from an address of its own, under no limit yet. */
  let accounts = 0;
  async function newAccount() {
    const email = `${randomUUID()}@example.com`;
    const password = 'correct horse battery';
    const registered = await http(baseUrl, 'POST', '/v1/auth/register', {
      headers: from(`192.0.2.${++accounts}`),
      json: { email, password },
    });
    expect(registered.status).toBe(201);
    return accountOf(registered.body.id, email, password, await login(baseUrl, email, password));
  }
  const statuses = async (requests: Promise<{ status: number }>[]) =>
    (await Promise.all(requests)).map((response) => response.status).sort();
  const afterTheWindow = () =>
    new Promise((resolve) => setTimeout(resolve, (WINDOW_SECONDS + 1) * 1000));

  it('limits registrations per client, counted exactly however many arrive at once', async () => {
    const client = '203.0.113.1';
    expect(await statuses(Array.from({ length: 6 }, () => register(client)))).toEqual([
      201, 201, 201, 429, 429, 429,
    ]);
    const refused = await register(client);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same balancer has its own count.
    expect((await register('203.0.113.2')).status).toBe(201);

    await afterTheWindow();
    expect((await register(client)).status).toBe(201);
  });

  it('counts an IPv6 client by its /64', async () => {
    const results = await statuses(
      ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:ffff::3', '2001:db8:7:1::4'].map(
        (address) => register(address),
      ),
    );
    expect(results).toEqual([201, 201, 201, 429]);
    expect((await register('2001:db8:7:2::1')).status).toBe(201);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const untrusted = (forwardedFor: string) =>
      httpFrom('127.0.0.2', baseUrl, 'POST', '/v1/auth/register', {
        headers: { 'x-forwarded-for': forwardedFor },
        json: { email: `${randomUUID()}@example.com`, password: 'correct horse battery' },
      });
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await untrusted(`198.51.100.${i + 1}`)).status);
    expect(results).toEqual([201, 201, 201, 429]);
  });

  it('limits refresh-token rotations per client', async () => {
    const account = await newAccount();
    const client = '203.0.113.50';
    let token = account.refreshToken;
    const results = [];
    for (let i = 0; i < 5; i++) {
      const response = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        headers: from(client),
        json: { refresh_token: token },
      });
      results.push(response.status);
      if (response.status === 200) token = response.body.refresh_token;
    }
    expect(results).toEqual([200, 200, 200, 200, 429]);
    // Refused unspent: the token still works from elsewhere.
    expect(
      (
        await http(baseUrl, 'POST', '/v1/auth/refresh', {
          headers: from('203.0.113.51'),
          json: { refresh_token: token },
        })
      ).status,
    ).toBe(200);
  });

  it('checks the current password of a password change through the login throttle', async () => {
    const account = await newAccount();
    const change = (currentPassword: string, client = '203.0.113.60') =>
      http(baseUrl, 'POST', '/v1/auth/password', {
        headers: { ...account.authorization, ...from(client) },
        json: { currentPassword, newPassword: 'an entirely new password' },
      });
    for (let i = 0; i < 3; i++)
      expect((await change('not it', `203.0.113.${61 + i}`)).status).toBe(403);
    // Locked like a login: the right password is not even checked now.
    const locked = await change(account.password, '203.0.113.64');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('LOGIN_LOCKED');
    // The login of the same account is locked too: it is one throttle.
    const login = await http(baseUrl, 'POST', '/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(login.status).toBe(429);
  });

  it('limits password changes per client', async () => {
    const account = await newAccount();
    const results = [];
    for (let i = 0; i < 4; i++) {
      const response = await http(baseUrl, 'POST', '/v1/auth/password', {
        headers: { ...account.authorization, ...from('203.0.113.70') },
        json: { currentPassword: 'not it', newPassword: 'an entirely new password' },
      });
      results.push(response.body.code);
    }
    expect(results).toEqual([
      'INVALID_CURRENT_PASSWORD',
      'INVALID_CURRENT_PASSWORD',
      'INVALID_CURRENT_PASSWORD',
      'RATE_LIMITED',
    ]);
  });

  it('forgets failed logins after their window', async () => {
    const account = await newAccount();
    const attempt = (password: string) =>
      http(baseUrl, 'POST', '/v1/auth/login', {
        headers: from('203.0.113.80'),
        json: { email: account.email, password },
      });
    for (let i = 0; i < 3; i++) expect((await attempt('not it')).status).toBe(401);
    expect((await attempt('not it')).status).toBe(429);
    await afterTheWindow();
    // Counting starts again: two more failures are only failures, and the right password works.
    for (let i = 0; i < 2; i++) expect((await attempt('not it')).status).toBe(401);
    expect((await attempt(account.password)).status).toBe(200);
  });

  it('logs the refusal once per window in the security log', async () => {
    const admin = await platform.admin();
    await eventually(
      async () => {
        const { body } = await http(baseUrl, 'GET', '/v1/admin/security-events?type=rate_limited', {
          headers: admin.authorization,
        });
        return body.items.some((event: any) => event.details.key === 'register:ip:203.0.113.1');
      },
      3000,
      100,
    );
  });
});
