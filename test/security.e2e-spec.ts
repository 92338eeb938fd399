import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { newAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { decodeJwt } from './support/jwt';
import { Platform, isSplit, shape } from './support/platform';
import { accessTokenClaims, activeSigningKey, signJws, strangerKey } from './support/token-forge';

const withNats = shape === 'embedded' ? describe.skip : describe;

describe(`access tokens at every service (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let user: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    user = await newAccount(baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const me = (authorization?: string) =>
    http(baseUrl, 'GET', '/v1/users/me', { headers: authorization ? { authorization } : {} });

  describe('the HTTP edge', () => {
    it('asks for a bearer token when none is sent (RFC 6750 3.1)', async () => {
      const response = await me();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['garbage', 'Bearer not-a-jwt'],
      ['an opaque refresh token', () => `Bearer ${user.refreshToken}`],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
    ])('refuses %s', async (_case, authorization) => {
      const value = typeof authorization === 'function' ? authorization() : authorization;
      const response = await me(value);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const [header, , signature] = user.accessToken.split('.');
      const claims = { ...decodeJwt(user.accessToken).payload, roles: ['admin'], scope: 'admin' };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      const response = await me(`Bearer ${tampered}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it.each([
      ['signed by an unknown key', { alg: 'RS256', typ: 'at+jwt', kid: 'stranger' }],
      ['with alg none', { alg: 'none', typ: 'at+jwt', kid: 'stranger' }],
      [
        'carrying its own key in the header',
        { alg: 'RS256', typ: 'at+jwt', kid: 'stranger', jwk: {} },
      ],
    ])('refuses a token %s', async (_case, header) => {
      const key = strangerKey();
      const token = signJws(
        header,
        accessTokenClaims(user.id, ['gateway', 'users']),
        key.privateKey,
      );
      const forged = header.alg === 'none' ? `${token.split('.').slice(0, 2).join('.')}.` : token;
      const response = await me(`Bearer ${forged}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('answers a missing scope with 403 insufficient_scope', async () => {
      const response = await http(baseUrl, 'GET', '/v1/users', { headers: user.authorization });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
      expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });
  });

  describe('revocation', () => {
    it('refuses a logged-out session at once, and leaves other sessions alone', async () => {
      const other = await newAccount(baseUrl);
      expect((await me(other.authorization.authorization)).status).toBe(200);
      const logout = await http(baseUrl, 'POST', '/v1/auth/logout', {
        headers: other.authorization,
      });
      expect(logout.status).toBe(204);
      // At once on the gateway that answered: the client's next request is refused.
      expect((await me(other.authorization.authorization)).status).toBe(401);
      expect((await me(user.authorization.authorization)).status).toBe(200);
      expect(
        (
          await http(baseUrl, 'POST', '/v1/auth/refresh', {
            json: { refresh_token: other.refreshToken },
          })
        ).status,
      ).toBe(401);
    });

    it('logout-all ends every session of the user', async () => {
      const account = await newAccount(baseUrl);
      const second = await http(baseUrl, 'POST', '/v1/auth/login', {
        json: { email: account.email, password: account.password },
      });
      const secondAuthorization = `Bearer ${second.body.access_token}`;
      const response = await http(baseUrl, 'POST', '/v1/auth/logout-all', {
        headers: account.authorization,
      });
      expect(response.status).toBe(204);
      expect((await me(secondAuthorization)).status).toBe(401);
      expect((await me(account.authorization.authorization)).status).toBe(401);
    });
  });

  describe('password change and disabled accounts', () => {
    it('a password change ends every session and only the new password works', async () => {
      const account = await newAccount(baseUrl);
      const wrong = await http(baseUrl, 'POST', '/v1/auth/password', {
        headers: account.authorization,
        json: { currentPassword: 'not-it', newPassword: 'brand-new-password' },
      });
      expect(wrong.status).toBe(403);
      const changed = await http(baseUrl, 'POST', '/v1/auth/password', {
        headers: account.authorization,
        json: { currentPassword: account.password, newPassword: 'brand-new-password' },
      });
      expect(changed.status).toBe(204);
      expect((await me(account.authorization.authorization)).status).toBe(401);
      const login = (password: string) =>
        http(baseUrl, 'POST', '/v1/auth/login', { json: { email: account.email, password } });
      expect((await login(account.password)).status).toBe(401);
      expect((await login('brand-new-password')).status).toBe(200);
    });

    it('disabling an account voids its tokens and refuses its logins', async () => {
      const account = await newAccount(baseUrl);
      const admin = await platform.admin();
      const byUser = await http(baseUrl, 'POST', `/v1/users/${admin.id}/disable`, {
        headers: account.authorization,
      });
      expect(byUser.status).toBe(403);
      const disabled = await http(baseUrl, 'POST', `/v1/users/${account.id}/disable`, {
        headers: admin.authorization,
      });
      expect(disabled.status).toBe(204);
      await eventually(
        async () => (await me(account.authorization.authorization)).status === 401,
        1000,
      );
      await eventually(
        async () =>
          (
            await http(baseUrl, 'POST', '/v1/auth/login', {
              json: { email: account.email, password: account.password },
            })
          ).body.code === 'INVALID_CREDENTIALS',
        2000,
      );
    });
  });

  withNats('messages sent straight to NATS, never through the gateway', () => {
    let nats: NatsConnection;

    beforeAll(async () => {
      nats = await platform.nats!.client();
    });

    afterAll(async () => {
      await nats?.close();
    });

    async function request(
      subject: string,
      payload: unknown,
      authorization?: string,
      serviceAuthorization?: string,
    ) {
      const headers = (await import('@nats-io/transport-node')).headers();
      if (authorization) headers.set('authorization', authorization);
      if (serviceAuthorization) headers.set('service-authorization', serviceAuthorization);
      const reply = await nats.request(subject, JSON.stringify(payload), {
        timeout: 3000,
        headers,
      });
      return reply.json<{ response?: any; err?: any }>();
    }

    it('refuses a request without a token, with an expired token, and serves a valid one', async () => {
      const withoutToken = await request('users.user.get', { id: user.id });
      expect(withoutToken.err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

      const key = await activeSigningKey(platform);
      const expiredClaims = {
        ...accessTokenClaims(user.id, ['users']),
        exp: Math.floor(Date.now() / 1000) - 120,
        iat: Math.floor(Date.now() / 1000) - 720,
      };
      const expired = signJws(
        { alg: key.alg, typ: 'at+jwt', kid: key.kid },
        expiredClaims,
        key.privateKey,
      );
      const withExpired = await request('users.user.get', { id: user.id }, `Bearer ${expired}`);
      expect(withExpired.err).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });

      const fresh = signJws(
        { alg: key.alg, typ: 'at+jwt', kid: key.kid },
        accessTokenClaims(user.id, ['users']),
        key.privateKey,
      );
      const withValid = await request('users.user.get', { id: user.id }, `Bearer ${fresh}`);
      expect(withValid.response).toMatchObject({ id: user.id, email: user.email });
    });

    it('refuses a token for another service or issuer, not yet valid, incomplete, or not an access token', async () => {
      const key = await activeSigningKey(platform);
      const forGateway = signJws(
        { alg: key.alg, typ: 'at+jwt', kid: key.kid },
        accessTokenClaims(user.id, ['gateway']),
        key.privateKey,
      );
      expect(
        (await request('users.user.get', { id: user.id }, `Bearer ${forGateway}`)).err,
      ).toMatchObject({
        status: 401,
        code: 'INVALID_TOKEN',
      });
      for (const claims of [
        { iss: 'https://evil.example.com' },
        { nbf: Math.floor(Date.now() / 1000) + 300 },
        { sub: undefined },
      ]) {
        const bent = signJws(
          { alg: key.alg, typ: 'at+jwt', kid: key.kid },
          { ...accessTokenClaims(user.id, ['users']), ...claims },
          key.privateKey,
        );
        expect(
          (await request('users.user.get', { id: user.id }, `Bearer ${bent}`)).err,
        ).toMatchObject({
          status: 401,
          code: 'INVALID_TOKEN',
        });
      }
      const idToken = signJws(
        { alg: key.alg, typ: 'JWT', kid: key.kid },
        accessTokenClaims(user.id, ['users']),
        key.privateKey,
      );
      expect(
        (await request('users.user.get', { id: user.id }, `Bearer ${idToken}`)).err,
      ).toMatchObject({
        status: 401,
        code: 'INVALID_TOKEN',
      });
    });

    it('obeys the registration subjects only from the auth service, not another service, and checks their payloads', async () => {
      const account = await newAccount(baseUrl);
      const asUser = account.authorization.authorization;
      for (const [subject, payload] of [
        ['users.user.cancel-registration', { id: account.id }],
        ['users.user.confirm-registration', { id: account.id }],
        ['users.user.list-unconfirmed', { limit: 10, olderThanSeconds: 0 }],
        ['users.user.create', { id: randomUUID(), email: `${randomUUID()}@example.com` }],
      ] as const) {
        expect((await request(subject, payload, asUser)).err).toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      // Refused means nothing happened: the profile is still there.
      expect((await request('users.user.get', { id: account.id }, asUser)).response).toMatchObject({
        id: account.id,
      });

      const key = await activeSigningKey(platform);
      // A platform service's own token, as `ServiceCredentials` signs auth's.
      const serviceToken = (service: string) =>
        `Bearer ${signJws(
          { alg: key.alg, typ: 'at+jwt', kid: key.kid },
          {
            ...accessTokenClaims(service, ['users']),
            client_id: service,
            scope: 'users:write',
            roles: ['service'],
          },
          key.privateKey,
        )}`;
      // Another platform service holds the `service` role and `users:write` too, but is not
      // the one that registers accounts.
      const orders = serviceToken('orders');
      for (const [subject, payload] of [
        ['users.user.cancel-registration', { id: account.id }],
        ['users.user.list-unconfirmed', { limit: 10, olderThanSeconds: 0 }],
      ] as const) {
        expect((await request(subject, payload, orders, orders)).err).toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      const service = serviceToken('auth');
      for (const payload of [{ id: 'not-a-uuid' }, {}, { id: account.id, extra: 1 }]) {
        expect(
          (await request('users.user.cancel-registration', payload, service, service)).err,
        ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      }
      expect(
        (
          await request(
            'users.user.list-unconfirmed',
            { limit: 0, olderThanSeconds: -1 },
            service,
            service,
          )
        ).err,
      ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect((await request('users.user.get', { id: account.id }, asUser)).response).toMatchObject({
        id: account.id,
      });
    });

    it('obeys the subjects only platform services may send from no user, with or without a token', async () => {
      const account = await newAccount(baseUrl);
      const asUser = account.authorization.authorization;
      // What the gateway alone sends carries the client's address, which per-address limits trust.
      const spoofed = '203.0.113.7';
      for (const [subject, payload] of [
        [
          'auth.session.login',
          { email: account.email, password: account.password, clientIp: spoofed },
        ],
        ['auth.session.refresh', { refresh_token: account.refreshToken, clientIp: spoofed }],
        [
          'auth.account.register',
          { email: `${randomUUID()}@example.com`, password: 'password-123', clientIp: spoofed },
        ],
        [
          'auth.password.change',
          {
            currentPassword: account.password,
            newPassword: 'another-password-1',
            clientIp: spoofed,
          },
        ],
        // Who is revoked is for the platform's verifiers only.
        ['auth.revocations.list', {}],
        // The hosted pages: the sign-in form is throttled by the address the gateway saw.
        ...(
          [
            'auth.authorization.authorize',
            'auth.authorization.login',
            'auth.authorization.consent',
            'auth.authorization.end-session',
          ] as const
        ).map((page) => [page, { method: 'GET', params: {}, clientIp: spoofed }] as const),
      ] as const) {
        for (const authorization of [undefined, asUser]) {
          expect({
            subject,
            err: (await request(subject, payload, authorization)).err,
          }).toMatchObject({
            subject,
            err: { status: 403, code: 'FORBIDDEN' },
          });
        }
      }
      // Refused means nothing happened: the refresh token and the password still work.
      const refreshed = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      const again = await http(baseUrl, 'POST', '/v1/auth/login', {
        json: { email: account.email, password: account.password },
      });
      expect(again.status).toBe(200);
    });

    it('believes the client address on the OAuth endpoints from the gateway alone', async () => {
      const key = await activeSigningKey(platform);
      const serviceToken = (service: string) =>
        `Bearer ${signJws(
          { alg: key.alg, typ: 'at+jwt', kid: key.kid },
          {
            ...accessTokenClaims(service, ['auth']),
            client_id: service,
            scope: '',
            roles: ['service'],
          },
          key.privateKey,
        )}`;
      // The refresh grant counts per address: a spoofed one would give each attempt a new count.
      const spoofed = {
        params: { grant_type: 'refresh_token', refresh_token: 'x' },
        clientIp: '203.0.113.9',
      };
      for (const subject of ['auth.oauth.token', 'auth.oauth.revoke', 'auth.oauth.introspect']) {
        for (const sender of [
          undefined,
          serviceToken('orders'),
          user.authorization.authorization,
        ]) {
          expect({ subject, err: (await request(subject, spoofed, '', sender)).err }).toMatchObject(
            {
              subject,
              err: { status: 403, code: 'FORBIDDEN' },
            },
          );
        }
      }
      // Without an address anyone may ask: the OAuth client authenticates in the request itself.
      const anonymous = await request('auth.oauth.token', { params: spoofed.params });
      expect(anonymous.response).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const fromGateway = await request('auth.oauth.token', spoofed, '', serviceToken('gateway'));
      expect(fromGateway.response).toMatchObject({
        status: 401,
        body: { error: 'invalid_client' },
      });
    });

    it('never lets a service token create an administrator or change roles', async () => {
      const account = await newAccount(baseUrl);
      const key = await activeSigningKey(platform);
      const asService = (scope: string) =>
        `Bearer ${signJws(
          { alg: key.alg, typ: 'at+jwt', kid: key.kid },
          { ...accessTokenClaims('auth', ['users']), client_id: 'auth', scope, roles: ['service'] },
          key.privateKey,
        )}`;
      const created = await request(
        'users.user.create',
        { id: randomUUID(), email: `${randomUUID()}@example.com`, roles: ['user', 'admin'] },
        asService('users:write'),
        asService('users:write'),
      );
      expect(created.err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const promoted = await request(
        'users.user.set-roles',
        { id: account.id, roles: ['user', 'admin'] },
        asService('users:write admin'),
      );
      expect(promoted.err).toMatchObject({ status: 403 });
      expect(
        (await request('users.user.get', { id: account.id }, account.authorization.authorization))
          .response.roles,
      ).toEqual(['user']);
    });

    it('refuses a revoked session at the users service within a second of logout', async () => {
      const account = await newAccount(baseUrl);
      const before = await request(
        'users.user.get',
        { id: account.id },
        account.authorization.authorization,
      );
      expect(before.response).toMatchObject({ id: account.id });
      await http(baseUrl, 'POST', '/v1/auth/logout', { headers: account.authorization });
      const started = Date.now();
      await eventually(
        async () =>
          (await request('users.user.get', { id: account.id }, account.authorization.authorization))
            .err?.code === 'INVALID_TOKEN',
        1000,
      );
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await me(account.authorization.authorization)).status).toBe(401);
    });

    // Only the split shape can restart the users service on its own.
    (isSplit() ? it : it.skip)(
      'has a users service started after a logout refuse that session too',
      async () => {
        const account = await newAccount(baseUrl);
        await http(baseUrl, 'POST', '/v1/auth/logout', { headers: account.authorization });
        await platform.service('users').stop();
        await platform.service('users').start();
        await eventually(
          async () =>
            (
              await request(
                'users.user.get',
                { id: account.id },
                account.authorization.authorization,
              )
            ).err?.code === 'INVALID_TOKEN',
          5000,
        );
      },
    );
  });
});
