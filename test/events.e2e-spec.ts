import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { newAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, shape } from './support/platform';

// Outside consumers subscribe on NATS; the embedded shape has no NATS server to watch.
const describeWithNats = shape === 'embedded' ? describe.skip : describe;

interface SeenEvent {
  subject: string;
  data: Record<string, unknown>;
  correlationId?: string;
  messageId?: string;
}

describeWithNats(`users events (${shape})`, () => {
  let platform: Platform;
  let nats: NatsConnection;
  let subscription: Subscription;
  const seen: SeenEvent[] = [];
  const created = () => seen.filter((event) => event.subject === 'users.user.created');

  beforeAll(async () => {
    platform = await Platform.start();
    nats = await platform.nats!.client();
    subscription = nats.subscribe('users.user.*', {
      callback: (_error, message) => {
        const envelope = message.json<{ data: Record<string, unknown> }>();
        seen.push({
          subject: message.subject,
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

  it('publishes users.user.created once per registration, with the request correlation id', async () => {
    const email = `event-${randomUUID()}@example.com`;
    const registered = await http(platform.baseUrl, 'POST', '/v1/auth/register', {
      json: { email, password: 'password-123', displayName: 'Evie' },
      headers: { 'x-correlation-id': 'register-evie' },
    });
    expect(registered.status).toBe(201);

    await eventually(() => created().some((event) => event.data.email === email));
    const events = created().filter((event) => event.data.email === email);
    expect(events).toEqual([
      {
        subject: 'users.user.created',
        data: registered.body,
        correlationId: 'register-evie',
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });

  it('publishes nothing for a refused registration', async () => {
    const email = `refused-${randomUUID()}@example.com`;
    await http(platform.baseUrl, 'POST', '/v1/auth/register', {
      json: { email, password: 'short' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen.filter((event) => event.data.email === email)).toEqual([]);
  });

  it('publishes users.user.updated with the profile as it now is', async () => {
    const user = await newAccount(platform.baseUrl, 'Before');
    const patched = await http(platform.baseUrl, 'PATCH', '/v1/users/me', {
      headers: { ...user.authorization, 'x-correlation-id': 'rename-user' },
      json: { displayName: 'After' },
    });
    expect(patched.status).toBe(200);
    const updated = () =>
      seen.filter((event) => event.subject === 'users.user.updated' && event.data.id === user.id);
    await eventually(() => updated().length > 0);
    expect(updated()).toEqual([
      {
        subject: 'users.user.updated',
        data: patched.body,
        correlationId: 'rename-user',
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });
});
