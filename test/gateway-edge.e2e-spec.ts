import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { newAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, isSplit, shape } from './support/platform';
import type { PlatformProcess } from './support/platform-process';

/** Sends `request` as it is on a new connection; everything the server wrote until it closed. */
async function rawExchange(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.end(request);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const withNats = shape === 'embedded' ? describe.skip : describe;
const ORDERS_WINDOW_SECONDS = 3;

describe(`the gateway edge (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let user: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start(shape, {
      LOG_LEVEL: 'info',
      TRUSTED_PROXIES: '127.0.0.1',
      CORS_ORIGINS: 'https://app.example.com',
      RATE_LIMIT_ROUTES: JSON.stringify({
        'GET /v1/orders': { principal: 5, windowSeconds: ORDERS_WINDOW_SECONDS },
        'GET /.well-known/jwks.json': { address: 3, windowSeconds: 600 },
        'GET /v1/users/me': { principal: 8, windowSeconds: 600 },
      }),
    });
    baseUrl = platform.baseUrl;
    user = await newAccount(baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const listOrders = (account: TestAccount, url = baseUrl) =>
    http(url, 'GET', '/v1/orders', { headers: account.authorization });

  describe('rate limits', () => {
    it('refuses the principal past its limit with 429, Retry-After and RateLimit headers, then recovers', async () => {
      const account = await newAccount(baseUrl);
      // Start early in a window, so the requests below all fall in the same one.
      const intoWindow = Date.now() % (ORDERS_WINDOW_SECONDS * 1000);
      if (intoWindow > 1000) await sleep(ORDERS_WINDOW_SECONDS * 1000 - intoWindow + 50);
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await listOrders(account));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expect(answers[0].headers.get('ratelimit-limit')).toBe('5');
      expect(answers[0].headers.get('ratelimit-remaining')).toBe('4');
      expect(answers[0].headers.get('ratelimit-policy')).toBe(`5;w=${ORDERS_WINDOW_SECONDS}`);
      const refused = answers[5];
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(ORDERS_WINDOW_SECONDS);
      // Another principal has its own allowance.
      expect((await listOrders(user)).status).toBe(200);
      await sleep(retryAfter * 1000);
      expect((await listOrders(account)).status).toBe(200);
    });

    it('limits per client address, taking it from X-Forwarded-For only from a trusted proxy', async () => {
      const jwks = (forwardedFor: string) =>
        http(baseUrl, 'GET', '/.well-known/jwks.json', {
          headers: { 'x-forwarded-for': forwardedFor },
        });
      for (let i = 0; i < 3; i++) expect((await jwks('203.0.113.7')).status).toBe(200);
      const refused = await jwks('203.0.113.7');
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect((await jwks('198.51.100.9')).status).toBe(200);
      // A client cannot choose its address by sending X-Forwarded-For through the proxy: the
      // proxy appends the address it saw, and that is the one that counts.
      expect((await jwks('198.51.100.77, 203.0.113.7')).status).toBe(429);
    });

    it('counts an IPv6 client by its /64, and a mapped IPv4 address as the address', async () => {
      const jwks = (forwardedFor: string) =>
        http(baseUrl, 'GET', '/.well-known/jwks.json', {
          headers: { 'x-forwarded-for': forwardedFor },
        });
      // Every address of a /64 is the one subscriber's to rotate through (RFC 6177).
      const statuses = [];
      for (const address of ['2001:db8:5:1::1', '2001:db8:5:1::2', '2001:db8:5:1:ffff::3']) {
        statuses.push((await jwks(address)).status);
      }
      expect(statuses).toEqual([200, 200, 200]);
      expect((await jwks('2001:db8:5:1::4')).status).toBe(429);
      expect((await jwks('2001:db8:5:2::1')).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await jwks('203.0.113.8')).status).toBe(200);
      expect((await jwks('::ffff:203.0.113.8')).status).toBe(429);
    });

    withNats('with two gateway replicas', () => {
      let replica: PlatformProcess;

      beforeAll(async () => {
        replica = await platform.startReplica('gateway');
      });

      it('holds one limit across both, sharing the counters through JetStream', async () => {
        const account = await newAccount(baseUrl);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          const url = i % 2 === 0 ? baseUrl : replica.url;
          statuses.push(
            (await http(url, 'GET', '/v1/users/me', { headers: account.authorization })).status,
          );
        }
        expect(statuses.filter((status) => status === 200)).toHaveLength(8);
        expect(statuses.slice(8)).toEqual([429, 429, 429, 429]);
      });
    });
  });

  describe('headers', () => {
    it('sends the security headers on every answer', async () => {
      for (const path of ['/v1/users/me', '/health/live']) {
        const answer = await http(baseUrl, 'GET', path);
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
        expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      }
    });

    it('answers CORS preflights for the configured origins only', async () => {
      const preflight = (origin: string) =>
        http(baseUrl, 'OPTIONS', '/v1/orders', {
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
      const other = await preflight('https://evil.example.com');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const read = await http(baseUrl, 'GET', '/v1/users/me', {
        headers: { ...user.authorization, origin: 'https://app.example.com' },
      });
      expect(read.headers.get('access-control-expose-headers')).toContain('ratelimit-remaining');
    });
  });

  describe('requests refused before any handler', () => {
    const SECURITY_HEADERS = ['x-content-type-options', 'x-frame-options', 'referrer-policy'];

    /** Every process of the deployment still answers its liveness probe. */
    async function everyProcessLives(): Promise<void> {
      for (const name of ['gateway', 'auth', 'users']) {
        expect((await http(platform.service(name).url, 'GET', '/health/live')).status).toBe(200);
      }
    }

    // Deep enough that anything walking it by recursion (validation, JSON.stringify on the way
    // to the next hop) runs out of stack.
    const deepBody = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;

    it.each([
      ['a hosted page', 'POST', '/oauth2/login', false],
      ['the hosted authorization endpoint', 'POST', '/oauth2/authorize', false],
      ['a validated route', 'POST', '/v1/auth/register', false],
      ['the login route', 'POST', '/v1/auth/login', false],
      ['the refresh route', 'POST', '/v1/auth/refresh', false],
      ['a validated route behind a token', 'PATCH', '/v1/users/me', true],
      ['the client registry, whose metadata auth validates', 'POST', '/v1/admin/clients', true],
      ['a client update', 'PATCH', '/v1/admin/clients/identity-platform', true],
    ])(
      'refuses a JSON body nested thousands deep on %s with 400, and every process lives',
      async (_case, method, path, authenticated) => {
        const answer = await http(baseUrl, method, path, {
          body: deepBody,
          headers: {
            'content-type': 'application/json',
            ...(authenticated ? user.authorization : {}),
          },
        });
        expect(answer.status).toBe(400);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
        await everyProcessLives();
      },
    );

    it('takes a body nested as deep as the contracts allow, and refuses one level more', async () => {
      const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
      const register = (extra: string) =>
        http(baseUrl, 'POST', '/v1/auth/register', {
          body: `{"email":"nested@example.com","password":"password-123","extra":${extra}}`,
          headers: { 'content-type': 'application/json' },
        });
      // One level is the body itself: the unknown property is the validation's to refuse.
      const allowed = await register(nested(31));
      expect(allowed.status).toBe(400);
      expect(allowed.body.code).toBe('VALIDATION_FAILED');
      const refused = await register(nested(32));
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('MALFORMED_REQUEST');
    });

    it.each(['/oauth2/login', '/oauth2/authorize', '/oauth2/consent', '/oauth2/logout'])(
      'takes only a form, as a browser posts it, on %s: JSON is 415',
      async (path) => {
        const answer = await http(baseUrl, 'POST', path, { json: { email: 'a@example.com' } });
        expect(answer.status).toBe(415);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      },
    );

    it.each([
      ['a URL that does not decode', '/v1/users/%E0%A4%A', 'MALFORMED_REQUEST'],
      ['a path parameter past its length', `/v1/users/${'x'.repeat(600)}`, 'REQUEST_REJECTED'],
    ])('answers %s as problem+json with the headers of every answer', async (_case, path, code) => {
      const answer = await http(baseUrl, 'GET', path, {
        headers: { 'x-correlation-id': 'edge-bad-url' },
      });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({
        type: 'about:blank',
        status: 400,
        code,
        correlationId: 'edge-bad-url',
      });
      expect(answer.body.detail).not.toContain('xxxx');
      expect(answer.headers.get('x-correlation-id')).toBe('edge-bad-url');
      for (const header of SECURITY_HEADERS) expect(answer.headers.get(header)).not.toBeNull();
    });

    it('answers headers past the size limit as problem+json with the headers of every answer', async () => {
      // Past Node's 16 KiB, so the HTTP parser refuses it before there is a request.
      const raw = await rawExchange(
        baseUrl,
        `GET /v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      const [head, body] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(head).toMatch(/\r\nx-correlation-id: [0-9a-f-]{36}\r\n/i);
      for (const header of SECURITY_HEADERS)
        expect(head.toLowerCase()).toContain(`\r\n${header}: `);
      expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
      await everyProcessLives();
    });
  });

  describe('a service that is slow or absent', () => {
    // A test can slow the orders context down only where its database is one a test can lock.
    (shape === 'embedded' ? it.skip : it)(
      'answers 504 once the service has not answered in time, never hanging',
      async () => {
        // Listing reads the database every time (a single order may come from a cache).
        const account = await newAccount(baseUrl);
        const locker = new Client({ connectionString: platform.database!.url });
        await locker.connect();
        try {
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE orders.orders IN ACCESS EXCLUSIVE MODE');
          const started = Date.now();
          const slow = await listOrders(account);
          expect(slow.status).toBe(504);
          expect(slow.body.code).toBe('SERVICE_TIMEOUT');
          expect(slow.headers.get('retry-after')).toBe('1');
          // REQUEST_TIMEOUT_MS is 2000 in the test deployments.
          expect(Date.now() - started).toBeLessThan(4000);
        } finally {
          await locker.query('ROLLBACK');
          await locker.end();
        }
        await eventually(async () => (await listOrders(account)).status === 200);
      },
    );

    (isSplit() ? it : it.skip)(
      'answers 503 at once while the orders process is stopped, and serves once it is back',
      async () => {
        await platform.service('orders').stop();
        const started = Date.now();
        const down = await listOrders(user);
        expect(down.status).toBe(503);
        expect(down.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(Date.now() - started).toBeLessThan(2000);
        await platform.service('orders').start();
        await eventually(async () => (await listOrders(user)).status === 200, 10_000, 200);
      },
    );
  });

  describe('documents and metrics', () => {
    it('serves the OpenAPI 3.1 document with the public contract’s routes, and its UI', async () => {
      const { status, body: document } = await http(baseUrl, 'GET', '/docs-json');
      expect(status).toBe(200);
      expect(document.openapi).toBe('3.1.0');
      const operations = Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          'POST /v1/auth/register',
          'POST /v1/auth/login',
          'POST /v1/auth/refresh',
          'POST /v1/auth/logout',
          'GET /.well-known/openid-configuration',
          'GET /v1/users/me',
          'PATCH /v1/users/me',
          'GET /v1/users/{id}',
          'GET /v1/users',
          'POST /v1/orders',
          'GET /v1/orders',
          'GET /v1/orders/{id}',
          'POST /v1/api-tokens',
          'GET /v1/api-tokens',
          'DELETE /v1/api-tokens/{id}',
          'GET /health/live',
          'GET /health/ready',
          'GET /metrics',
        ]),
      );
      for (const [path, item] of Object.entries(document.paths) as [string, any][]) {
        for (const [method, operation] of Object.entries(item) as [string, any][]) {
          const statuses = Object.keys(operation.responses);
          // A success: 2xx, or for the browser's forms the 303 that follows every POST.
          const expected = [
            expect.stringMatching(/^(2|303$)/),
            ...(path.startsWith('/v1/') ? ['429', '503', '504'] : []),
          ];
          expect({ path, method, statuses }).toEqual({
            path,
            method,
            statuses: expect.arrayContaining(expected),
          });
        }
      }
      const create = document.paths['/v1/orders'].post;
      expect(create.requestBody.content['application/json'].schema.$ref).toBe(
        '#/components/schemas/CreateOrderDto',
      );
      expect(create.responses['201'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/OrderView',
      );
      expect(create.responses['429'].content['application/problem+json']).toBeDefined();
      expect(create.security).toEqual([
        { bearer: [] },
        { 'api-token': [] },
        { 'legacy-basic': [] },
      ]);
      const items = document.components.schemas.CreateOrderDto.properties.items;
      expect(items).toMatchObject({ type: 'array', minItems: 1, maxItems: 100 });
      expect(document.paths['/v1/auth/login'].post.security).toBeUndefined();
      const ui = await http(baseUrl, 'GET', '/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');
    });

    it('counts in /metrics, on every process, what the suite did', async () => {
      const metrics = async (service: string) =>
        (await http(platform.service(service).url, 'GET', '/metrics')).body as string;
      const gateway = await metrics('gateway');
      expect(gateway).toMatch(
        /^http_request_duration_seconds_count\{method="GET",route="\/v1\/orders",status="429"\} [1-9]/m,
      );
      expect(gateway).toMatch(
        /^gateway_rate_limit_rejections_total\{dimension="principal"\} [1-9]/m,
      );
      expect(gateway).toMatch(/^gateway_rate_limit_rejections_total\{dimension="address"\} [1-9]/m);
      expect(gateway).toMatch(/^token_verifier_memo_total\{result="hit"\} [1-9]/m);
      expect(await metrics('orders')).toMatch(
        /^message_handled_duration_seconds_count\{subject="orders\.order\.list",outcome="ok"\} [1-9]/m,
      );
      const auth = await metrics('auth');
      expect(auth).toMatch(/^tokens_issued_total\{grant="password"\} [1-9]/m);
      expect(auth).toMatch(/^outbox_pending_events\{context="auth"\} \d/m);
    });

    it('writes one request line with route, principal and client, and no credential', async () => {
      const answer = await http(baseUrl, 'GET', '/v1/users/me?token=secret-in-query', {
        headers: { ...user.authorization, 'x-correlation-id': 'edge-request-line' },
      });
      expect(answer.status).toBe(200);
      const line = () =>
        platform
          .service('gateway')
          .logs()
          .split('\n')
          .filter((text) => text.startsWith('{'))
          .map((text) => JSON.parse(text))
          .find((entry) => entry.correlationId === 'edge-request-line' && entry.statusCode);
      await eventually(() => line() !== undefined);
      expect(line()).toMatchObject({
        msg: 'request completed',
        method: 'GET',
        route: '/v1/users/me',
        url: '/v1/users/me',
        statusCode: 200,
        principal: user.id,
        client: 'identity-platform',
        responseTime: expect.any(Number),
      });
      expect(platform.service('gateway').logs()).not.toContain('secret-in-query');
      expect(platform.service('gateway').logs()).not.toContain(user.accessToken);
    });
  });
});
