import { randomUUID } from 'node:crypto';
import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

// Outside consumers subscribe on NATS; the embedded shape has no NATS server to watch.
const describeWithNats = shape === 'embedded' ? describe.skip : describe;

describeWithNats(`users.user.created (${shape})`, () => {
  let platform: Platform;
  let nats: NatsConnection;
  let subscription: Subscription;
  const seen: { data: Record<string, unknown>; correlationId?: string; messageId?: string }[] = [];

  beforeAll(async () => {
    platform = await Platform.start();
    nats = await connect({ servers: platform.nats!.url });
    subscription = nats.subscribe('users.user.created', {
      callback: (_error, message) => {
        const envelope = message.json<{ data: Record<string, unknown> }>();
        seen.push({
          data: envelope.data,
          correlationId: message.headers?.get('x-correlation-id'),
          messageId: message.headers?.get('Nats-Msg-Id'),
        });
      },
    });
    await nats.flush();
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await nats?.close();
    await platform?.stop();
  });

  it('is published once per registration, with the request correlation id', async () => {
    const email = `event-${randomUUID()}@example.com`;
    const created = await http(platform.baseUrl, 'POST', '/v1/auth/register', {
      json: { email, password: 'password-123', displayName: 'Evie' },
      headers: { 'x-correlation-id': 'register-evie' },
    });
    expect(created.status).toBe(201);

    const deadline = Date.now() + 5000;
    while (!seen.some((event) => event.data.email === email) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const events = seen.filter((event) => event.data.email === email);
    expect(events).toEqual([
      {
        data: created.body,
        correlationId: 'register-evie',
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });

  it('is not published for a refused registration', async () => {
    const email = `refused-${randomUUID()}@example.com`;
    await http(platform.baseUrl, 'POST', '/v1/auth/register', {
      json: { email, password: 'short' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen.filter((event) => event.data.email === email)).toEqual([]);
  });
});
