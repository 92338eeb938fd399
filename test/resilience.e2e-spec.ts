import { newAccount, TestAccount } from './support/accounts';
import { http } from './support/http';
import { Platform, isSplit } from './support/platform';

// Only the split shape has a users process that can die while the gateway lives on.
const describeSplit = isSplit() ? describe : describe.skip;

describeSplit('a context process going away (split)', () => {
  let platform: Platform;
  let user: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start();
    user = await newAccount(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('makes the gateway answer 503 at once, without hanging, and recover when it returns', async () => {
    await platform.service('users').stop();

    const started = Date.now();
    const down = await http(platform.baseUrl, 'GET', '/v1/users/me', {
      headers: user.authorization,
    });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('1');
    expect(down.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    // REQUEST_TIMEOUT_MS is 2000 in the test deployments: no responders must not wait for it.
    expect(Date.now() - started).toBeLessThan(2000);

    await platform.service('users').start();
    const back = await http(platform.baseUrl, 'GET', '/v1/users/me', {
      headers: user.authorization,
    });
    expect(back.status).toBe(200);
    expect(back.body.id).toBe(user.id);
  });

  it('spends no refresh token on a refresh it could not answer, so the retry refreshes', async () => {
    const account = await newAccount(platform.baseUrl);
    const refresh = () =>
      http(platform.baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
    // The rotation is auth's own, but the new pair needs the roles, which live in users.
    await platform.service('users').stop();
    expect((await refresh()).status).toBe(503);
    await platform.service('users').start();
    // Not a reuse: the session lives on, and the same token rotates now.
    const retried = await refresh();
    expect(retried.status).toBe(200);
    const me = await http(platform.baseUrl, 'GET', '/v1/users/me', {
      headers: { authorization: `Bearer ${retried.body.access_token}` },
    });
    expect(me.status).toBe(200);
    expect((await refresh()).status).toBe(401);
  });
});
