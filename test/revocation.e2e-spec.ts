import { newAccount, type TestAccount } from './support/accounts';
import { http, type HttpResult } from './support/http';
import { Platform, shape } from './support/platform';

/**
 * The race is between the answer to a revocation and the event that announces it: each case
 * runs this often, with nothing waited for between the answer and the next request.
 */
const ROUNDS = 10;

/**
 * A revocation is in force when it is answered: the client that got the answer finds the token
 * refused on its very next request through the same gateway, without waiting for the event
 * that tells every other verifier.
 */
describe(`revocations in force once answered (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let admin: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    admin = await platform.admin();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const me = (authorization: { authorization: string }) =>
    http(baseUrl, 'GET', '/v1/users/me', { headers: authorization });

  it('refuses a logged-out session on the next request', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = await newAccount(baseUrl);
      const logout = await http(baseUrl, 'POST', '/v1/auth/logout', {
        headers: account.authorization,
      });
      expect(logout.status).toBe(204);
      expect((await me(account.authorization)).status).toBe(401);
    }
  });

  it('refuses every token of the user on the next request after a password change', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = await newAccount(baseUrl);
      const changed = await http(baseUrl, 'POST', '/v1/auth/password', {
        headers: account.authorization,
        json: { currentPassword: account.password, newPassword: `new-${account.password}` },
      });
      expect(changed.status).toBe(204);
      expect((await me(account.authorization)).status).toBe(401);
    }
  });

  it('leaves no session to a login that checked the old password while it was being changed', async () => {
    // A login reads the password hash, verifies it (the slow part), then stores its session:
    // one whose check began before the change and whose session is stored after the change's
    // revocation must not come out of it with a refresh token that still works.
    const LOGINS = 40;
    const SPREAD_MS = 15;
    const account = await newAccount(baseUrl);
    const newPassword = `new-${account.password}`;
    const logins = Array.from(
      { length: LOGINS },
      (_, index) =>
        new Promise<HttpResult>((resolve, reject) => {
          setTimeout(() => {
            http(baseUrl, 'POST', '/v1/auth/login', {
              json: { email: account.email, password: account.password },
            }).then(resolve, reject);
          }, index * SPREAD_MS);
        }),
    );
    const changed = await http(baseUrl, 'POST', '/v1/auth/password', {
      headers: account.authorization,
      json: { currentPassword: account.password, newPassword },
    });
    expect(changed.status).toBe(204);
    const surviving: number[] = [];
    for (const [index, login] of (await Promise.all(logins)).entries()) {
      if (login.status !== 200) continue;
      const refreshed = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: login.body.refresh_token },
      });
      if (refreshed.status === 200) surviving.push(index);
    }
    expect(surviving).toEqual([]);
  });

  it('refuses the family’s access token on the next request after a refresh token is reused', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = await newAccount(baseUrl);
      const rotated = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
      expect(rotated.status).toBe(200);
      const reused = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
      expect(reused).toMatchObject({ status: 401, body: { code: 'INVALID_GRANT' } });
      expect(reused.body).not.toHaveProperty('revoked');
      expect((await me({ authorization: `Bearer ${rotated.body.access_token}` })).status).toBe(401);
    }
  });

  it('refuses the family’s access token on the next request after the token endpoint sees a reused refresh token', async () => {
    // The first-party client is public (RFC 6749 2.1): it identifies itself, with no secret.
    const refreshAtTokenEndpoint = (refreshToken: string) =>
      http(baseUrl, 'POST', '/oauth2/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: 'identity-platform',
        }).toString(),
      });
    for (let round = 0; round < ROUNDS; round++) {
      const account = await newAccount(baseUrl);
      const rotated = await refreshAtTokenEndpoint(account.refreshToken);
      expect(rotated.status).toBe(200);
      const reused = await refreshAtTokenEndpoint(account.refreshToken);
      expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(reused.body).not.toHaveProperty('revoked');
      expect((await me({ authorization: `Bearer ${rotated.body.access_token}` })).status).toBe(401);
    }
  });

  it('refuses a client-credentials token on the next request after RFC 7009 revocation', async () => {
    // The gateway is an audience too: the token is used at its HTTP edge.
    const registered = await http(baseUrl, 'POST', '/v1/admin/clients', {
      headers: admin.authorization,
      json: {
        grant_types: ['client_credentials'],
        scope: 'orders:read',
        audiences: ['gateway', 'orders'],
      },
    });
    expect(registered.status).toBe(201);
    const basic = `Basic ${Buffer.from(
      `${registered.body.client_id}:${registered.body.client_secret}`,
    ).toString('base64')}`;
    const form = (path: string, params: Record<string, string>) =>
      http(baseUrl, 'POST', path, {
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
    for (let round = 0; round < ROUNDS; round++) {
      const issued = await form('/oauth2/token', { grant_type: 'client_credentials' });
      expect(issued.status).toBe(200);
      const bearer = { authorization: `Bearer ${issued.body.access_token}` };
      expect((await http(baseUrl, 'GET', '/v1/orders', { headers: bearer })).status).toBe(200);
      const revoked = await form('/oauth2/revoke', { token: issued.body.access_token });
      expect(revoked).toMatchObject({ status: 200, body: {} });
      expect(revoked.body).not.toHaveProperty('revoked');
      expect((await http(baseUrl, 'GET', '/v1/orders', { headers: bearer })).status).toBe(401);
    }
  });
});
