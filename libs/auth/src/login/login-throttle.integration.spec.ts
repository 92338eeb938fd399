import { randomBytes } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LoginThrottle, ThrottleKey } from './login-throttle';

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `it_throttle_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

describe('LoginThrottle (PostgreSQL)', () => {
  let dataSource: DataSource;
  let throttle: LoginThrottle;
  const config = { LOGIN_LOCK_SECONDS: 30, LOGIN_MAX_LOCK_SECONDS: 900 };
  const keys = (account: string, address = 'ip:192.0.2.1', maxAddress = 100): ThrottleKey[] => [
    { key: `account:${account}`, maxFailures: 5 },
    { key: address, maxFailures: maxAddress },
  ];

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    dataSource = await new DataSource({ type: 'postgres', url: url.toString() }).initialize();
    await dataSource.query(`CREATE SCHEMA auth`);
    await dataSource.query(`
      CREATE TABLE auth.login_attempts (key text PRIMARY KEY, failures integer NOT NULL,
        locked_until timestamptz, locked_at_failures integer, updated_at timestamptz NOT NULL DEFAULT now())`);
    throttle = new LoginThrottle(dataSource, {
      get: (name: keyof typeof config) => config[name],
    } as unknown as ConfigService<never, true>);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  async function fail(attemptKeys: ThrottleKey[]) {
    const decision = await throttle.begin(attemptKeys);
    if (decision.allowed) await throttle.failed(attemptKeys, decision.failures);
    return decision;
  }

  it('locks an account on its 5th failure and says for how long', async () => {
    for (let i = 0; i < 5; i++) expect((await fail(keys('a'))).allowed).toBe(true);
    expect(await throttle.begin(keys('a'))).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('checks at most 5 of many parallel attempts', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => throttle.begin(keys('b'))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('lets one attempt through after a lock expires, and doubles the next lock', async () => {
    for (let i = 0; i < 5; i++) await fail(keys('c'));
    await dataSource.query(
      `UPDATE auth.login_attempts SET locked_until = now() - interval '1 s' WHERE key = 'account:c'`,
    );
    const [first, second] = await Promise.all([
      throttle.begin(keys('c')),
      throttle.begin(keys('c')),
    ]);
    expect([first.allowed, second.allowed].sort()).toEqual([false, true]);
    const allowed = (first.allowed ? first : second) as {
      allowed: true;
      failures: Map<string, number>;
    };
    await throttle.failed(keys('c'), allowed.failures);
    const locked = await throttle.begin(keys('c'));
    expect(locked.allowed).toBe(false);
    expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(30);
  });

  it('locks an address failing across many accounts, and a success does not clear it', async () => {
    const address = 'ip:198.51.100.7';
    for (let i = 0; i < 3; i++) await fail(keys(`spray-${i}`, address, 3));
    expect((await throttle.begin(keys('fresh', address, 3))).allowed).toBe(false);
  });

  it('resets the account on success and takes the attempt back from the address', async () => {
    const address = 'ip:203.0.113.9';
    for (let i = 0; i < 4; i++) await fail(keys('d', address));
    const decision = await throttle.begin(keys('d', address));
    expect(decision.allowed).toBe(true);
    await throttle.succeeded('account:d', address);
    const rows = await dataSource.query(
      `SELECT key, failures FROM auth.login_attempts WHERE key IN ('account:d', $1)`,
      [address],
    );
    expect(rows).toEqual([{ key: address, failures: 4 }]);
  });
});
