import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { onceAcrossReplicas } from '@platform/database';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { authDatabase } from '../auth.database';
import { HousekeepingStore } from './housekeeping.store';

/** What housekeeping purges, and above all what it keeps, on PostgreSQL with the auth schema. */
describe('HousekeepingStore (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let store: HousekeepingStore;
  const config = {
    LOGIN_FAILURE_WINDOW_SECONDS: 900,
    ADDRESS_LIMIT_WINDOW_SECONDS: 600,
    ACCESS_TOKEN_TTL_SECONDS: 600,
  };

  beforeAll(async () => {
    scratch = await scratchContextDatabase('housekeeping', authDatabase);
    dataSource = scratch.dataSource;
    store = new HousekeepingStore({
      get: (name: keyof typeof config) => config[name],
    } as unknown as ConfigService<never, true>);
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  async function session(ended: string | null, idleExpires = "now() + interval '1 day'") {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO auth.sessions (id, user_id, client_id, idle_expires_at, absolute_expires_at, revoked_at)
       VALUES ($1, $2, 'identity-platform', ${idleExpires}, now() + interval '2 days', ${ended ?? 'NULL'})`,
      [id, randomUUID()],
    );
    await dataSource.query(
      `INSERT INTO auth.refresh_tokens (token_hash, session_id) VALUES ($1, $2)`,
      [randomBytes(32), id],
    );
    return id;
  }

  const exists = async (table: string, column: string, value: unknown) =>
    (await dataSource.query(`SELECT 1 FROM auth.${table} WHERE ${column} = $1`, [value])).length >
    0;

  it('purges what stopped mattering, and keeps what can still matter', async () => {
    await dataSource.query(
      `INSERT INTO auth.login_attempts (key, failures, updated_at, locked_until) VALUES
         ('old', 3, now() - interval '1 hour', NULL),
         ('recent', 3, now(), NULL),
         ('old-but-locked', 9, now() - interval '1 hour', now() + interval '1 hour')`,
    );
    await dataSource.query(
      `INSERT INTO auth.rate_limits (key, window_started_at, count) VALUES
         ('old', now() - interval '1 hour', 5), ('current', now(), 5)`,
    );
    const revokedLongAgo = await session(`now() - interval '1 day'`);
    const revokedJustNow = await session('now()');
    const expiredLongAgo = await session(null, `now() - interval '1 day'`);
    const live = await session(null);
    await dataSource.query(
      `INSERT INTO auth.subject_revocations (user_id, not_before, until, reason) VALUES
         ($1, now() - interval '2 hours', now() - interval '1 hour', 'password-changed'),
         ($2, now(), now() + interval '10 minutes', 'password-changed')`,
      [randomUUID(), randomUUID()],
    );
    await dataSource.query(
      `INSERT INTO auth.token_revocations (jti, until) VALUES
         ('expired', now() - interval '1 minute'), ('in-force', now() + interval '1 minute')`,
    );
    await dataSource.query(
      `INSERT INTO auth.outbox (id, subject, payload, published_at) VALUES
         ($1, 'a', '{}', now() - interval '2 days'), ($2, 'b', '{}', NULL), ($3, 'c', '{}', now())`,
      [randomUUID(), randomUUID(), randomUUID()],
    );

    await dataSource.query(
      `INSERT INTO auth.client_assertions (client_id, jti, expires_at) VALUES
         ('c', 'spent-long-ago', now() - interval '1 minute'), ('c', 'live', now() + interval '1 minute')`,
    );
    const [oldToken, recentToken] = [randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO auth.issued_tokens (jti, client_id, subject, grant_type, audiences, scopes,
         expires_at) VALUES
         ($1, 'c', 'c', 'client_credentials', '{orders}', '{}', now() - interval '31 days'),
         ($2, 'c', 'c', 'client_credentials', '{orders}', '{}', now() - interval '1 day')`,
      [oldToken, recentToken],
    );

    const purged = await dataSource.transaction((manager) => store.purge(manager));
    expect(purged).toEqual({
      loginAttempts: 1,
      rateLimits: 1,
      sessions: 2,
      subjectRevocations: 1,
      tokenRevocations: 1,
      clientAssertions: 1,
      issuedTokens: 1,
      authorizationRequests: 0,
      authorizationCodes: 0,
      outbox: 1,
    });
    expect(await exists('client_assertions', 'jti', 'live')).toBe(true);
    expect(await exists('token_revocations', 'jti', 'in-force')).toBe(true);
    expect(await exists('issued_tokens', 'jti', recentToken)).toBe(true);
    for (const key of ['recent', 'old-but-locked']) {
      expect(await exists('login_attempts', 'key', key)).toBe(true);
    }
    expect(await exists('rate_limits', 'key', 'current')).toBe(true);
    for (const id of [revokedLongAgo, expiredLongAgo]) {
      expect(await exists('sessions', 'id', id)).toBe(false);
      expect(await exists('refresh_tokens', 'session_id', id)).toBe(false);
    }
    // A session revoked just now is still denied by verifiers: its row must stay.
    for (const id of [revokedJustNow, live]) expect(await exists('sessions', 'id', id)).toBe(true);
    expect(await dataSource.query(`SELECT subject FROM auth.outbox ORDER BY subject`)).toEqual([
      { subject: 'b' },
      { subject: 'c' },
    ]);
  });

  it('runs a pass on one replica at a time', async () => {
    let inside = 0;
    const pass = () =>
      onceAcrossReplicas(dataSource, 'auth:housekeeping', async () => {
        inside += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
    const runs = await Promise.all([pass(), pass(), pass()]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    expect(inside).toBe(1);
  });
});
