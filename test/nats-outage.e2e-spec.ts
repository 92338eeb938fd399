import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { http } from './support/http';
import { NatsServer } from './support/nats-server';
import { PlatformProcess } from './support/platform-process';
import { shape } from './support/platform';
import { ScratchDatabase } from './support/scratch-database';

// Needs PostgreSQL and nats-server; runs with the NATS shapes.
const describeWithNats = shape === 'embedded' ? describe.skip : describe;

describeWithNats('NATS outages', () => {
  let database: ScratchDatabase;
  let platform: PlatformProcess;
  let nats: NatsServer | undefined;
  let natsPort: number;

  beforeAll(async () => {
    database = await ScratchDatabase.create();
    natsPort = await freePort();
    platform = new PlatformProcess('all', await freePort(), {
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      REQUEST_TIMEOUT_MS: '2000',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-outage-')),
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await nats?.stop();
    await database?.drop();
  });

  it('starts without NATS, reports not ready, and becomes ready once NATS appears', async () => {
    await platform.start({ waitUntilReady: false });
    await eventually(
      async () =>
        (await http(platform.url, 'GET', '/health/live').catch(() => null))?.status === 200,
      15_000,
      200,
    );
    expect((await http(platform.url, 'GET', '/health/ready')).status).toBe(503);

    nats = await NatsServer.start(natsPort);
    await platform.waitUntilReady();
    const created = await http(platform.url, 'POST', '/v1/auth/register', {
      json: { email: `late-${randomUUID()}@example.com`, password: 'password-123' },
    });
    expect(created.status).toBe(201);
  });

  it('answers 503 while NATS is down and serves again after it comes back', async () => {
    await nats!.stop();
    const down = await http(platform.url, 'POST', '/v1/auth/login', {
      json: { email: 'nobody@example.com', password: 'whatever-password' },
    });
    expect(down.status).toBe(503);

    nats = await NatsServer.start(natsPort);
    await platform.waitUntilReady();
    await eventually(
      async () =>
        (
          await http(platform.url, 'POST', '/v1/auth/login', {
            json: { email: 'nobody@example.com', password: 'whatever-password' },
          })
        ).status === 401,
      15_000,
      200,
    );
  });
});
