import * as axe from 'axe-core';
import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newAccount, TestAccount } from './support/accounts';
import { describeWithBrowser, launchChromium } from './support/chromium';
import { registerClient, RegisteredClient } from './support/oauth-clients';
import { Platform, shape } from './support/platform';
import { rememberSecret } from './support/secrets';

/** The WCAG 2.0, 2.1 and 2.2 success criteria of levels A and AA that axe-core checks. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A client registered by anyone (RFC 7591) may name itself with one long unbroken word. */
const LONG_NAME = `Reports${'X'.repeat(80)}`;

/**
 * The hosted pages (login, login after a refusal, consent, logout confirmation, signed out,
 * an error page) against WCAG 2.2 A and AA: axe-core's rules in Chromium, and what axe cannot
 * tell from the DOM alone: one `h1`, a title, labelled fields with their purpose (1.3.5), the
 * error tied to its field (3.3.1), and reflow at 320 CSS pixels, 1280 at 400% (1.4.10).
 */
describeWithBrowser(`the hosted pages' accessibility (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: TestAccount;
  let client: RegisteredClient;
  let named: RegisteredClient;

  beforeAll(async () => {
    platform = await Platform.start(shape, {}, { issuerAtGateway: true });
    baseUrl = platform.baseUrl;
    const admin = await platform.admin();
    user = await newAccount(baseUrl, 'Grace Hopper');
    // The redirect URI is never reached: every page checked is before it.
    client = await registerClient(baseUrl, admin, {
      client_name: 'Reports',
      grant_types: ['authorization_code'],
      redirect_uris: ['http://127.0.0.1:9/callback'],
      scope: 'openid profile email offline_access',
      token_endpoint_auth_method: 'none',
    });
    named = await registerClient(baseUrl, admin, {
      client_name: LONG_NAME,
      grant_types: ['authorization_code'],
      redirect_uris: ['http://127.0.0.1:9/callback'],
      scope: 'openid',
      token_endpoint_auth_method: 'none',
    });
    browser = await launchChromium();
    // The pages' CSP (`default-src 'none'`) refuses the injected axe-core script, as it should
    // any script: the test's browser alone ignores it, what the server sends is unchanged.
    // 320 CSS pixels wide: a 1280-pixel window at 400% zoom (WCAG 1.4.10).
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 640 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    for (const cookie of (await context?.cookies()) ?? []) rememberSecret(cookie.value);
    await browser?.close();
    await platform?.stop();
  });

  async function authorizationUrl(to: RegisteredClient, scope: string): Promise<string> {
    const verifier = oauth.generateRandomCodeVerifier();
    rememberSecret(verifier);
    const url = new URL('/oauth2/authorize', baseUrl);
    url.search = new URLSearchParams({
      client_id: to.client_id,
      redirect_uri: to.redirect_uris[0],
      response_type: 'code',
      scope,
      state: oauth.generateRandomState(),
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** What axe-core finds against WCAG 2.2 A and AA, rule and offending markup. */
  async function axeViolations(on: Page): Promise<string[]> {
    await on.addScriptTag({ content: axe.source });
    // An expression, run in the page (the suite's TypeScript has no DOM types).
    const options = { runOnly: { type: 'tag', values: WCAG_AA } };
    const results = await on.evaluate<axe.AxeResults>(
      `axe.run(document, ${JSON.stringify(options)})`,
    );
    // axe-core ran its rules: the page's language, title and text contrast among those passed.
    expect(results.passes.map((rule) => rule.id)).toEqual(
      expect.arrayContaining(['html-has-lang', 'document-title', 'color-contrast']),
    );
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.html} (${node.failureSummary})`),
    );
  }

  /** Checks every page gets, whatever its content. */
  async function expectAccessible(on: Page, heading: string): Promise<void> {
    expect(await on.locator('html').getAttribute('lang')).toBe('en');
    expect(await on.title()).toBe(heading);
    expect(await on.locator('h1').allTextContents()).toEqual([heading]);
    // Meaning is in text, never in images, and nothing needs a script or another origin.
    expect(await on.locator('img, svg, canvas, script, iframe, link, object').count()).toBe(0);
    // Every field the user fills in has a label, and every button a name, and can be reached.
    for (const input of await on.locator('input:not([type=hidden])').all()) {
      const id = await input.getAttribute('id');
      expect(await on.locator(`label[for="${id}"]`).count()).toBe(1);
    }
    for (const button of await on.locator('button').all()) {
      expect((await button.textContent())?.trim()).not.toBe('');
      // A native button, in the tab order unless a tabindex or `disabled` takes it out.
      expect(await button.getAttribute('tabindex')).toBeNull();
      expect(await button.isDisabled()).toBe(false);
    }
    // WCAG 1.4.10: no scrolling sideways at 320 CSS pixels.
    expect(await on.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      320,
    );
    // Last, for it adds its script to the page.
    expect(await axeViolations(on)).toEqual([]);
  }

  it('the login page', async () => {
    await page.goto(await authorizationUrl(client, 'openid profile'));
    await expectAccessible(page, 'Sign in');
    // WCAG 1.3.5: the fields' purposes, for autofill and password managers.
    expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('Email').getAttribute('type')).toBe('email');
    expect(await page.getByLabel('Password').getAttribute('autocomplete')).toBe('current-password');
  });

  it('the login page after a wrong password, its error announced and tied to the field', async () => {
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'Sign in');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong email or password.');
    const password = page.getByLabel('Password');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await password.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
  });

  it('the consent page', async () => {
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await expectAccessible(page, 'Allow access?');
    expect(await page.getByRole('button').allTextContents()).toEqual(['Allow', 'Deny']);
  });

  it('the consent page of a client with a long unbroken name reflows at 320 pixels', async () => {
    await page.goto(await authorizationUrl(named, 'openid'));
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.getByText(`${LONG_NAME} asks to:`).count()).toBe(1);
    await expectAccessible(page, 'Allow access?');
  });

  it('the logout confirmation page, and the page after it', async () => {
    await page.goto(new URL('/oauth2/logout', baseUrl).toString());
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await expectAccessible(page, 'Sign out?');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await expectAccessible(page, 'Signed out');
  });

  it('the login page of a client with a long unbroken name reflows at 320 pixels', async () => {
    await page.goto(await authorizationUrl(named, 'openid'));
    await expectAccessible(page, 'Sign in');
  });

  it('an error page: an unknown client', async () => {
    const url = new URL(await authorizationUrl(client, 'openid'));
    url.searchParams.set('client_id', 'no-such-client');
    const response = await page.goto(url.toString());
    expect(response?.status()).toBe(400);
    await expectAccessible(page, 'This sign-in link is not valid');
    expect(await page.getByRole('alert').count()).toBe(1);
  });
});
