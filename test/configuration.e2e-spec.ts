import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { newAccount } from './support/accounts';
import { http } from './support/http';
import { isSplit, Platform, shape } from './support/platform';

const ENTRY = resolve(__dirname, '../dist/apps/platform/src/main.js');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [ENTRY], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('configuration', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['SERVICES', { SERVICES: 'gateway,billing' }],
    ['NATS_URL', { NATS_URL: 'http://not-nats' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/db' }],
    ['REQUEST_TIMEOUT_MS', { REQUEST_TIMEOUT_MS: '-5' }],
  ])('refuses to start on a bad %s, naming it', (variable, env) => {
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain(variable);
  });
});

// Split over NATS, every process must be given the secrets: validation refuses to start without.
const inOneProcess = isSplit() ? describe.skip : describe;

inOneProcess(`a process hosting every context without SERVICE_CLIENT_SECRETS (${shape})`, () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start(shape, {}, { serviceClientSecrets: false });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('lets a service call another on a user’s behalf: auth checks the secret it presents', async () => {
    const account = await newAccount(platform.baseUrl);
    const placed = await http(platform.baseUrl, 'POST', '/v1/orders', {
      headers: account.authorization,
      json: { items: [{ sku: 'BOOK-1', quantity: 1 }] },
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ userId: account.id, email: account.email });
  });
});
