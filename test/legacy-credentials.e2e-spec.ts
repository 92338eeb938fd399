import { hash } from '@node-rs/argon2';
import { newAccount, TestAccount } from './support/accounts';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

const SECRET = 'legacy-secret-0123456789';
const basic = (name: string, secret: string) =>
  `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`;

describe(`legacy credentials (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let serviceUser: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    serviceUser = await newAccount(baseUrl, 'Billing service account');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const call = (authorization: string, method = 'GET', path = '/v1/orders', json?: unknown) =>
    http(baseUrl, method, path, { headers: { authorization }, json });

  it('is off unless configured: HTTP Basic is no credential at all', async () => {
    const refused = await call(basic('billing', SECRET));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
  });

  describe('configured', () => {
    beforeAll(async () => {
      const legacyClients = JSON.stringify([
        {
          name: 'billing',
          // OWASP's argon2id parameters, as the platform hashes passwords.
          secretHash: await hash(SECRET, { algorithm: 2, memoryCost: 19_456, timeCost: 2 }),
          userId: serviceUser.id,
          scopes: ['orders:read', 'users:read'],
        },
      ]);
      // Auth checks the credential, the gateway accepts the scheme: both read LEGACY_CLIENTS.
      const hosts = new Set([platform.service('auth'), platform.service('gateway')]);
      for (const host of hosts) {
        await host.stop();
        host.configure({ LEGACY_CLIENTS: legacyClients });
        await host.start();
      }
    });

    it('lets a named legacy client act as its user, with its configured scopes only', async () => {
      const orders = await call(basic('billing', SECRET));
      expect(orders.status).toBe(200);
      expect(orders.body).toMatchObject({ items: [], total: 0 });
      const me = await call(basic('billing', SECRET), 'GET', '/v1/users/me');
      expect(me.body.id).toBe(serviceUser.id);
      const place = await call(basic('billing', SECRET), 'POST', '/v1/orders', {
        items: [{ sku: 'A', quantity: 1 }],
      });
      expect(place.status).toBe(403);
      expect(place.body.code).toBe('INSUFFICIENT_SCOPE');
    });

    it.each([
      ['a wrong secret', basic('billing', 'not-the-secret')],
      ['an unknown client', basic('payroll', SECRET)],
      ['no colon', `Basic ${Buffer.from('billing').toString('base64')}`],
    ])('refuses %s with 401 INVALID_CREDENTIALS', async (_case, authorization) => {
      const refused = await call(authorization);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('INVALID_CREDENTIALS');
      // RFC 9110 15.5.2: a 401 names the scheme to try again with (RFC 7617 2).
      expect(refused.headers.get('www-authenticate')).toBe('Basic realm="api", charset="UTF-8"');
    });

    // The probes and documents are exempt from every rate limit, so a credential checked there
    // would be an unlimited oracle: each guess answered 401 or 200, each an argon2 verification.
    it.each(['/health/live', '/health/ready', '/metrics', '/docs-json'])(
      'does not check a credential on %s, which no rate limit covers',
      async (path) => {
        for (let i = 0; i < 3; i++) {
          const probed = await call(basic('billing', `guess-${i}`), 'GET', path);
          expect({ path, status: probed.status }).toEqual({ path, status: 200 });
        }
      },
    );

    it('cannot do what needs a signed-in session', async () => {
      const refused = await call(basic('billing', SECRET), 'POST', '/v1/api-tokens', {
        name: 'persist',
        scopes: ['orders:read'],
      });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('SESSION_REQUIRED');
    });

    // The security log lives in auth's database, which only the PostgreSQL shapes let a test read.
    (shape === 'embedded' ? it.skip : it)('logs every use as a security event', async () => {
      const count = async (type: string) =>
        Number(
          (
            await platform.database!.query<{ n: string }>(
              `SELECT count(*) AS n FROM auth.security_events WHERE type = $1`,
              [type],
            )
          )[0].n,
        );
      const used = await count('legacy_credential_used');
      const refused = await count('legacy_credential_refused');
      for (let i = 0; i < 3; i++) expect((await call(basic('billing', SECRET))).status).toBe(200);
      expect((await call(basic('billing', 'wrong'))).status).toBe(401);
      expect(await count('legacy_credential_used')).toBe(used + 3);
      expect(await count('legacy_credential_refused')).toBe(refused + 1);
      const [event] = await platform.database!.query<{ user_id: string; details: any }>(
        `SELECT user_id, details FROM auth.security_events
          WHERE type = 'legacy_credential_used' ORDER BY id DESC LIMIT 1`,
      );
      expect(event).toEqual({ user_id: serviceUser.id, details: { client: 'billing' } });
    });
  });
});
