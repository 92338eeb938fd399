import { randomUUID } from 'node:crypto';
import { http } from './support/http';
import { decodeJwt, signatureIsValid } from './support/jwt';
import { Platform, shape } from './support/platform';

const PASSWORD = 'correct horse battery';

describe(`login and sessions (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function registered(): Promise<{ id: string; email: string }> {
    const email = `login-${randomUUID()}@example.com`;
    const response = await http(baseUrl, 'POST', '/v1/auth/register', {
      json: { email, password: PASSWORD },
    });
    expect(response.status).toBe(201);
    return { id: response.body.id, email };
  }

  const login = (email: string, password = PASSWORD) =>
    http(baseUrl, 'POST', '/v1/auth/login', { json: { email, password } });
  const refresh = (refreshToken: string) =>
    http(baseUrl, 'POST', '/v1/auth/refresh', { json: { refresh_token: refreshToken } });

  describe('POST /v1/auth/login', () => {
    it('returns an RFC 9068 access token signed by a key in the JWKS, and a refresh token', async () => {
      const user = await registered();
      const response = await login(user.email.toUpperCase());
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 600,
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });

      const { header, payload } = decodeJwt(response.body.access_token);
      expect(header).toEqual({ alg: 'RS256', kid: expect.any(String), typ: 'at+jwt' });
      expect(payload).toEqual({
        iss: 'http://localhost:3000',
        sub: user.id,
        aud: expect.arrayContaining(['gateway', 'users']),
        exp: payload.iat + 600,
        iat: expect.any(Number),
        jti: expect.any(String),
        client_id: expect.any(String),
        scope: expect.stringContaining('users:read'),
        sid: expect.any(String),
        roles: ['user'],
      });
      expect(payload.scope.split(' ')).not.toContain('admin');

      const jwks = await http(baseUrl, 'GET', '/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      expect(signatureIsValid(response.body.access_token, jwks.body)).toBe(true);
      expect(JSON.stringify(jwks.body)).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const user = await registered();
      const wrongPassword = await login(user.email, 'not the password');
      const unknownEmail = await login(`nobody-${randomUUID()}@example.com`, 'not the password');
      for (const response of [wrongPassword, unknownEmail]) {
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({
          code: 'INVALID_CREDENTIALS',
          detail: 'Invalid email or password',
        });
        expect(response.headers.get('www-authenticate')).toBeNull();
      }
    });

    it.each([
      ['a NUL character in the email', { email: 'a\u0000b@example.com', password: 'x' }, 'email'],
      [
        'an unpaired surrogate in the email',
        { email: 'a\ud800@example.com', password: 'x' },
        'email',
      ],
      [
        'a NUL character in the password',
        { email: 'a@example.com', password: 'x\u0000' },
        'password',
      ],
    ])('refuses %s with 400 naming the field, without repeating it', async (_case, json, field) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/login', { json });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field, messages: [expect.any(String)] }],
      });
      expect(JSON.stringify(response.body)).not.toMatch(/\\u0000|\\ud800/);
    });

    it('locks an account after 5 failures with 429 and Retry-After, even for the right password', async () => {
      const user = await registered();
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await login(user.email, `wrong-${attempt}`)).status).toBe(401);
      }
      const locked = await login(user.email);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('LOGIN_LOCKED');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(30);
      expect(locked.body).not.toHaveProperty('access_token');
    });

    it('lets no more than 5 of 12 parallel wrong guesses be checked before the lock', async () => {
      const user = await registered();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(user.email, `parallel-${i}`)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
      expect((await login(user.email)).status).toBe(429);
    });

    it('resets the count after a successful login', async () => {
      const user = await registered();
      for (let attempt = 1; attempt <= 4; attempt++) await login(user.email, `wrong-${attempt}`);
      expect((await login(user.email)).status).toBe(200);
      for (let attempt = 1; attempt <= 4; attempt++) {
        expect((await login(user.email, `again-${attempt}`)).status).toBe(401);
      }
      expect((await login(user.email)).status).toBe(200);
    });
  });

  describe('POST /v1/auth/refresh', () => {
    it('rotates: a new pair for the same session, and the old refresh token is spent', async () => {
      const user = await registered();
      const first = (await login(user.email)).body;
      const second = await refresh(first.refresh_token);
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.refresh_token);
      expect(decodeJwt(second.body.access_token).payload.sid).toBe(
        decodeJwt(first.access_token).payload.sid,
      );
      const third = await refresh(second.body.refresh_token);
      expect(third.status).toBe(200);
    });

    it('lets exactly one of two parallel refreshes with the same token win', async () => {
      const user = await registered();
      const { refresh_token } = (await login(user.email)).body;
      const results = await Promise.all([refresh(refresh_token), refresh(refresh_token)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('revokes the whole family when a spent refresh token is reused', async () => {
      const user = await registered();
      const stolen = (await login(user.email)).body.refresh_token;
      const legitimate = await refresh(stolen);
      expect(legitimate.status).toBe(200);

      const replay = await refresh(stolen);
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('INVALID_GRANT');
      // The successor the legitimate client holds dies with its family.
      expect((await refresh(legitimate.body.refresh_token)).status).toBe(401);
      // Other sessions of the same user are untouched.
      expect((await login(user.email)).status).toBe(200);
      if (platform.database) {
        const events = await platform.database.query<{ type: string; session_id: string }>(
          `SELECT type, session_id FROM auth.security_events
            WHERE user_id = $1 AND type IN ('refresh_token_reuse', 'session_revoked')`,
          [user.id],
        );
        // Exactly the stolen family's session: reused, then revoked.
        expect(events.map((event) => event.type)).toEqual([
          'refresh_token_reuse',
          'session_revoked',
        ]);
        expect(new Set(events.map((event) => event.session_id)).size).toBe(1);
      }
    });

    it.each([
      ['an unknown token', { refresh_token: 'x'.repeat(43) }, 401],
      ['a missing token', {}, 400],
      ['a token of the wrong type', { refresh_token: 42 }, 400],
    ])('refuses %s', async (_case, json, status) => {
      const response = await http(baseUrl, 'POST', '/v1/auth/refresh', { json });
      expect(response.status).toBe(status);
    });
  });
});
