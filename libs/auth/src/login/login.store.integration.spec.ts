import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runContextMigrations } from '@platform/database';
import { Metrics } from '@platform/observability';
import { authDatabase } from '../auth.database';
import { SessionStore } from '../sessions/session.store';
import { LoginThrottle, ThrottleDecision, ThrottleKey } from './login-throttle';
import { LoginStore } from './login.store';

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `it_login_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** Brute-force counting and the login's two statements, on PostgreSQL with the auth schema. */
describe('LoginStore, LoginThrottle and the session a login starts (PostgreSQL)', () => {
  let dataSource: DataSource;
  let store: LoginStore;
  let sessions: SessionStore;
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
    dataSource = await new DataSource({
      type: 'postgres',
      url: url.toString(),
      schema: authDatabase.schema,
      entities: authDatabase.entities,
      migrations: authDatabase.migrations,
      migrationsTableName: 'migrations',
    }).initialize();
    await runContextMigrations(dataSource, authDatabase.schema);
    store = new LoginStore(dataSource);
    sessions = new SessionStore(dataSource);
    throttle = new LoginThrottle(
      store,
      {
        get: (name: keyof typeof config) => config[name],
      } as unknown as ConfigService<never, true>,
      new Metrics(),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  async function begin(attemptKeys: ThrottleKey[]): Promise<ThrottleDecision> {
    const { counts } = await store.attempt(
      'nobody@example.com',
      attemptKeys.map(({ key }) => key),
    );
    return throttle.decide(attemptKeys, counts);
  }

  async function fail(attemptKeys: ThrottleKey[]): Promise<ThrottleDecision> {
    const decision = await begin(attemptKeys);
    if (decision.allowed) await throttle.failed(attemptKeys, decision.failures);
    return decision;
  }

  function session(userId: string) {
    return {
      id: randomUUID(),
      userId,
      clientId: 'identity-platform',
      idleSeconds: 60,
      absoluteSeconds: 120,
      refreshTokenHash: randomBytes(32),
    };
  }

  it('locks an account on its 5th failure and says for how long', async () => {
    for (let i = 0; i < 5; i++) expect((await fail(keys('a'))).allowed).toBe(true);
    expect(await begin(keys('a'))).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('checks at most 5 of many parallel attempts', async () => {
    const decisions = await Promise.all(Array.from({ length: 20 }, () => begin(keys('b'))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('counts parallel attempts that share both keys without deadlocking', async () => {
    const shared = keys('e', 'ip:192.0.2.99');
    const reversed = [...shared].reverse();
    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => begin(i % 2 ? shared : reversed)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('lets one attempt through after a lock expires, and doubles the next lock', async () => {
    for (let i = 0; i < 5; i++) await fail(keys('c'));
    await dataSource.query(
      `UPDATE auth.login_attempts SET locked_until = now() - interval '1 s' WHERE key = 'account:c'`,
    );
    const [first, second] = await Promise.all([begin(keys('c')), begin(keys('c'))]);
    expect([first.allowed, second.allowed].sort()).toEqual([false, true]);
    const allowed = (first.allowed ? first : second) as {
      allowed: true;
      failures: Map<string, number>;
    };
    await throttle.failed(keys('c'), allowed.failures);
    const locked = await begin(keys('c'));
    expect(locked.allowed).toBe(false);
    expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(30);
  });

  it('locks an address failing across many accounts, and a success does not clear it', async () => {
    const address = 'ip:198.51.100.7';
    for (let i = 0; i < 3; i++) await fail(keys(`spray-${i}`, address, 3));
    expect((await begin(keys('fresh', address, 3))).allowed).toBe(false);
  });

  it('reads the credential of the account by its lower-cased email', async () => {
    const userId = randomUUID();
    await dataSource.query(
      `INSERT INTO auth.credentials (user_id, email, password_hash) VALUES ($1, $2, 'hash')`,
      [userId, 'carol@example.com'],
    );
    const found = await store.attempt('carol@example.com', ['account:carol@example.com']);
    expect(found.credential).toEqual({ userId, passwordHash: 'hash', disabled: false });
    const missing = await store.attempt('dave@example.com', ['account:dave@example.com']);
    expect(missing.credential).toBeUndefined();
  });

  it('on success stores the session and its refresh token, resets the account, and takes the attempt back from the address', async () => {
    const address = 'ip:203.0.113.9';
    for (let i = 0; i < 4; i++) await fail(keys('d', address));
    const decision = await begin(keys('d', address));
    expect(decision.allowed).toBe(true);
    const started = session(randomUUID());
    await Promise.all([sessions.create(started), store.succeeded('account:d', address)]);
    const rows = await dataSource.query(
      `SELECT key, failures FROM auth.login_attempts WHERE key IN ('account:d', $1)`,
      [address],
    );
    expect(rows).toEqual([{ key: address, failures: 4 }]);
    const [stored] = await dataSource.query(
      `SELECT s.user_id AS "userId", t.token_hash AS "tokenHash", t.spent_at AS "spentAt"
         FROM auth.sessions s JOIN auth.refresh_tokens t ON t.session_id = s.id WHERE s.id = $1`,
      [started.id],
    );
    expect(stored).toMatchObject({
      userId: started.userId,
      tokenHash: started.refreshTokenHash,
      spentAt: null,
    });
  });
});
