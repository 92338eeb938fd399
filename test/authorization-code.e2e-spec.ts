import { createServer } from 'node:net';
import * as oauth from 'oauth4webapi';
import { newAccount, TestAccount } from './support/accounts';
import { BrowserAgent, formOf, PageResult } from './support/browser-agent';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { RELYING_PARTY } from './support/oauth';
import { registerClient, RegisteredClient } from './support/oauth-clients';
import { Platform, shape } from './support/platform';
import { rememberSecret } from './support/secrets';

/** A port nothing listens on: the redirect URIs are only ever read, never fetched. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The authorization code flow with PKCE and OpenID Connect, driven request by request as a
 * browser and a relying party would: the relying party is `oauth4webapi`, which checks every
 * response as the specifications say (the `iss` of the authorization response, the ID token,
 * the userinfo `sub`), so a deviation fails here rather than in someone's application.
 */
describe(`the authorization code flow (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let as: oauth.AuthorizationServer;
  let admin: TestAccount;
  let user: TestAccount;
  let confidential: RegisteredClient;
  let publicClient: RegisteredClient;
  let callback: string;

  beforeAll(async () => {
    platform = await Platform.start(shape, {}, { issuerAtGateway: true });
    baseUrl = platform.baseUrl;
    const issuer = new URL(baseUrl);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...RELYING_PARTY }),
    );
    admin = await platform.admin();
    user = await newAccount(baseUrl, 'Ada Lovelace');
    callback = `http://127.0.0.1:${await closedPort()}/callback`;
    confidential = await registerClient(baseUrl, admin, {
      client_name: 'Reports',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [callback],
      post_logout_redirect_uris: [`${callback}/signed-out`],
      scope: 'openid profile email offline_access users:read orders:read',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    rememberSecret(confidential.client_secret);
    publicClient = await registerClient(baseUrl, admin, {
      client_name: 'Mobile',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}/mobile`],
      scope: 'openid email users:read',
      token_endpoint_auth_method: 'none',
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  interface Started {
    url: URL;
    verifier: string;
    state: string;
    nonce: string;
  }

  async function authorizationRequest(
    client: RegisteredClient,
    scope: string,
    extra: Record<string, string> = {},
  ): Promise<Started> {
    const verifier = oauth.generateRandomCodeVerifier();
    rememberSecret(verifier);
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0],
      response_type: 'code',
      scope,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    return { url, verifier, state, nonce };
  }

  /** Through the login form (and the consent page, when shown) to the client's callback. */
  async function signIn(
    agent: BrowserAgent,
    started: Started,
    account: TestAccount = user,
  ): Promise<{ callbackUrl: URL; pages: string[] }> {
    const pages: string[] = [];
    let page = await agent.get(started.url.toString());
    for (let step = 0; step < 5; step++) {
      if (page.status === 303 && page.location!.startsWith(callback)) {
        return { callbackUrl: new URL(page.location!), pages };
      }
      if (page.status === 303) {
        page = await agent.get(page.location!);
        continue;
      }
      expect(page.status).toBe(200);
      if (page.body.includes('name="password"')) {
        pages.push('login');
        page = await agent.submit(page, { email: account.email, password: account.password });
      } else if (page.body.includes('name="decision"')) {
        pages.push('consent');
        page = await agent.submit(page, { decision: 'allow' });
      } else {
        throw new Error(`Unexpected page: ${page.body}`);
      }
    }
    throw new Error('The flow did not reach the callback');
  }

  function clientOf(registered: RegisteredClient): [oauth.Client, oauth.ClientAuth] {
    const client: oauth.Client = { client_id: registered.client_id };
    return [
      client,
      registered.client_secret ? oauth.ClientSecretBasic(registered.client_secret) : oauth.None(),
    ];
  }

  async function redeem(
    registered: RegisteredClient,
    started: Started,
    callbackUrl: URL,
    redirectUri = registered.redirect_uris[0],
  ) {
    const [client, auth] = clientOf(registered);
    const params = oauth.validateAuthResponse(as, client, callbackUrl, started.state);
    rememberSecret(params.get('code'));
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      redirectUri,
      started.verifier,
      RELYING_PARTY,
    );
    return oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: started.nonce,
      requireIdToken: true,
    });
  }

  it('advertises the code flow with PKCE S256 and iss in the response', () => {
    expect(as).toMatchObject({
      authorization_endpoint: `${baseUrl}/oauth2/authorize`,
      userinfo_endpoint: `${baseUrl}/oauth2/userinfo`,
      end_session_endpoint: `${baseUrl}/oauth2/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      // Said outright: omitted, OpenID Connect Discovery would mean request_uri is supported.
      request_uri_parameter_supported: false,
      request_parameter_supported: false,
      // What ID tokens are signed with: the signing keys' algorithm, RS256 by default, alone.
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('signs a user in on the hosted page and hands the client a code it redeems for tokens and an ID token', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(
      confidential,
      'openid profile email users:read offline_access',
    );
    const { callbackUrl, pages } = await signIn(agent, started);
    expect(pages).toEqual(['login', 'consent']);
    expect(callbackUrl.searchParams.get('iss')).toBe(as.issuer);
    expect(callbackUrl.searchParams.get('state')).toBe(started.state);

    const result = await redeem(confidential, started, callbackUrl);
    rememberSecret(result.refresh_token);
    expect(result.token_type).toBe('bearer');
    expect(result.refresh_token).toEqual(expect.any(String));
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    expect(claims).toMatchObject({
      iss: as.issuer,
      sub: user.id,
      aud: confidential.client_id,
      nonce: started.nonce,
      auth_time: expect.any(Number),
      sid: expect.any(String),
      at_hash: expect.any(String),
    });
    const idHeader = JSON.parse(
      Buffer.from(result.id_token!.split('.')[0], 'base64url').toString(),
    );
    expect(idHeader.typ).toBe('JWT');

    const [client] = clientOf(confidential);
    const info = await oauth.processUserInfoResponse(
      as,
      client,
      user.id,
      await oauth.userInfoRequest(as, client, result.access_token, RELYING_PARTY),
    );
    expect(info).toEqual({
      sub: user.id,
      name: 'Ada Lovelace',
      email: user.email,
      email_verified: false,
    });
    // The access token works at an API route, for what its scopes allow.
    const me = await http(baseUrl, 'GET', '/v1/users/me', {
      headers: { authorization: `Bearer ${result.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
    // offline_access: the refresh token rotates like a session's.
    const [, auth] = clientOf(confidential);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token!, RELYING_PARTY),
    );
    rememberSecret(refreshed.refresh_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(result.refresh_token);
  });

  it('gives no refresh token without offline_access, and ends the SSO session with every session of the user', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid users:read');
    const result = await redeem(
      confidential,
      started,
      (await signIn(agent, started, account)).callbackUrl,
    );
    expect(result.refresh_token).toBeUndefined();
    const loggedOut = await http(baseUrl, 'POST', '/v1/auth/logout-all', {
      headers: account.authorization,
    });
    expect(loggedOut.status).toBe(204);
    const none = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(none.location!).searchParams.get('error')).toBe('login_required');
    expect(
      (
        await http(baseUrl, 'GET', '/v1/users/me', {
          headers: { authorization: `Bearer ${result.access_token}` },
        })
      ).status,
    ).toBe(401);
  });

  it('signs the user in to a second client from the SSO session, and asks consent only once', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const firstRequest = await authorizationRequest(confidential, 'openid');
    const first = await signIn(agent, firstRequest, account);
    expect(first.pages).toEqual(['login', 'consent']);
    const firstResult = await redeem(confidential, firstRequest, first.callbackUrl);
    const started = await authorizationRequest(publicClient, 'openid email');
    const second = await signIn(agent, started, account);
    expect(second.pages).toEqual(['consent']);
    const result = await redeem(publicClient, started, second.callbackUrl);
    expect(result.refresh_token).toBeUndefined();
    // One SSO session, one sid, for both clients.
    expect(oauth.getValidatedIdTokenClaims(result)!.sid).toBe(
      oauth.getValidatedIdTokenClaims(firstResult)!.sid,
    );
    // Consent is remembered: the same scopes again need no page at all.
    const third = await signIn(
      agent,
      await authorizationRequest(publicClient, 'openid email'),
      account,
    );
    expect(third.pages).toEqual([]);
  });

  it('answers prompt=none with login_required, then consent_required, and prompt=login with the form', async () => {
    const agent = new BrowserAgent(baseUrl);
    const none = await agent.get(
      (await authorizationRequest(publicClient, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(none.status).toBe(303);
    const refused = new URL(none.location!);
    expect(refused.searchParams.get('error')).toBe('login_required');
    expect(refused.searchParams.get('iss')).toBe(as.issuer);
    await signIn(agent, await authorizationRequest(confidential, 'openid'));
    const account = await newAccount(baseUrl);
    const fresh = new BrowserAgent(baseUrl);
    await signIn(fresh, await authorizationRequest(confidential, 'openid'), account);
    const consent = await fresh.get(
      (await authorizationRequest(publicClient, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(consent.location!).searchParams.get('error')).toBe('consent_required');
    const login = await fresh.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'login' })).url.toString(),
    );
    expect(login.status).toBe(200);
    expect(login.body).toContain('name="password"');
  });

  it('signs the same user in again for prompt=login and an exceeded max_age, in the same SSO session', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const first = await authorizationRequest(confidential, 'openid');
    const before = oauth.getValidatedIdTokenClaims(
      await redeem(confidential, first, (await signIn(agent, first, account)).callbackUrl),
    )!;
    const cookie = agent.cookies.get('op_session');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await authorizationRequest(confidential, 'openid', { max_age: '0' });
    const signedIn = await signIn(agent, again, account);
    expect(signedIn.pages).toEqual(['login']);
    const after = oauth.getValidatedIdTokenClaims(
      await redeem(confidential, again, signedIn.callbackUrl),
    )!;
    expect(after.sid).toBe(before.sid);
    expect(after.auth_time).toBeGreaterThan(before.auth_time!);
    // A new cookie after the login: the old one names no session any more.
    expect(agent.cookies.get('op_session')).not.toBe(cookie);
    const login = await authorizationRequest(confidential, 'openid', { prompt: 'login' });
    expect((await signIn(agent, login, account)).pages).toEqual(['login']);
  });

  it('takes max_age=0 for prompt=login, even in the second the user signed in', async () => {
    const agent = new BrowserAgent(baseUrl);
    await signIn(agent, await authorizationRequest(confidential, 'openid'));
    const again = await agent.get(
      (await authorizationRequest(confidential, 'openid', { max_age: '0' })).url.toString(),
    );
    expect(again.status).toBe(200);
    expect(again.body).toContain('name="password"');
  });

  it('signs in without a prompt only the user an id_token_hint names', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const first = await authorizationRequest(confidential, 'openid');
    const own = await redeem(
      confidential,
      first,
      (await signIn(agent, first, account)).callbackUrl,
    );
    const other = new BrowserAgent(baseUrl);
    const theirs = await authorizationRequest(confidential, 'openid');
    const foreign = await redeem(confidential, theirs, (await signIn(other, theirs)).callbackUrl);
    const withHint = async (hint: string) =>
      agent.get(
        (
          await authorizationRequest(confidential, 'openid', {
            prompt: 'none',
            id_token_hint: hint,
          })
        ).url.toString(),
      );
    const answer = async (hint: string) => new URL((await withHint(hint)).location!).searchParams;
    expect((await answer(own.id_token!)).get('code')).toEqual(expect.any(String));
    // OpenID Connect Core 3.1.2.1: the hinted user is not the one signed in here.
    expect((await answer(foreign.id_token!)).get('error')).toBe('login_required');
    // An access token, or anything this issuer did not sign, is no ID token.
    expect((await answer(own.access_token)).get('error')).toBe('invalid_request');
    expect((await answer('not.a.token')).get('error')).toBe('invalid_request');
  });

  it('answers a sign-in on the form as another user than the id_token_hint names with login_required', async () => {
    const account = await newAccount(baseUrl);
    const first = await authorizationRequest(confidential, 'openid');
    const own = await redeem(
      confidential,
      first,
      (await signIn(new BrowserAgent(baseUrl), first, account)).callbackUrl,
    );
    const agent = new BrowserAgent(baseUrl);
    const hinted = () =>
      authorizationRequest(confidential, 'openid', { id_token_hint: own.id_token! });
    const started = await hinted();
    const login = await agent.get(started.url.toString());
    expect(login.body).toContain('name="password"');
    // OpenID Connect Core 3.1.2.1: the user signed in by the request is not the one hinted.
    const answer = await agent.submit(login, { email: user.email, password: user.password });
    expect(answer.status).toBe(303);
    const refused = new URL(answer.location!);
    expect(refused.origin + refused.pathname).toBe(callback);
    expect(refused.searchParams.get('error')).toBe('login_required');
    expect(refused.searchParams.get('state')).toBe(started.state);
    expect(refused.searchParams.get('code')).toBeNull();
    // No session began for the other user.
    const none = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(none.location!).searchParams.get('error')).toBe('login_required');
    // The hinted user signs in on the same kind of form as ever.
    const again = await hinted();
    const { callbackUrl } = await signIn(agent, again, account);
    const claims = oauth.getValidatedIdTokenClaims(await redeem(confidential, again, callbackUrl));
    expect(claims!.sub).toBe(account.id);
  });

  it('keeps the registered redirect URI’s query as it is, and ignores a repeated unknown parameter', async () => {
    const registered = await registerClient(baseUrl, admin, {
      client_name: 'Routed',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}?flag&route=a;b&path=/x/~y`],
      scope: 'openid',
      token_endpoint_auth_method: 'none',
    });
    const started = await authorizationRequest(registered, 'openid');
    // RFC 6749 3.1: unrecognized parameters are ignored, however often they come.
    started.url.search += '&unknown=1&unknown=2';
    const { callbackUrl } = await signIn(new BrowserAgent(baseUrl), started);
    // RFC 6749 3.1.2: the query component is retained, character for character.
    const prefix = `${registered.redirect_uris[0]}&code=`;
    expect(callbackUrl.toString().slice(0, prefix.length)).toBe(prefix);
    expect((await redeem(registered, started, callbackUrl)).access_token).toEqual(
      expect.any(String),
    );
  });

  it('takes any port on a loopback redirect URI, as a native app is given one by its system when it asks (RFC 8252 7.3)', async () => {
    const desktop = await registerClient(baseUrl, admin, {
      client_name: 'Desktop',
      grant_types: ['authorization_code'],
      redirect_uris: ['http://127.0.0.1/callback/desktop'],
      scope: 'openid',
      token_endpoint_auth_method: 'none',
    });
    // The port the app listens on this time: the one `callback` names.
    const redirectUri = `${callback}/desktop`;
    const started = await authorizationRequest(desktop, 'openid', { redirect_uri: redirectUri });
    const { callbackUrl } = await signIn(new BrowserAgent(baseUrl), started);
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(redirectUri);
    const tokens = await redeem(desktop, started, callbackUrl, redirectUri);
    expect(tokens.access_token).toEqual(expect.any(String));
    // Only the port may differ: another path on that port is no redirect URI of the client's.
    const elsewhere = await authorizationRequest(desktop, 'openid', {
      redirect_uri: `${callback}/elsewhere`,
    });
    const page = await new BrowserAgent(baseUrl).get(elsewhere.url.toString());
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
  });

  it('sends no code to a redirect URI the client stopped registering, and redeems none', async () => {
    const kept = `${callback}/kept`;
    const registered = await registerClient(baseUrl, admin, {
      client_name: 'Moving',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}/dropped`, kept],
      scope: 'openid',
      token_endpoint_auth_method: 'none',
    });
    const agent = new BrowserAgent(baseUrl);
    const issued = await authorizationRequest(registered, 'openid');
    const { callbackUrl } = await signIn(agent, issued);
    const pending = await authorizationRequest(registered, 'openid', { prompt: 'login' });
    const loginPage = await agent.get(pending.url.toString());
    expect(loginPage.body).toContain('name="password"');
    const patched = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
      headers: admin.authorization,
      json: { redirect_uris: [kept] },
    });
    expect(patched.status).toBe(200);
    await eventually(async () => (await agent.get(issued.url.toString())).status === 400);
    // The request held before the change cannot reach the dropped URI any more...
    const resumed = await agent.submit(loginPage, { email: user.email, password: user.password });
    expect([resumed.status, resumed.location]).toEqual([400, undefined]);
    // ...nor can a code already sent there be redeemed.
    await expect(redeem(registered, issued, callbackUrl)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('grants no scope the client lost while the request waited, as a refresh would not', async () => {
    const registered = await registerClient(baseUrl, admin, {
      client_name: 'Narrowed',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}/narrowed`],
      scope: 'openid email users:read',
      token_endpoint_auth_method: 'none',
    });
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(registered, 'openid email users:read');
    const login = await agent.get(started.url.toString());
    const consent = await agent.get(
      (await agent.submit(login, { email: user.email, password: user.password })).location!,
    );
    expect(consent.body).toContain('name="decision"');
    const patched = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
      headers: admin.authorization,
      json: { scope: 'openid' },
    });
    expect(patched.status).toBe(200);
    await eventually(async () => {
      const asked = await new BrowserAgent(baseUrl).get(
        (await authorizationRequest(registered, 'openid email')).url.toString(),
      );
      return new URL(asked.location!).searchParams.get('error') === 'invalid_scope';
    });
    // The request held before the change asked for more than the client may have now.
    const answer = await agent.submit(consent, { decision: 'allow' });
    const result = await redeem(registered, started, new URL(answer.location!));
    expect(result.scope).toBe('openid');
    const [client] = clientOf(registered);
    const info = await oauth.processUserInfoResponse(
      as,
      client,
      user.id,
      await oauth.userInfoRequest(as, client, result.access_token, RELYING_PARTY),
    );
    expect(info).toEqual({ sub: user.id });
  });

  it('shows an error page, never a redirect, for an unknown client or a redirect URI not registered exactly', async () => {
    const agent = new BrowserAgent(baseUrl);
    const good = await authorizationRequest(confidential, 'openid');
    const variants: Record<string, string | undefined>[] = [
      { client_id: 'no-such-client' },
      { redirect_uri: 'https://attacker.example/callback' },
      { redirect_uri: `${callback}/` },
      { redirect_uri: `${callback}?x=1` },
      { redirect_uri: callback.toUpperCase() },
      { redirect_uri: publicClient.redirect_uris[0] },
      { redirect_uri: undefined },
    ];
    for (const variant of variants) {
      const url = new URL(good.url);
      for (const [name, value] of Object.entries(variant)) {
        if (value === undefined) url.searchParams.delete(name);
        else url.searchParams.set(name, value);
      }
      const page = await agent.get(url.toString());
      expect(page.status).toBe(400);
      expect(page.location).toBeUndefined();
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('answers a NUL byte in any parameter as a client’s mistake: an error page before the redirect URI, invalid_request after', async () => {
    const agent = new BrowserAgent(baseUrl);
    const good = await authorizationRequest(confidential, 'openid');
    const withNul = (name: string) => {
      const url = new URL(good.url);
      url.searchParams.set(name, `a\u0000b`);
      return url.toString();
    };
    for (const name of ['client_id', 'redirect_uri']) {
      const page = await agent.get(withNul(name));
      expect([page.status, page.location]).toEqual([400, undefined]);
    }
    for (const name of ['state', 'nonce', 'scope']) {
      const answer = await agent.get(withNul(name));
      expect(answer.status).toBe(303);
      expect(new URL(answer.location!).searchParams.get('error')).toBe('invalid_request');
    }
    const form = await agent.get(good.url.toString());
    const refused = await agent.submit(form, { email: `a\u0000b@example.com`, password: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('role="alert"');
  });

  it('refuses a request without PKCE, with plain PKCE, and a redemption with the wrong verifier', async () => {
    const agent = new BrowserAgent(baseUrl);
    for (const change of [
      (url: URL) => url.searchParams.delete('code_challenge'),
      (url: URL) => url.searchParams.delete('code_challenge_method'),
      (url: URL) => url.searchParams.set('code_challenge_method', 'plain'),
      (url: URL) => url.searchParams.set('code_challenge', 'too-short'),
    ]) {
      const started = await authorizationRequest(confidential, 'openid');
      change(started.url);
      const page = await agent.get(started.url.toString());
      expect(page.status).toBe(303);
      const refused = new URL(page.location!);
      expect(refused.origin + refused.pathname).toBe(callback);
      expect(refused.searchParams.get('error')).toBe('invalid_request');
      expect(refused.searchParams.get('state')).toBe(started.state);
    }
    const started = await authorizationRequest(confidential, 'openid');
    const { callbackUrl } = await signIn(agent, started);
    const wrong = { ...started, verifier: oauth.generateRandomCodeVerifier() };
    await expect(redeem(confidential, wrong, callbackUrl)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // A wrong verifier spends nothing: the right one still redeems the code.
    await expect(redeem(confidential, started, callbackUrl)).resolves.toMatchObject({
      token_type: 'bearer',
    });
  });

  it('refuses a code redeemed twice, and revokes what its first redemption produced', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid users:read offline_access');
    const { callbackUrl } = await signIn(agent, started);
    const first = await redeem(confidential, started, callbackUrl);
    rememberSecret(first.refresh_token);
    const bearer = { authorization: `Bearer ${first.access_token}` };
    expect((await http(baseUrl, 'GET', '/v1/users/me', { headers: bearer })).status).toBe(200);
    await expect(redeem(confidential, started, callbackUrl)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // At once on the gateway that relayed the refusal (RFC 6749 4.1.2: "SHOULD revoke").
    expect((await http(baseUrl, 'GET', '/v1/users/me', { headers: bearer })).status).toBe(401);
    const refreshed = await http(baseUrl, 'POST', '/oauth2/token', {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(confidential),
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
      }).toString(),
    });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('refuses a resource it does not serve with invalid_target, and narrows to one it does (RFC 8707 2)', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid users:read offline_access');
    const { callbackUrl } = await signIn(agent, started);
    const code = callbackUrl.searchParams.get('code')!;
    rememberSecret(code);
    const redeemFor = (resource: string) =>
      http(baseUrl, 'POST', '/oauth2/token', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(confidential),
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: confidential.redirect_uris[0],
          code_verifier: started.verifier,
          resource,
        }).toString(),
      });
    // "If the authorization server fails to recognize or does not accept the resource value,
    // it MUST return an error", invalid_target; the code is not spent by the refusal.
    const refused = await redeemFor('https://elsewhere.example/api');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_target');
    const narrowed = await redeemFor('urn:identity-platform:service:users');
    expect(narrowed.status).toBe(200);
    rememberSecret(narrowed.body.refresh_token);
    const aud = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).aud;
    expect(aud(narrowed.body.access_token)).toEqual(['users']);

    const refreshFor = (resource: string) =>
      http(baseUrl, 'POST', '/oauth2/token', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(confidential),
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: narrowed.body.refresh_token,
          resource,
        }).toString(),
      });
    const refusedRefresh = await refreshFor('https://elsewhere.example/api');
    expect(refusedRefresh.status).toBe(400);
    expect(refusedRefresh.body.error).toBe('invalid_target');
    const refreshed = await refreshFor('urn:identity-platform:service:users');
    expect(refreshed.status).toBe(200);
    rememberSecret(refreshed.body.refresh_token);
    expect(aud(refreshed.body.access_token)).toEqual(['users']);
  });

  it('holds a code and its refresh tokens to the resources its authorization request named (RFC 8707 2)', async () => {
    const scoped = await registerClient(baseUrl, admin, {
      client_name: 'Orders dashboard',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${callback}/orders`],
      scope: 'openid orders:read users:read offline_access',
      token_endpoint_auth_method: 'client_secret_basic',
      audiences: ['orders', 'users'],
    });
    rememberSecret(scoped.client_secret);
    const resource = (service: string) => `urn:identity-platform:service:${service}`;
    const scope = 'openid orders:read users:read offline_access';
    const agent = new BrowserAgent(baseUrl);

    // 2.1: one it does not serve, or one the client may not use, is invalid_target at the
    // client, before any login.
    for (const refused of ['https://elsewhere.example/api', resource('auth')]) {
      const started = await authorizationRequest(scoped, scope, { resource: refused });
      const page = await agent.get(started.url.toString());
      expect(page.status).toBe(303);
      const answer = new URL(page.location!);
      expect(answer.searchParams.get('error')).toBe('invalid_target');
      expect(answer.searchParams.get('state')).toBe(started.state);
    }

    const started = await authorizationRequest(scoped, scope, { resource: resource('orders') });
    const { callbackUrl } = await signIn(agent, started);
    const code = callbackUrl.searchParams.get('code')!;
    rememberSecret(code);
    const token = (params: Record<string, string>) =>
      http(baseUrl, 'POST', '/oauth2/token', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(scoped),
        },
        body: new URLSearchParams(params).toString(),
      });
    const redemption = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: scoped.redirect_uris[0],
      code_verifier: started.verifier,
    };
    const aud = (accessToken: string) =>
      JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).aud;

    // 2.2: a token request may narrow the grant's resources, never reach beyond them; the
    // refusal spends nothing.
    const beyond = await token({ ...redemption, resource: resource('users') });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error).toBe('invalid_target');
    const redeemed = await token(redemption);
    expect(redeemed.status).toBe(200);
    rememberSecret(redeemed.body.refresh_token);
    expect(aud(redeemed.body.access_token)).toEqual(['orders']);

    const refresh = { grant_type: 'refresh_token', refresh_token: redeemed.body.refresh_token };
    const refusedRefresh = await token({ ...refresh, resource: resource('users') });
    expect(refusedRefresh.status).toBe(400);
    expect(refusedRefresh.body.error).toBe('invalid_target');
    const refreshed = await token(refresh);
    expect(refreshed.status).toBe(200);
    rememberSecret(refreshed.body.refresh_token);
    expect(aud(refreshed.body.access_token)).toEqual(['orders']);
  });

  it('never takes an ID token for an access token', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid users:read');
    const result = await redeem(confidential, started, (await signIn(agent, started)).callbackUrl);
    rememberSecret(result.id_token);
    for (const [method, path] of [
      ['GET', '/v1/users/me'],
      ['GET', '/oauth2/userinfo'],
    ]) {
      const refused = await http(baseUrl, method, path, {
        headers: { authorization: `Bearer ${result.id_token}` },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('refuses a login or consent form without this browser’s CSRF token, and changes nothing', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid email');
    const login = await agent.get(started.url.toString());
    const form = formOf(login);
    const credentials = { email: account.email, password: account.password };
    for (const csrf of [undefined, 'wrong', form.fields.csrf_token.slice(0, -2) + 'AA']) {
      const fields: Record<string, string> = { ...form.fields, ...credentials };
      if (csrf === undefined) delete fields.csrf_token;
      else fields.csrf_token = csrf;
      const refused = await agent.post(form.action, fields);
      expect(refused.status).toBe(403);
      expect(refused.headers.getSetCookie()).toEqual([]);
    }
    // Another browser cannot submit this browser's form (login CSRF).
    const other = new BrowserAgent(baseUrl);
    await other.get((await authorizationRequest(confidential, 'openid')).url.toString());
    expect((await other.post(form.action, { ...form.fields, ...credentials })).status).toBe(403);
    // Nothing changed: no session began, so the same form still signs in, once.
    const consent = await agent.get(
      (await agent.post(form.action, { ...form.fields, ...credentials })).location!,
    );
    expect(consent.body).toContain('name="decision"');
    const consentForm = formOf(consent);
    const forged = await agent.post(consentForm.action, {
      ...consentForm.fields,
      csrf_token: 'forged',
      decision: 'allow',
    });
    expect(forged.status).toBe(403);
    // No consent was stored: the client still needs it.
    const none = await agent.get(
      (await authorizationRequest(confidential, 'openid email', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(none.location!).searchParams.get('error')).toBe('consent_required');
  });

  it('serves the pages with frame-ancestors none, no caching, and HttpOnly SameSite=Lax cookies', async () => {
    const agent = new BrowserAgent(baseUrl);
    const page = await agent.get(
      (await authorizationRequest(confidential, 'openid')).url.toString(),
    );
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(page.body).toContain('<label for="email">');
    for (const cookie of page.headers.getSetCookie()) {
      expect(cookie).toMatch(/; HttpOnly; SameSite=Lax/);
    }
  });

  it('counts failed logins on the hosted page against the API login’s throttle', async () => {
    const account = await newAccount(baseUrl);
    const agent = new BrowserAgent(baseUrl);
    const page = await agent.get(
      (await authorizationRequest(confidential, 'openid')).url.toString(),
    );
    let answer: PageResult = page;
    // LOGIN_MAX_FAILURES, 5 by default.
    for (let attempt = 0; attempt < 5; attempt++) {
      answer = await agent.submit(answer, { email: account.email, password: 'wrong password!' });
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('role="alert"');
    }
    const locked = await agent.submit(answer, { email: account.email, password: account.password });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    const api = await http(baseUrl, 'POST', '/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(api.status).toBe(429);
  });

  it('logs out on the client’s request: the SSO session and its tokens end, and the browser must sign in again', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid users:read offline_access');
    const result = await redeem(confidential, started, (await signIn(agent, started)).callbackUrl);
    rememberSecret(result.refresh_token);
    const bearer = { authorization: `Bearer ${result.access_token}` };
    // RP-Initiated Logout 1.0 3: only a registered post_logout_redirect_uri, exactly. An
    // unregistered one, and the client's redirect_uri (registered, but for authorization
    // responses), are refused with the error page, and nothing ends.
    const logout = new URL(as.end_session_endpoint!);
    logout.search = new URLSearchParams({
      id_token_hint: result.id_token!,
      state: 'bye',
    }).toString();
    for (const refused of ['https://attacker.example/', callback, `${callback}/signed-out/`]) {
      logout.searchParams.set('post_logout_redirect_uri', refused);
      const page = await agent.get(logout.toString());
      expect([page.status, page.location]).toEqual([400, undefined]);
      expect(page.body).toContain('This sign-out link is not valid');
      expect((await http(baseUrl, 'GET', '/v1/users/me', { headers: bearer })).status).toBe(200);
    }
    const stillIn = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(stillIn.location!).searchParams.get('code')).toEqual(expect.any(String));

    logout.searchParams.set('post_logout_redirect_uri', `${callback}/signed-out`);
    const out = await agent.get(logout.toString());
    expect(out.status).toBe(303);
    expect(out.location).toBe(`${callback}/signed-out?state=bye`);
    await eventually(
      async () => (await http(baseUrl, 'GET', '/v1/users/me', { headers: bearer })).status === 401,
    );
    const login = await agent.get(
      (await authorizationRequest(confidential, 'openid')).url.toString(),
    );
    expect(login.body).toContain('name="password"');
  });

  it('asks before logging out when the request carries no ID token', async () => {
    const agent = new BrowserAgent(baseUrl);
    await signIn(agent, await authorizationRequest(confidential, 'openid'));
    const confirm = await agent.get('/oauth2/logout');
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Sign out?');
    const forged = await agent.post('/oauth2/logout', { csrf_token: 'forged' });
    expect(forged.status).toBe(403);
    const stillIn = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(stillIn.location!).searchParams.get('code')).toEqual(expect.any(String));
    const done = await agent.submit(confirm);
    expect(done.status).toBe(200);
    expect(done.body).toContain('Signed out');
    const out = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(out.location!).searchParams.get('error')).toBe('login_required');
  });

  it('asks before ending a later session than the one the ID token came from', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid');
    const earlier = await redeem(confidential, started, (await signIn(agent, started)).callbackUrl);
    await agent.submit(await agent.get('/oauth2/logout'));
    await signIn(agent, await authorizationRequest(confidential, 'openid'));
    // RP-Initiated Logout 1.0 2: an ID token that does not belong to the current session is no
    // request of the current session's; whoever holds an old one may not end the new one.
    const link = new URL(as.end_session_endpoint!);
    link.searchParams.set('id_token_hint', earlier.id_token!);
    const asked = await agent.get(link.toString());
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('Sign out?');
    const stillIn = await agent.get(
      (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
    );
    expect(new URL(stillIn.location!).searchParams.get('code')).toEqual(expect.any(String));
  });

  it('keeps the UserInfo audience on a refreshed token, so userinfo answers it as it did the first', async () => {
    // A client whose own audiences leave out the gateway and auth, which serve UserInfo.
    const narrow = await registerClient(baseUrl, admin, {
      redirect_uris: [`${callback}/narrow`],
      scope: 'openid offline_access users:read',
      audiences: ['users', 'orders'],
    });
    rememberSecret(narrow.client_secret);
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(narrow, 'openid offline_access users:read');
    const result = await redeem(narrow, started, (await signIn(agent, started)).callbackUrl);
    rememberSecret(result.refresh_token);
    const [client, auth] = clientOf(narrow);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token!, RELYING_PARTY),
    );
    rememberSecret(refreshed.refresh_token);
    expect(refreshed.scope).toContain('openid');
    const audienceOf = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).aud;
    expect(audienceOf(refreshed.access_token)).toEqual(audienceOf(result.access_token));
    for (const token of [result.access_token, refreshed.access_token]) {
      const info = await oauth.processUserInfoResponse(
        as,
        client,
        user.id,
        await oauth.userInfoRequest(as, client, token, RELYING_PARTY),
      );
      expect(info.sub).toBe(user.id);
    }
  });

  it('refuses a refresh asking more scope than granted without spending its token (RFC 6749 6)', async () => {
    const agent = new BrowserAgent(baseUrl);
    const started = await authorizationRequest(confidential, 'openid offline_access users:read');
    const result = await redeem(confidential, started, (await signIn(agent, started)).callbackUrl);
    rememberSecret(result.refresh_token);
    const [client, auth] = clientOf(confidential);
    const refresh = (scope?: string) =>
      oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token!, {
        ...RELYING_PARTY,
        ...(scope ? { additionalParameters: { scope } } : {}),
      });
    // orders:read is the client's, but this grant never had it.
    const wider = await refresh('openid orders:read');
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
    // The refusal changed nothing: the same token still refreshes, and its session lives.
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await refresh());
    rememberSecret(refreshed.refresh_token);
    expect(refreshed.scope?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'users:read']),
    );
    const me = await http(baseUrl, 'GET', '/v1/users/me', {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(me.status).toBe(200);
  });

  it('gives the first refresh token of a code the client’s idle lifetime, as every later one', async () => {
    const brief = await registerClient(baseUrl, admin, {
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${callback}/brief`],
      scope: 'openid offline_access users:read',
      refresh_token_ttl_seconds: 120,
    });
    rememberSecret(brief.client_secret);
    const started = await authorizationRequest(brief, 'openid offline_access users:read');
    const { callbackUrl } = await signIn(new BrowserAgent(baseUrl), started);
    const { refresh_token: refreshToken } = await redeem(brief, started, callbackUrl);
    rememberSecret(refreshToken);
    const introspected = await http(baseUrl, 'POST', '/oauth2/introspect', {
      headers: { authorization: basic(brief), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken! }).toString(),
    });
    expect(introspected.body.active).toBe(true);
    expect(introspected.body.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 120);
  });

  it('gives a client registered for orders alone no administrator’s token for auth, openid or not', async () => {
    // UserInfo's audiences come with openid; admin there would open the client registry and the
    // security log to a client registered for orders alone.
    const ordersOnly = await registerClient(baseUrl, admin, {
      redirect_uris: [`${callback}/orders-only`],
      scope: 'openid orders:read admin',
      audiences: ['orders'],
    });
    rememberSecret(ordersOnly.client_secret);
    const started = await authorizationRequest(ordersOnly, 'openid orders:read admin');
    const { callbackUrl } = await signIn(new BrowserAgent(baseUrl), started, admin);
    const { access_token: token } = await redeem(ordersOnly, started, callbackUrl);
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).aud).not.toContain(
      'auth',
    );
    for (const path of ['/v1/admin/clients', '/v1/admin/security-events?limit=1']) {
      const refused = await http(baseUrl, 'GET', path, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.status).toBe(401);
    }
  });

  it('answers a client’s own token at userinfo with 401 invalid_token: its subject is no user', async () => {
    const service = await registerClient(baseUrl, admin, {
      scope: 'openid profile',
      audiences: ['gateway', 'auth'],
    });
    rememberSecret(service.client_secret);
    const client = { client_id: service.client_id };
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(service.client_secret!),
        {},
        RELYING_PARTY,
      ),
    );
    expect(tokens.scope).toContain('openid');
    for (const method of ['GET', 'POST']) {
      const refused = await http(baseUrl, method, '/oauth2/userinfo', {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(refused.status).toBe(401);
      // OpenID Connect Core 5.3.3: the error of RFC 6750 3.1, in its challenge.
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('leaves no SSO session to a sign-in on the form that checked the old password while it was being changed', async () => {
    // As for POST /v1/auth/login: the form reads the password hash, verifies it (the slow
    // part), then begins the SSO session; one whose check began before the change and whose
    // session begins after the change's revocation must not keep signing the browser in.
    const SIGN_INS = 20;
    const SPREAD_MS = 15;
    const account = await newAccount(baseUrl);
    const browsers = await Promise.all(
      Array.from({ length: SIGN_INS }, async () => {
        const agent = new BrowserAgent(baseUrl);
        const form = await agent.get(
          (await authorizationRequest(confidential, 'openid')).url.toString(),
        );
        expect(form.body).toContain('name="password"');
        return { agent, form };
      }),
    );
    const signIns = browsers.map(
      ({ agent, form }, index) =>
        new Promise<PageResult>((resolve, reject) => {
          setTimeout(() => {
            agent
              .submit(form, { email: account.email, password: account.password })
              .then(resolve, reject);
          }, index * SPREAD_MS);
        }),
    );
    const changed = await http(baseUrl, 'POST', '/v1/auth/password', {
      headers: account.authorization,
      json: { currentPassword: account.password, newPassword: `new-${account.password}` },
    });
    expect(changed.status).toBe(204);
    await Promise.all(signIns);
    const signedIn: number[] = [];
    for (const [index, { agent }] of browsers.entries()) {
      const none = await agent.get(
        (await authorizationRequest(confidential, 'openid', { prompt: 'none' })).url.toString(),
      );
      expect(none.status).toBe(303);
      if (new URL(none.location!).searchParams.get('error') !== 'login_required') {
        signedIn.push(index);
      }
    }
    expect(signedIn).toEqual([]);
  });

  function basic(client: RegisteredClient): string {
    const encode = (value: string) => encodeURIComponent(value);
    return `Basic ${Buffer.from(`${encode(client.client_id)}:${encode(client.client_secret!)}`).toString('base64')}`;
  }
});
