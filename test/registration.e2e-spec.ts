import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { Platform, isSplit } from './support/platform';

// Only the split shape has a users process that can stall or die on its own.
const describeSplit = isSplit() ? describe : describe.skip;

/**
 * An account is whole (credential and profile, login works) or absent (neither, the email
 * free), whatever the users process does in the middle of its registration.
 */
describeSplit('registration while the users process stalls or dies (split)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const users = () => platform.service('users');
  const register = (email: string, password: string) =>
    http(platform.baseUrl, 'POST', '/v1/auth/register', { json: { email, password } });
  const login = (email: string, password: string) =>
    http(platform.baseUrl, 'POST', '/v1/auth/login', { json: { email, password } });

  /** What each side holds for an email: a credential's status, a profile's existence. */
  async function stateOf(email: string): Promise<{ credential?: string; profile: boolean }> {
    const [credential] = await platform.database!.query<{ status: string }>(
      `SELECT status FROM auth.credentials WHERE email = $1`,
      [email],
    );
    const profiles = await platform.database!.query(`SELECT 1 FROM users.users WHERE email = $1`, [
      email,
    ]);
    return { credential: credential?.status, profile: profiles.length > 0 };
  }

  const WHOLE = { credential: 'active', profile: true };
  const ABSENT = { credential: undefined, profile: false };

  async function settled(email: string): Promise<typeof WHOLE | typeof ABSENT> {
    let state = await stateOf(email);
    await eventually(
      async () => {
        state = await stateOf(email);
        return [WHOLE, ABSENT].some((end) => JSON.stringify(end) === JSON.stringify(state));
      },
      15_000,
      100,
    ).catch((error) => {
      throw new Error(`${error} ${JSON.stringify(state)}\n${platform.service('auth').logs()}`);
    });
    return state as typeof WHOLE | typeof ABSENT;
  }

  async function expectPendingAnswer(response: Awaited<ReturnType<typeof register>>) {
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('REGISTRATION_PENDING');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  }

  it('ends whole when users resumes after the request timed out, and a retry says so', async () => {
    const email = `frozen-${randomUUID()}@example.com`;
    users().freeze();
    try {
      await expectPendingAnswer(await register(email, 'correct horse battery'));
      expect((await login(email, 'correct horse battery')).status).toBe(401);
    } finally {
      users().thaw();
    }
    expect(await settled(email)).toEqual(WHOLE);
    expect((await login(email, 'correct horse battery')).status).toBe(200);
    const retry = await register(email, 'correct horse battery');
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('EMAIL_ALREADY_REGISTERED');
  });

  it('carries a stalled registration on when the same registration is retried', async () => {
    const email = `retried-${randomUUID()}@example.com`;
    users().freeze();
    try {
      await expectPendingAnswer(await register(email, 'correct horse battery'));
      // Another password is another person: the address is taken meanwhile.
      expect((await register(email, 'someone else entirely')).status).toBe(409);
    } finally {
      users().thaw();
    }
    const retried = await register(email, 'correct horse battery');
    expect([201, 409]).toContain(retried.status);
    expect(await settled(email)).toEqual(WHOLE);
    const profiles = await platform.database!.query(`SELECT id FROM users.users WHERE email = $1`, [
      email,
    ]);
    expect(profiles).toHaveLength(1);
    expect((await login(email, 'correct horse battery')).status).toBe(200);
  });

  it('ends absent when users dies with the request, and the same registration then works', async () => {
    const email = `killed-${randomUUID()}@example.com`;
    users().freeze();
    await expectPendingAnswer(await register(email, 'correct horse battery'));
    await users().kill();
    await users().start();

    expect(await settled(email)).toEqual(ABSENT);
    const retried = await register(email, 'correct horse battery');
    expect(retried.status).toBe(201);
    expect(await stateOf(email)).toEqual(WHOLE);
    expect((await login(email, 'correct horse battery')).status).toBe(200);
  });
});
