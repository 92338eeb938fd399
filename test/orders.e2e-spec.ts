import type { NatsConnection } from '@nats-io/transport-node';
import { newAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { decodeJwt } from './support/jwt';
import { isSplit, Platform, shape } from './support/platform';

const withNats = shape === 'embedded' ? describe.skip : describe;
// A monolith hands its own requests to its handlers without a NATS round trip (preferLocal):
// only between processes does orders' call to users cross NATS, where a tap can see it.
const acrossProcesses = isSplit() ? it : it.skip;
const ITEMS = [{ sku: 'BOOK-1', quantity: 2 }];

describe(`orders (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let alice: TestAccount;
  let bob: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    [alice, bob, admin] = await Promise.all([
      newAccount(baseUrl),
      newAccount(baseUrl),
      platform.admin(),
    ]);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const place = (account: TestAccount, json: unknown = { items: ITEMS }) =>
    http(baseUrl, 'POST', '/v1/orders', { headers: account.authorization, json });
  const read = (account: TestAccount, path: string) =>
    http(baseUrl, 'GET', path, { headers: account.authorization });

  it('places an order for the caller, with the email users has for them', async () => {
    const placed = await place(alice);
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual({
      id: expect.any(String),
      userId: alice.id,
      email: alice.email,
      items: ITEMS,
      createdAt: expect.any(String),
    });
    const again = await read(alice, `/v1/orders/${placed.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(placed.body);
  });

  it('hides one user’s order from another with 404, and shows it to an administrator', async () => {
    const { body: order } = await place(alice);
    const byBob = await read(bob, `/v1/orders/${order.id}`);
    expect(byBob.status).toBe(404);
    expect(byBob.body.code).toBe('NOT_FOUND');
    const unknown = await read(bob, '/v1/orders/7d0f4a4e-8c1b-4c53-9a57-0d3b5f0e2a11');
    expect(unknown.body).toMatchObject({ status: 404, code: byBob.body.code });
    expect((await read(admin, `/v1/orders/${order.id}`)).body.id).toBe(order.id);
  });

  it('lists only the caller’s orders, and everyone’s for an administrator asking for all', async () => {
    const mine = await place(bob);
    const page = await read(bob, '/v1/orders?limit=50');
    expect(page.status).toBe(200);
    expect(page.body.items.map((order: any) => order.userId)).toEqual(
      page.body.items.map(() => bob.id),
    );
    expect(page.body).toMatchObject({ total: page.body.items.length, limit: 50, offset: 0 });
    expect(page.body.items[0].id).toBe(mine.body.id);

    expect((await read(bob, '/v1/orders?all=true')).status).toBe(403);
    const all = await read(admin, '/v1/orders?all=true&limit=100');
    const owners = new Set(all.body.items.map((order: any) => order.userId));
    expect(owners).toEqual(new Set([alice.id, bob.id]));
  });

  it.each([
    ['no items', { items: [] }],
    ['101 items', { items: Array.from({ length: 101 }, () => ({ sku: 'A', quantity: 1 })) }],
    ['a zero quantity', { items: [{ sku: 'A', quantity: 0 }] }],
    ['a fractional quantity', { items: [{ sku: 'A', quantity: 1.5 }] }],
    ['a quantity as text', { items: [{ sku: 'A', quantity: '2' }] }],
    ['a bad sku', { items: [{ sku: 'no spaces', quantity: 1 }] }],
    ['an unknown field', { items: ITEMS, discount: 100 }],
    ['an item that is not an object', { items: ['BOOK-1'] }],
    ['an array body', [ITEMS]],
  ])('refuses %s with 400 and places nothing', async (_case, body) => {
    const before = (await read(alice, '/v1/orders?limit=1')).body.total;
    const refused = await place(alice, body);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect((await read(alice, '/v1/orders?limit=1')).body.total).toBe(before);
  });

  it.each([
    ['a malformed id', '/v1/orders/not-a-uuid'],
    ['a page size over 100', '/v1/orders?limit=1000'],
    ['all that is not a boolean', '/v1/orders?all=yes'],
    // PostgreSQL counts rows in a bigint: an offset past it is the caller's mistake, not a 500.
    ['an offset past what the database can count', '/v1/orders?offset=1e20'],
    ['an offset of 2^63', '/v1/orders?offset=9223372036854775808'],
  ])('refuses %s with 400', async (_case, path) => {
    const refused = await read(alice, path);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
  });

  it('needs orders:write to place and orders:read to read', async () => {
    const readOnly = await apiToken(alice, ['orders:read']);
    const placed = await http(baseUrl, 'POST', '/v1/orders', {
      headers: { authorization: `Bearer ${readOnly}` },
      json: { items: ITEMS },
    });
    expect(placed.status).toBe(403);
    expect(placed.body.code).toBe('INSUFFICIENT_SCOPE');
    const writeOnly = await apiToken(alice, ['orders:write', 'users:read']);
    const listed = await http(baseUrl, 'GET', '/v1/orders', {
      headers: { authorization: `Bearer ${writeOnly}` },
    });
    expect(listed.status).toBe(403);
    const placedWithToken = await http(baseUrl, 'POST', '/v1/orders', {
      headers: { authorization: `Bearer ${writeOnly}` },
      json: { items: ITEMS },
    });
    expect(placedWithToken.status).toBe(201);
    expect(placedWithToken.body.userId).toBe(alice.id);
  });

  async function apiToken(owner: TestAccount, scopes: string[]): Promise<string> {
    const created = await http(baseUrl, 'POST', '/v1/api-tokens', {
      headers: owner.authorization,
      json: { name: `orders-${scopes.join('-')}`, scopes },
    });
    expect(created.status).toBe(201);
    return created.body.token;
  }

  withNats('over NATS', () => {
    let nats: NatsConnection;

    beforeAll(async () => {
      nats = await platform.nats!.client();
    });

    afterAll(async () => {
      await nats?.close();
    });

    acrossProcesses(
      'calls users on the buyer’s behalf with a token for users alone that can only read',
      async () => {
        const seen: string[] = [];
        const subscription = nats.subscribe('users.user.get', {
          callback: (_error, message) => {
            const authorization = message.headers?.get('authorization');
            if (authorization) seen.push(authorization.slice('Bearer '.length));
          },
        });
        await nats.flush();
        const fresh = await newAccount(baseUrl);
        expect((await place(fresh)).status).toBe(201);
        await eventually(() => seen.some((token) => decodeJwt(token).payload.sub === fresh.id));
        subscription.unsubscribe();
        const delegated = seen
          .map((token) => decodeJwt(token).payload)
          .find((c) => c.sub === fresh.id);
        expect(delegated.aud).toEqual(['users']);
        expect(delegated.scope).toBe('users:read');
        expect(delegated.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 300);
      },
    );

    it('publishes orders.order.created once the order is committed', async () => {
      const events: any[] = [];
      const subscription = nats.subscribe('orders.order.created', {
        callback: (_error, message) => {
          events.push(message.json());
        },
      });
      await nats.flush();
      const placed = await place(bob);
      await eventually(() => events.some((event) => event.data?.id === placed.body.id));
      subscription.unsubscribe();
      expect(events.find((event) => event.data.id === placed.body.id).data).toEqual(placed.body);
    });

    it('answers a bad payload sent straight to NATS with a structured error', async () => {
      const headers = (await import('@nats-io/transport-node')).headers();
      headers.set('authorization', alice.authorization.authorization);
      const reply = await nats.request(
        'orders.order.create',
        JSON.stringify({ items: [{ sku: 'A', quantity: -1 }] }),
        { timeout: 3000, headers },
      );
      expect(reply.json<any>().err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const withoutToken = await nats.request('orders.order.get', JSON.stringify({ id: 'x' }), {
        timeout: 3000,
      });
      expect(withoutToken.json<any>().err).toMatchObject({ status: 401 });
    });
  });
});
