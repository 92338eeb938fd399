import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { Metrics } from '@platform/observability';
import { authDatabase } from '../auth.database';
import { SecurityEvent, SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionLifetime } from '../sessions/session-lifetime';
import { SessionStore } from '../sessions/session.store';
import { LoginThrottle, ThrottleDecision, ThrottleKey } from './login-throttle';
import { LoginStore } from './login.store';

/** Failures are forgotten after this long without an attempt. */
const WINDOW_SECONDS = 900;

/** Brute-force counting and the login's two statements (before and after the hash), on PostgreSQL with the auth schema. */
describe('LoginStore, LoginThrottle and the session a login starts (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let store: LoginStore;
  let sessions: SessionStore;
  let throttle: LoginThrottle;
  let securityLog: SecurityEventWriter;
  const config = { LOGIN_LOCK_SECONDS: 30, LOGIN_MAX_LOCK_SECONDS: 900 };
  const keys = (account: string, address = 'ip:192.0.2.1', maxAddress = 100): ThrottleKey[] => [
    { key: `account:${account}`, maxFailures: 5 },
    { key: address, maxFailures: maxAddress },
  ];

  beforeAll(async () => {
    scratch = await scratchContextDatabase('login', authDatabase);
    dataSource = scratch.dataSource;
    store = new LoginStore(dataSource);
    securityLog = new SecurityEventWriter(dataSource);
    sessions = new SessionStore(
      dataSource,
      new SessionLifetime({
        get: (name: string) => ({ REFRESH_IDLE_DAYS: 1, REFRESH_ABSOLUTE_DAYS: 2 })[name],
      } as unknown as ConfigService<never, true>),
    );
    throttle = new LoginThrottle(
      store,
      {
        get: (name: keyof typeof config) => config[name],
      } as unknown as ConfigService<never, true>,
      new Metrics(),
    );
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  async function begin(attemptKeys: ThrottleKey[]): Promise<ThrottleDecision> {
    const { counts } = await store.attempt(
      'nobody@example.com',
      attemptKeys.map(({ key }) => key),
      WINDOW_SECONDS,
    );
    return throttle.decide(attemptKeys, counts);
  }

  async function fail(attemptKeys: ThrottleKey[]): Promise<ThrottleDecision> {
    const decision = await begin(attemptKeys);
    if (decision.allowed) await throttle.failed(attemptKeys, decision.failures);
    return decision;
  }

  function loginSucceeded(started: { id: string; userId: string }): SecurityEvent {
    return {
      type: 'login_succeeded',
      userId: started.userId,
      sessionId: started.id,
      details: { clientIp: '203.0.113.9' },
    };
  }

  async function loggedFor(sessionId: string): Promise<unknown[]> {
    return dataSource.query(
      `SELECT type, user_id AS "userId", details FROM auth.security_events WHERE session_id = $1`,
      [sessionId],
    );
  }

  function session(userId: string) {
    return {
      id: randomUUID(),
      userId,
      clientId: 'identity-platform',
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

  it('forgets the failures of a key left alone for the window, and starts its locks afresh', async () => {
    for (let i = 0; i < 5; i++) await fail(keys('f'));
    expect((await begin(keys('f'))).allowed).toBe(false);
    await dataSource.query(
      `UPDATE auth.login_attempts
          SET updated_at = now() - make_interval(secs => $1), locked_until = now() - interval '1 s'
        WHERE key = 'account:f'`,
      [WINDOW_SECONDS + 1],
    );
    const fresh = await begin(keys('f'));
    expect(fresh).toEqual({ allowed: true, failures: expect.any(Map) });
    expect((fresh as { failures: Map<string, number> }).failures.get('account:f')).toBe(1);
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
    const found = await store.attempt(
      'carol@example.com',
      ['account:carol@example.com'],
      WINDOW_SECONDS,
    );
    expect(found.credential).toEqual({ userId, passwordHash: 'hash', disabled: false });
    const missing = await store.attempt(
      'dave@example.com',
      ['account:dave@example.com'],
      WINDOW_SECONDS,
    );
    expect(missing.credential).toBeUndefined();
  });

  it('waits for a password change in progress before saying whether the password changed', async () => {
    // A password change writes the new hash and ends the sessions in one transaction. A login
    // whose session was stored after that transaction ended the sessions must see the change
    // once it commits, not the old hash still visible until then.
    const userId = randomUUID();
    await dataSource.query(
      `INSERT INTO auth.credentials (user_id, email, password_hash) VALUES ($1, $2, 'old hash')`,
      [userId, `${userId}@example.com`],
    );
    let checked: Promise<string | undefined> | undefined;
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE auth.credentials SET password_hash = 'new hash' WHERE user_id = $1`,
        [userId],
      );
      checked = store.changedSince(userId, 'old hash');
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(await checked).toBe('password-changed');
    expect(await store.changedSince(userId, 'new hash')).toBeUndefined();
  });

  it('on success stores the session and its refresh token, resets the account, takes the attempt back from the address and logs the login, in one statement', async () => {
    const address = 'ip:203.0.113.9';
    for (let i = 0; i < 4; i++) await fail(keys('d', address));
    const decision = await begin(keys('d', address));
    expect(decision.allowed).toBe(true);
    const started = session(randomUUID());
    const statements = jest.spyOn(dataSource, 'query');
    await sessions.create(started, (write) => {
      store.addSucceeded(write, 'account:d', address);
      securityLog.addTo(write, loginSucceeded(started));
    });
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
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
    expect(await loggedFor(started.id)).toEqual([
      { type: 'login_succeeded', userId: started.userId, details: { clientIp: '203.0.113.9' } },
    ]);
  });

  it('writes none of a success when any part of its statement fails', async () => {
    const address = 'ip:203.0.113.10';
    await fail(keys('g', address));
    await begin(keys('g', address));
    const first = session(randomUUID());
    await sessions.create(first);
    // The same session id again: the session's INSERT fails, and with it the whole statement.
    const again = { ...session(first.userId), id: first.id };
    await expect(
      sessions.create(again, (write) => {
        store.addSucceeded(write, 'account:g', address);
        securityLog.addTo(write, loginSucceeded(again));
      }),
    ).rejects.toThrow(/duplicate key/);
    const rows = await dataSource.query(
      `SELECT key, failures FROM auth.login_attempts WHERE key IN ('account:g', $1) ORDER BY key`,
      [address],
    );
    expect(rows).toEqual([
      { key: 'account:g', failures: 2 },
      { key: address, failures: 2 },
    ]);
    expect(await loggedFor(first.id)).toEqual([]);
  });
});
