import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newAccount, TestAccount } from './support/accounts';
import { describeWithBrowser, launchChromium } from './support/chromium';
import { registerClient, RegisteredClient } from './support/oauth-clients';
import { Platform, shape } from './support/platform';
import { rememberSecret } from './support/secrets';

/**
 * The hosted login in a real browser: Chromium, driven by playwright-core, goes from a
 * client's authorization request through the login and consent pages to the client's
 * redirect URI with a code; a second client signs in from the SSO session without the login
 * form; consent is asked once; logging out ends the SSO session, and goes back to the client's
 * registered post-logout page when it asks.
 */
describeWithBrowser(`the hosted login in a browser (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let callbackServer: Server;
  let callback: string;
  let user: TestAccount;
  let reports: RegisteredClient;
  let mobile: RegisteredClient;
  let native: RegisteredClient;

  beforeAll(async () => {
    platform = await Platform.start(shape, {}, { issuerAtGateway: true });
    baseUrl = platform.baseUrl;
    // The clients' redirect URIs: a page that only says it was reached.
    callbackServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<p>Back at the client</p>');
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    callback = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    const admin = await platform.admin();
    user = await newAccount(baseUrl, 'Grace Hopper');
    reports = await registerClient(baseUrl, admin, {
      client_name: 'Reports',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}/reports`],
      post_logout_redirect_uris: [`${callback}/signed-out`],
      scope: 'openid profile email',
      token_endpoint_auth_method: 'none',
    });
    mobile = await registerClient(baseUrl, admin, {
      client_name: 'Mobile',
      grant_types: ['authorization_code'],
      redirect_uris: [`${callback}/mobile`],
      scope: 'openid email',
      token_endpoint_auth_method: 'none',
    });
    // RFC 8252 7.1: a native app's private-use scheme, which no page here can navigate to.
    native = await registerClient(baseUrl, admin, {
      client_name: 'Native',
      grant_types: ['authorization_code'],
      redirect_uris: ['com.example.native:/callback'],
      scope: 'openid',
      token_endpoint_auth_method: 'none',
    });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    // The browser's cookies are secrets too: the deployment checks no log line holds one.
    for (const cookie of (await context?.cookies()) ?? []) rememberSecret(cookie.value);
    await browser?.close();
    await new Promise((resolve) => callbackServer?.close(resolve));
    await platform?.stop();
  });

  /** A client's authorization request, and what its callback must bring back. */
  async function authorizationUrl(client: RegisteredClient, scope: string) {
    const verifier = oauth.generateRandomCodeVerifier();
    rememberSecret(verifier);
    const state = oauth.generateRandomState();
    const url = new URL('/oauth2/authorize', baseUrl);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0],
      response_type: 'code',
      scope,
      state,
      nonce: oauth.generateRandomNonce(),
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state, verifier };
  }

  /** Waits for the browser to land on the client's redirect URI; its parameters. */
  async function landedAt(client: RegisteredClient): Promise<URLSearchParams> {
    await page.waitForURL((url) => url.toString().startsWith(client.redirect_uris[0]));
    const landed = new URL(page.url());
    rememberSecret(landed.searchParams.get('code'));
    return landed.searchParams;
  }

  it('goes through the login and consent pages to the client with a code', async () => {
    const request = await authorizationUrl(reports, 'openid profile email');
    await page.goto(request.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.getByText('Reports asks to:').count()).toBe(1);
    await page.getByRole('button', { name: 'Allow' }).click();
    const params = await landedAt(reports);
    expect(params.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBe(request.state);
    expect(params.get('iss')).toBe(baseUrl);
  });

  it('signs the user in to a second client from the SSO session, without the login form', async () => {
    const request = await authorizationUrl(mobile, 'openid email');
    await page.goto(request.url);
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    await page.getByRole('button', { name: 'Allow' }).click();
    expect((await landedAt(mobile)).get('state')).toBe(request.state);
  });

  it('asks for consent once: the same client and scopes go straight back', async () => {
    const request = await authorizationUrl(mobile, 'openid email');
    await page.goto(request.url);
    const params = await landedAt(mobile);
    expect(params.get('code')).toEqual(expect.any(String));
  });

  it('ends the SSO session on logout: the next client must show the login form again', async () => {
    await page.goto(new URL('/oauth2/logout', baseUrl).toString());
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.goto((await authorizationUrl(mobile, 'openid email')).url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Password').count()).toBe(1);
  });

  it('sends the browser back to the client’s registered post-logout page once the user confirms', async () => {
    await page.goto((await authorizationUrl(reports, 'openid profile email')).url);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await landedAt(reports);
    const logout = new URL('/oauth2/logout', baseUrl);
    logout.search = new URLSearchParams({
      client_id: reports.client_id,
      post_logout_redirect_uri: `${callback}/signed-out`,
      state: 'see you',
    }).toString();
    await page.goto(logout.toString());
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The form's redirect leaves for the client's origin, which the page's CSP form-action allows.
    await page.waitForURL((url) => url.toString().startsWith(`${callback}/signed-out`));
    expect(new URL(page.url()).searchParams.get('state')).toBe('see you');
    await page.goto((await authorizationUrl(mobile, 'openid email')).url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('starts in the email field, and after a refusal in the password field the error describes', async () => {
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto((await authorizationUrl(reports, 'openid')).url);
    await fresh.getByRole('heading', { name: 'Sign in' }).waitFor();
    const focused = () => fresh.locator(':focus').getAttribute('id');
    expect(await focused()).toBe('email');
    await fresh.keyboard.type(user.email);
    await fresh.getByLabel('Password').fill('not the password');
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.getByRole('alert').waitFor();
    expect(await focused()).toBe('password');
    const password = fresh.getByLabel('Password');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await password.getAttribute('aria-describedby');
    expect(await fresh.locator(`#${describedBy}`).textContent()).toBe('Wrong email or password.');
    await fresh.context().close();
  });
  it('sends a native app’s code to its private-use scheme, which the pages’ CSP form-action allows', async () => {
    const fresh = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    fresh.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refused.push(message.text());
    });
    // The browser cannot open the app, but it sets out for it: the request says where to.
    const leaving = new Promise<URL>((resolve) =>
      fresh.on('request', (request) => {
        if (request.url().startsWith(native.redirect_uris[0])) resolve(new URL(request.url()));
      }),
    );
    const request = await authorizationUrl(native, 'openid');
    await fresh.goto(request.url);
    await fresh.getByLabel('Email').fill(user.email);
    await fresh.getByLabel('Password').fill(user.password);
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await fresh.getByRole('button', { name: 'Allow' }).click();
    const landed = await Promise.race([
      leaving,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000)),
    ]);
    expect(refused).toEqual([]);
    rememberSecret(landed?.searchParams.get('code'));
    expect(landed?.searchParams.get('state')).toBe(request.state);
    await fresh.context().close();
  });
});
