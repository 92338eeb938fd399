import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { type ConsumerConfig, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { newAccount, type TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { HardenedBus, type BusIdentityName } from './support/hardened-bus';
import { NatsServer } from './support/nats-server';
import { http } from './support/http';
import { decodeJwt } from './support/jwt';
import { Platform, SERVICE_CLIENT_SECRETS, shape } from './support/platform';
import { TcpLink } from './support/tcp-link';
import { accessTokenClaims, signJws, strangerKey } from './support/token-forge';

// The hardened bus is what this suite is about: it runs in the split-hardened shape only.
const describeHardened = shape === 'split-hardened' ? describe : describe.skip;

/** A connection and the permission errors the server sent it. */
interface Client {
  nc: NatsConnection;
  errors: string[];
}

async function clientAs(platform: Platform, identity: BusIdentityName): Promise<Client> {
  const nc = await platform.nats!.client(identity);
  const errors: string[] = [];
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'error') errors.push(String(status.error));
    }
  })();
  return { nc, errors };
}

/** Whether the server refused the subscription (it closes it with the violation). */
async function subscriptionRefused(client: Client, subject: string, queue?: string) {
  const subscription = client.nc.subscribe(subject, queue ? { queue } : {});
  await client.nc.flush();
  const outcome = await Promise.race([
    subscription.closed.then((error) => error),
    new Promise((done) => setTimeout(() => done('still open'), 2000)),
  ]);
  if (outcome === 'still open') subscription.unsubscribe();
  return outcome instanceof Error && /Permissions Violation for Subscription/.test(outcome.message);
}

/** Whether the server refused a message published on `subject`. */
async function publishRefused(client: Client, subject: string): Promise<boolean> {
  client.nc.publish(subject, JSON.stringify({ pattern: subject, data: {} }));
  await client.nc.flush();
  const refusal = `Permissions Violation for Publish to "${subject}"`;
  try {
    await eventually(() => client.errors.some((error) => error.includes(refusal)), 2000);
    return true;
  } catch {
    return false;
  }
}

/** A JetStream API answer, or `refused` when the server refused to let `client` publish it. */
type ApiAnswer = Record<string, any>;

async function jetStreamApi(client: Client, subject: string, body: unknown): Promise<ApiAnswer> {
  const refusal = `Permissions Violation for Publish to "${subject}"`;
  try {
    const reply = await client.nc.request(subject, JSON.stringify(body), { timeout: 2000 });
    return reply.json();
  } catch (error) {
    if (String(error).includes(refusal) || client.errors.some((e) => e.includes(refusal))) {
      return { refused: true };
    }
    throw error;
  }
}

/** What each identity must not do, refused by the server itself. */
const FORBIDDEN: {
  identity: BusIdentityName;
  subscribe: [subject: string, queue?: string][];
  publish: string[];
}[] = [
  {
    identity: 'users',
    // Read login requests (passwords), or answer as auth: with its key set, too.
    subscribe: [['auth.session.login'], ['auth.session.login', 'auth'], ['auth.jwks.get', 'auth']],
    // Emit auth's events: a key set of its choosing, revocations.
    publish: ['auth.keys.changed', 'auth.session.revoked', 'orders.order.created'],
  },
  {
    identity: 'orders',
    subscribe: [['users.user.get', 'users'], ['_INBOX_gateway.>'], ['users.user.disabled']],
    publish: [
      'users.user.disabled',
      'auth.session.login',
      // Take auth's durable consumer of disabled accounts, so auth never acts on them.
      '$JS.API.CONSUMER.MSG.NEXT.USERS_EVENTS.auth__users_user_disabled',
      '$JS.API.CONSUMER.DELETE.USERS_EVENTS.auth__users_user_disabled',
    ],
  },
  {
    identity: 'gateway',
    subscribe: [['auth.session.login', 'auth'], ['users.user.get', 'users'], ['_INBOX_auth.>']],
    publish: ['auth.subject.revoked', 'users.user.created', '$JS.API.STREAM.DELETE.AUTH_EVENTS'],
  },
  {
    identity: 'auth',
    subscribe: [['users.user.get', 'users'], ['_INBOX_users.>']],
    publish: ['users.user.disabled', 'users.user.set-roles', 'orders.order.create'],
  },
  {
    identity: 'events-reader',
    subscribe: [['auth.session.login'], ['users.user.get', 'users'], ['auth.keys.changed']],
    publish: [
      'auth.keys.changed',
      'users.user.get',
      '$JS.API.STREAM.DELETE.USERS_EVENTS',
      '$JS.API.CONSUMER.MSG.NEXT.USERS_EVENTS.auth__users_user_disabled',
    ],
  },
];

