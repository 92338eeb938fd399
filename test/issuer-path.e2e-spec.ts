import * as oauth from 'oauth4webapi';
import { newAccount, TestAccount } from './support/accounts';
import { BrowserAgent, PageResult } from './support/browser-agent';
import { RELYING_PARTY } from './support/oauth';
import { registerClient, RegisteredClient } from './support/oauth-clients';
import { PathPrefixProxy } from './support/path-prefix-proxy';
import { Platform, shape } from './support/platform';
import { rememberSecret } from './support/secrets';

/**
 * An issuer with a path (`ISSUER=http://host/idp`, RFC 8414 2 allows one), the platform behind
 * a proxy that serves it there and nothing else: relying parties find it by either discovery,
 * and a browser signs in, consents and logs out on the hosted pages without leaving the path.
 */
describe(`an issuer with a path, behind a proxy (${shape})`, () => {
  let proxy: PathPrefixProxy;
  let platform: Platform;
  let admin: TestAccount;
  let user: TestAccount;
  let client: RegisteredClient;
  const callback = 'http://127.0.0.1:9/idp-callback';

  beforeAll(async () => {
    proxy = await PathPrefixProxy.start('/idp');
    platform = await Platform.start(shape, { ISSUER: proxy.url });
    proxy.forwardTo(platform.baseUrl);
    admin = await platform.admin();
    user = await newAccount(platform.baseUrl);
    client = await registerClient(platform.baseUrl, admin, {
      client_name: 'Behind a proxy',
      grant_types: ['authorization_code'],
      redirect_uris: [callback],
      post_logout_redirect_uris: [`${callback}/signed-out`],
      scope: 'openid email',
      token_endpoint_auth_method: 'none',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await proxy?.stop();
  });

  async function discover(algorithm: 'oidc' | 'oauth2'): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(proxy.url);
    return oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm, ...RELYING_PARTY }),
    );
  }

  /** Each page the browser lands on is under the issuer's path. */
  function underIssuer(page: PageResult): PageResult {
    expect(page.url.startsWith(`${proxy.url}/`)).toBe(true);
    if (page.status !== 303) expect(page.status).toBe(200);
    return page;
  }

  it.each(['oidc', 'oauth2'] as const)(
    'is found by %s discovery, its endpoints under its path',
    async (algorithm) => {
      const as = await discover(algorithm);
      expect(as.issuer).toBe(proxy.url);
      expect(as.authorization_endpoint).toBe(`${proxy.url}/oauth2/authorize`);
      expect(as.token_endpoint).toBe(`${proxy.url}/oauth2/token`);
    },
  );

  it('signs a user in, asks consent and logs out on the hosted pages, all under the path', async () => {
    const as = await discover('oidc');
    const relyingParty: oauth.Client = { client_id: client.client_id };
    const verifier = oauth.generateRandomCodeVerifier();
    rememberSecret(verifier);
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: callback,
      response_type: 'code',
      scope: 'openid email',
      state: 'through-the-proxy',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const agent = new BrowserAgent(proxy.url);

    const login = underIssuer(await agent.get(url.toString()));
    expect(login.body).toContain('name="password"');
    const loggedIn = underIssuer(
      await agent.submit(login, { email: user.email, password: user.password }),
    );
    const consent = underIssuer(await agent.get(loggedIn.location!));
    expect(consent.body).toContain('name="decision"');
    const granted = underIssuer(await agent.submit(consent, { decision: 'allow' }));
    const callbackUrl = new URL(granted.location!);
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(callback);

    const params = oauth.validateAuthResponse(as, relyingParty, callbackUrl, 'through-the-proxy');
    rememberSecret(params.get('code'));
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      relyingParty,
      await oauth.authorizationCodeGrantRequest(
        as,
        relyingParty,
        oauth.None(),
        params,
        callback,
        verifier,
        RELYING_PARTY,
      ),
      { requireIdToken: true },
    );
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({
      iss: proxy.url,
      sub: user.id,
    });

    // Without an ID token the logout asks first; its confirmation posts under the path too.
    const confirm = underIssuer(await agent.get(as.end_session_endpoint!));
    expect(confirm.body).toContain('Sign out?');
    underIssuer(await agent.submit(confirm));
    const again = underIssuer(await agent.get(url.toString()));
    expect(again.body).toContain('name="password"');
  });
});