describeHardened('the hardened bus (split-hardened)', () => {
  let platform: Platform;
  let baseUrl: string;
  let observer: NatsConnection;
  const opened: NatsConnection[] = [];

  /** A request straight to a context over NATS, as any client with a bus identity sends one. */
  async function request(subject: string, payload: unknown, authorization?: string) {
    const headers = natsHeaders();
    if (authorization) headers.set('authorization', authorization);
    const reply = await observer.request(subject, JSON.stringify(payload), {
      timeout: 3000,
      headers,
    });
    return reply.json<{ response?: any; err?: any }>();
  }

  /** Whether every verifier (gateway, auth, users, orders) refuses `account`'s access token. */
  async function refusedEverywhere(account: TestAccount): Promise<boolean> {
    const authorization = account.authorization.authorization;
    const [gateway, users, orders, auth] = await Promise.all([
      http(baseUrl, 'GET', '/v1/users/me', { headers: account.authorization }),
      request('users.user.get', { id: account.id }, authorization),
      request('orders.order.list', {}, authorization),
      request('auth.api-token.list', {}, authorization),
    ]);
    return (
      gateway.status === 401 &&
      [users, orders, auth].every((reply) => reply.err?.code === 'INVALID_TOKEN')
    );
  }

  function revokeKey(kid: string): Promise<{ status: number | null; output: string }> {
    return new Promise((done) => {
      const child = spawn(
        process.execPath,
        [resolve(__dirname, '../dist/apps/platform/src/revoke-key.js'), kid],
        {
          env: {
            ...process.env,
            DATABASE_URL: platform.database!.url,
            KEY_ENCRYPTION_KEY: platform.keyEncryptionKey,
            NATS_URL: '',
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (status) => done({ status, output }));
    });
  }

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    observer = await platform.nats!.client();
  });

  afterAll(async () => {
    for (const connection of opened) await connection.close().catch(() => undefined);
    await observer?.close();
    await platform?.stop();
  });

  it('refuses an anonymous client, and one that does not speak TLS', async () => {
    const url = platform.nats!.url;
    const caFile = platform.nats!.bus!.caFile;
    await expect(connect({ servers: url, tls: { caFile }, timeout: 2000 })).rejects.toThrow(
      /Authorization Violation/,
    );
    await expect(
      connect({ servers: url.replace('tls://', 'nats://'), tls: null, timeout: 2000 }),
    ).rejects.toThrow();
  });

  it('stops a process whose identity the server refuses, or whose seed others may read, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-identities-'));
    const unknown = join(dir, 'unknown.nk');
    writeFileSync(unknown, new TextDecoder().decode(createUser().getSeed()), { mode: 0o600 });
    const shared = join(dir, 'shared.nk');
    copyFileSync(platform.nats!.bus!.seedFile('users'), shared);
    chmodSync(shared, 0o644);
    const start = (seedFile: string) =>
      spawnSync(process.execPath, [resolve(__dirname, '../dist/apps/platform/src/main.js')], {
        env: {
          ...process.env,
          SERVICES: 'users',
          PORT: '0',
          NATS_URL: platform.nats!.url,
          NATS_NKEY_SEED_FILE: seedFile,
          NATS_TLS_CA_FILE: platform.nats!.bus!.caFile,
          DATABASE_URL: platform.database!.url,
          SERVICE_CLIENT_SECRETS: JSON.stringify(SERVICE_CLIENT_SECRETS),
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const refused = start(unknown);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `Start-up failed: NATS at ${platform.nats!.url} refused the identity in NATS_NKEY_SEED_FILE ${unknown}: Authorization Violation`,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const readable = start(shared);
    expect(readable.status).toBe(1);
    expect(readable.stderr).toContain(
      `NATS_NKEY_SEED_FILE is open to its group or others (mode 0644): ${shared}`,
    );
  });

  it('stops a service whose stream or bucket the operator has not provisioned, saying how', async () => {
    // The same bus, its streams never provisioned: the services' identities cannot create them.
    const bare = await NatsServer.start(undefined, HardenedBus.create());
    try {
      const start = (service: 'users' | 'gateway') =>
        spawnSync(process.execPath, [resolve(__dirname, '../dist/apps/platform/src/main.js')], {
          env: {
            ...process.env,
            SERVICES: service,
            PORT: '0',
            NATS_URL: bare.url,
            ...bare.envOf(service),
            DATABASE_URL: platform.database!.url,
            SERVICE_CLIENT_SECRETS: JSON.stringify(SERVICE_CLIENT_SECRETS),
            LOG_LEVEL: 'silent',
          },
          encoding: 'utf8',
          timeout: 30_000,
        });
      const provision = "provision the bus with this release's npm run nats:provision";
      const users = start('users');
      expect(users.status).toBe(1);
      expect(users.stderr).toContain(
        `Start-up failed: The JetStream stream USERS_EVENTS does not exist: ${provision}`,
      );
      const gateway = start('gateway');
      expect(gateway.status).toBe(1);
      expect(gateway.stderr).toContain(
        `Start-up failed: The JetStream stream KV_gateway_rate_limits does not exist: ${provision}`,
      );
    } finally {
      await bare.stop();
    }
  });

  it.each(FORBIDDEN.map((entry) => [entry.identity, entry]))(
    'refuses %s what its context does not need, at the server',
    async (_identity, { identity, subscribe, publish }) => {
      const client = await clientAs(platform, identity);
      opened.push(client.nc);
      for (const [subject, queue] of subscribe) {
        expect({
          subject,
          queue,
          refused: await subscriptionRefused(client, subject, queue),
        }).toEqual({ subject, queue, refused: true });
      }
      for (const subject of publish) {
        expect({ subject, refused: await publishRefused(client, subject) }).toEqual({
          subject,
          refused: true,
        });
      }
    },
  );

  it('lets no service change a stream or a bucket, and none create its own stream', async () => {
    // Any request through the gateway has the bucket opened, wherever it is made.
    await http(baseUrl, 'GET', '/v1/users/me');
    const streams: [BusIdentityName, string][] = [
      ['auth', 'AUTH_EVENTS'],
      ['users', 'USERS_EVENTS'],
      ['orders', 'ORDERS_EVENTS'],
      ['gateway', 'KV_gateway_rate_limits'],
    ];
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    for (const [identity, stream] of streams) {
      const client = await clientAs(platform, identity);
      opened.push(client.nc);
      const before = (await jsm.streams.info(stream)).config;
      // Requests of other contexts and another identity's replies: no stream holds them.
      const widened = {
        ...before,
        subjects: [...before.subjects!, 'auth.session.login', '_INBOX_gateway.>'],
      };
      for (const verb of ['UPDATE', 'CREATE']) {
        expect({
          identity,
          verb,
          answer: await jetStreamApi(client, `$JS.API.STREAM.${verb}.${stream}`, widened),
        }).toEqual({ identity, verb, answer: { refused: true } });
      }
      expect((await jsm.streams.info(stream)).config.subjects).toEqual(before.subjects);
    }
  });

  it('lets a service create consumers of its streams only filtered on the events it uses', async () => {
    const users = await clientAs(platform, 'users');
    opened.push(users.nc);
    const stream = 'USERS_EVENTS';
    // A durable name of users' own that no handler uses (its handler runs in every process).
    const durable = 'users__users_user_updated';
    const config = { ack_policy: 'explicit', deliver_policy: 'all' };
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    try {
      // The legacy form takes no filter from its subject: it would read the whole stream.
      expect(
        await jetStreamApi(users, `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`, {
          stream_name: stream,
          config: { ...config, durable_name: durable },
        }),
      ).toEqual({ refused: true });
      // The filtered form: the server holds the consumer to the filter its subject names.
      const unfiltered = await jetStreamApi(
        users,
        `$JS.API.CONSUMER.CREATE.${stream}.${durable}.users.user.updated`,
        { stream_name: stream, config: { ...config, durable_name: durable } },
      );
      expect(unfiltered.refused).toBeUndefined();
      expect(unfiltered.error).toBeDefined();
      expect(unfiltered.config).toBeUndefined();
      // Nor a filter on an event it does not use.
      expect(
        await jetStreamApi(
          users,
          `$JS.API.CONSUMER.CREATE.${stream}.${durable}.users.user.created`,
          {
            stream_name: stream,
            config: { ...config, durable_name: durable, filter_subject: 'users.user.created' },
          },
        ),
      ).toEqual({ refused: true });
    } finally {
      await jsm.consumers.delete(stream, durable).catch(() => undefined);
    }
  });

  it('lets no service read another context’s requests or replies through a stream', async () => {
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    const users = await clientAs(platform, 'users');
    const gateway = await clientAs(platform, 'gateway');
    opened.push(users.nc, gateway.nc);
    await http(baseUrl, 'GET', '/v1/users/me');
    const usersStream = (await jsm.streams.info('USERS_EVENTS')).config;
    const bucket = (await jsm.streams.info('KV_gateway_rate_limits')).config;
    const seen: string[] = [];
    const inbox = `_INBOX_users.capture${Date.now()}`;
    users.nc.subscribe(inbox, {
      callback: (_error, message) => {
        seen.push(message.subject);
      },
    });
    // A durable name of users' own that no handler uses (its handler runs in every process).
    const durable = 'users__users_user_updated';
    try {
      // users widens its stream to the login requests and the gateway's replies, and reads the
      // stream through its durable with no filter; the gateway widens its bucket to auth's
      // requests to users.
      await jetStreamApi(users, '$JS.API.STREAM.UPDATE.USERS_EVENTS', {
        ...usersStream,
        subjects: [...usersStream.subjects!, 'auth.session.login', '_INBOX_gateway.>'],
        no_ack: true,
      });
      await jetStreamApi(users, `$JS.API.CONSUMER.DURABLE.CREATE.USERS_EVENTS.${durable}`, {
        stream_name: 'USERS_EVENTS',
        config: { durable_name: durable, deliver_subject: inbox, ack_policy: 'none' },
      });
      await jetStreamApi(gateway, '$JS.API.STREAM.UPDATE.KV_gateway_rate_limits', {
        ...bucket,
        subjects: [...bucket.subjects!, 'users.user.create'],
        no_ack: true,
      });
      const before = (await jsm.streams.info('KV_gateway_rate_limits')).state.last_seq;

      // A registration (auth asks users to create the profile) and a login through the gateway.
      const account = await newAccount(baseUrl).catch((error: unknown) => error);
      await new Promise((done) => setTimeout(done, 500));

      expect(seen.filter((subject) => !subject.startsWith('users.'))).toEqual([]);
      const captured: string[] = [];
      const after = (await jsm.streams.info('KV_gateway_rate_limits')).state.last_seq;
      for (let seq = before + 1; seq <= after; seq++) {
        const message = await jsm.streams.getMessage('KV_gateway_rate_limits', { seq });
        if (message && !message.subject.startsWith('$KV.')) captured.push(message.subject);
      }
      expect(captured).toEqual([]);
      // And the traffic flowed as ever.
      expect(account).toMatchObject({ accessToken: expect.any(String) });
    } finally {
      // Put back whatever the attempts changed, so a failure here leaves the bus as it was.
      await jsm.consumers.delete('USERS_EVENTS', durable).catch(() => undefined);
      await jsm.streams.update('USERS_EVENTS', usersStream).catch(() => undefined);
      await jsm.streams.update('KV_gateway_rate_limits', bucket).catch(() => undefined);
    }
  });

  it('lets no identity delete the consumers through which the verifiers hear revocations and keys', async () => {
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    // Every process's own (ordered) consumers: deleted, a verifier hears nothing until its
    // heartbeat check notices, and one deleted over and over keeps a revoked token working.
    const ordered = new Map<string, ConsumerConfig>();
    for await (const consumer of jsm.consumers.list('AUTH_EVENTS')) {
      if (!consumer.config.durable_name) ordered.set(consumer.name, consumer.config);
    }
    expect(ordered.size).toBeGreaterThanOrEqual(4);
    for (const identity of ['events-reader', 'orders', 'users'] as const) {
      const attacker = await clientAs(platform, identity);
      opened.push(attacker.nc);
      for (const [name, config] of ordered) {
        expect({
          identity,
          answer: await jetStreamApi(attacker, `$JS.API.CONSUMER.DELETE.AUTH_EVENTS.${name}`, {}),
        }).toEqual({ identity, answer: { refused: true } });
        // Nor point one at an inbox of its own, where the events would go instead.
        const subject = config.filter_subject!;
        const diverted = await jetStreamApi(
          attacker,
          `$JS.API.CONSUMER.CREATE.AUTH_EVENTS.${name}.${subject}`,
          {
            stream_name: 'AUTH_EVENTS',
            config: { ...config, deliver_subject: `_INBOX_${identity}.diverted` },
          },
        );
        expect(diverted.config?.deliver_subject).not.toBe(`_INBOX_${identity}.diverted`);
      }
    }
    for (const [name, config] of ordered) {
      expect((await jsm.consumers.info('AUTH_EVENTS', name)).config.deliver_subject).toBe(
        config.deliver_subject,
      );
    }
  });

  it('lets the events reader read every event stream through consumers of its own', async () => {
    const reader = await clientAs(platform, 'events-reader');
    opened.push(reader.nc);
    const jsm = await jetstreamManager(reader.nc, { checkAPI: false });
    expect((await jsm.streams.info('AUTH_EVENTS')).state.messages).toBeGreaterThan(0);
    const consumer = await jetstream(reader.nc).consumers.getPushConsumer('AUTH_EVENTS', {
      filter_subjects: 'auth.keys.changed',
    });
    const messages = await consumer.consume();
    for await (const message of messages) {
      expect(message.subject).toBe('auth.keys.changed');
      break;
    }
    await messages.close();
    expect(reader.errors).toEqual([]);
  });

  it('never uses a key set forged on the bus, even by a verifier that starts meanwhile', async () => {
    const stranger = strangerKey();
    const forgedJwk = {
      ...stranger.privateKey.export({ format: 'jwk' }),
      d: undefined,
      p: undefined,
      q: undefined,
      dp: undefined,
      dq: undefined,
      qi: undefined,
      kid: stranger.kid,
      alg: 'RS256',
      use: 'sig',
    };
    // A compromised orders service tries both ways to hand verifiers its key.
    const attacker = await clientAs(platform, 'orders');
    opened.push(attacker.nc);
    expect(await subscriptionRefused(attacker, 'auth.jwks.get', 'auth')).toBe(true);
    expect(await publishRefused(attacker, 'auth.keys.changed')).toBe(true);
    attacker.nc.publish(
      'auth.keys.changed',
      JSON.stringify({ pattern: 'auth.keys.changed', data: { keys: [forgedJwk] } }),
    );
    await platform.service('users').stop();
    await platform.service('users').start();

    const admin = await platform.admin();
    const forged = signJws(
      { alg: 'RS256', typ: 'at+jwt', kid: stranger.kid },
      { ...accessTokenClaims(admin.id, ['gateway', 'users']), roles: ['admin'] },
      stranger.privateKey,
    );
    const listed = await http(baseUrl, 'GET', '/v1/users', {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(listed.status).toBe(401);
    expect((await request('users.user.list', {}, `Bearer ${forged}`)).err).toMatchObject({
      status: 401,
    });
    expect((await http(baseUrl, 'GET', '/v1/users', { headers: admin.authorization })).status).toBe(
      200,
    );
  });

  /** Whether `account` still works: it logs in, and its access token is honoured. */
  async function stillActive(account: TestAccount): Promise<boolean> {
    const login = await http(baseUrl, 'POST', '/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    const disabled = await http(
      baseUrl,
      'GET',
      `/v1/admin/security-events?user=${account.id}&type=account_disabled`,
      { headers: (await platform.admin()).authorization },
    );
    const me = await http(baseUrl, 'GET', '/v1/users/me', { headers: account.authorization });
    const profile = await request(
      'users.user.get',
      { id: account.id },
      account.authorization.authorization,
    );
    return (
      login.status === 200 &&
      disabled.body.items?.length === 0 &&
      me.status === 200 &&
      profile.response?.id === account.id
    );
  }

  /** The last message on `subject` in `stream` (`''` if none), as any reader of it sees it. */
  async function lastStored(stream: string, subject: string): Promise<string> {
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    const message = await jsm.streams
      .getMessage(stream, { last_by_subj: subject })
      .catch(() => null);
    return message?.string() ?? '';
  }

  it('publishes no reply on a reply subject that is not an inbox: a context cannot make another disable an account', async () => {
    const victim = await newAccount(baseUrl);
    const marker = `reply-injection-${Date.now()}`;
    // Orders may ask users for a profile: its reply subject names users' own event, its id the
    // victim, so an error reply would be `{"err":…,"id":"<victim>"}` on users.user.disabled.
    const orders = await clientAs(platform, 'orders');
    const gateway = await clientAs(platform, 'gateway');
    opened.push(orders.nc, gateway.nc);
    orders.nc.publish(
      'users.user.get',
      JSON.stringify({ pattern: 'users.user.get', data: {}, id: victim.id }),
      { reply: 'users.user.disabled' },
    );
    // The gateway, through users' reply permission, onto another context's event.
    gateway.nc.publish(
      'users.user.get',
      JSON.stringify({ pattern: 'users.user.get', data: {}, id: marker }),
      { reply: 'auth.client.changed' },
    );
    await Promise.all([orders.nc.flush(), gateway.nc.flush()]);
    await new Promise((done) => setTimeout(done, 1500));

    expect(await lastStored('USERS_EVENTS', 'users.user.disabled')).not.toContain(victim.id);
    expect(await lastStored('AUTH_EVENTS', 'auth.client.changed')).not.toContain(marker);
    expect(await stillActive(victim)).toBe(true);
  });

  it('acts on no message in an event stream that its outbox did not publish', async () => {
    const victim = await newAccount(baseUrl);
    // The observer may publish anything: messages in the stream that are not outbox events.
    const messages = [
      // A reply, as one onto users.user.disabled would have been stored.
      {
        err: { status: 401, code: 'INVALID_TOKEN', message: 'x' },
        isDisposed: true,
        id: victim.id,
      },
      // A plain payload, and the envelope without the outbox id as its message id.
      { id: victim.id },
      { pattern: 'users.user.disabled', data: { id: victim.id } },
    ];
    for (const message of messages) {
      observer.publish('users.user.disabled', JSON.stringify(message));
    }
    // An event as the outbox writes it, but with more in it than its contract says.
    const outboxId = natsHeaders();
    outboxId.set('Nats-Msg-Id', randomUUID());
    observer.publish(
      'users.user.disabled',
      JSON.stringify({ pattern: 'users.user.disabled', data: { id: victim.id, isDisposed: true } }),
      { headers: outboxId },
    );
    await observer.flush();
    await new Promise((done) => setTimeout(done, 1500));
    expect(await lastStored('USERS_EVENTS', 'users.user.disabled')).toContain(victim.id);
    expect(await stillActive(victim)).toBe(true);
  });

  it('has a verifier that reconnects refuse a session revoked while it was cut off', async () => {
    const link = await TcpLink.to(platform.nats!.url);
    try {
      const users = platform.service('users');
      users.configure({ NATS_URL: link.url('tls') });
      await users.stop();
      await users.start();
      const account = await newAccount(baseUrl);
      const authorization = account.authorization.authorization;
      expect(
        (await request('users.user.get', { id: account.id }, authorization)).response,
      ).toMatchObject({ id: account.id });

      await link.cut();
      const logout = await http(baseUrl, 'POST', '/v1/auth/logout', {
        headers: account.authorization,
      });
      expect(logout.status).toBe(204);
      await new Promise((done) => setTimeout(done, 500));
      await link.restore();
      await eventually(
        async () =>
          (
            await request('users.user.get', { id: account.id }, authorization).catch(() => ({
              err: undefined,
            }))
          ).err?.code === 'INVALID_TOKEN',
        15_000,
        200,
      );
    } finally {
      platform.service('users').configure({ NATS_URL: platform.nats!.url });
      await platform.service('users').stop();
      await platform.service('users').start();
      await link.close();
    }
  });

  it('disables an account while auth is down; when auth is back it acts on it, and nothing of the account works', async () => {
    const admin = await platform.admin();
    const account = await newAccount(baseUrl);
    await platform.service('auth').stop();
    const disabled = await http(baseUrl, 'POST', `/v1/users/${account.id}/disable`, {
      headers: admin.authorization,
    });
    expect(disabled.status).toBe(204);
    await platform.service('auth').start();

    // Auth missed the event while it was down; its durable consumer hands it over now.
    await eventually(
      async () =>
        (
          await http(
            baseUrl,
            'GET',
            `/v1/admin/security-events?user=${account.id}&type=account_disabled`,
            { headers: (await platform.admin()).authorization },
          )
        ).body.items?.length === 1,
      15_000,
      200,
    );
    const login = await http(baseUrl, 'POST', '/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(login.status).not.toBe(200);
    const refresh = await http(baseUrl, 'POST', '/v1/auth/refresh', {
      json: { refresh_token: account.refreshToken },
    });
    expect(refresh.status).not.toBe(200);
    expect(await refusedEverywhere(account)).toBe(true);
  });

  it('has keys:revoke take effect at every verifier within a second', async () => {
    const account = await newAccount(baseUrl);
    expect(await refusedEverywhere(account)).toBe(false);
    const { kid } = decodeJwt(account.accessToken).header;
    // An API token the gateway resolved before: its internal token is signed by the same key.
    const created = await http(baseUrl, 'POST', '/v1/api-tokens', {
      headers: account.authorization,
      json: { name: 'before-revoke', scopes: ['users:read'] },
    });
    const apiToken = { authorization: `Bearer ${created.body.token}` };
    expect((await http(baseUrl, 'GET', '/v1/users/me', { headers: apiToken })).status).toBe(200);
    const revoked = await revokeKey(kid);
    expect(revoked).toMatchObject({ status: 0 });
    await eventually(() => refusedEverywhere(account), 1000, 50);
    // The API token itself is no JWT: it keeps working, through a newly signed internal token.
    expect((await http(baseUrl, 'GET', '/v1/users/me', { headers: apiToken })).status).toBe(200);
    // The next key signs: the platform carries on.
    const after = await newAccount(baseUrl);
    expect(decodeJwt(after.accessToken).header.kid).not.toBe(kid);
    expect(await refusedEverywhere(after)).toBe(false);
  });

  it('delivers an event written while NATS was down once it is back', async () => {
    const account = await newAccount(baseUrl);
    const { kid } = decodeJwt(account.accessToken).header;
    await platform.nats!.pause();
    try {
      // The withdrawal commits to auth's outbox with the bus away.
      expect(await revokeKey(kid)).toMatchObject({ status: 0 });
    } finally {
      await platform.nats!.resume();
    }
    await eventually(() => refusedEverywhere(account).catch(() => false), 20_000, 200);
  });
});
