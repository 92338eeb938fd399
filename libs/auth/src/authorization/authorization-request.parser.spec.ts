import { createHash } from 'node:crypto';
import { ClientRegistry } from '../clients/client-registry';
import { OAuthClient } from '../clients/oauth-client';
import { IdTokenHintVerifier } from '../oidc/id-token-hint.verifier';
import { AuthorizationPageError, AuthorizationRedirectError } from './authorization.errors';
import { AuthorizationRequestParser } from './authorization-request.parser';
import { BrowserParams } from './browser-params';

const client = {
  clientId: 'reports',
  clientName: 'Reports',
  clientType: 'public',
  grantTypes: ['authorization_code'],
  redirectUris: ['https://reports.example/callback'],
  scopes: ['openid', 'email'],
  audiences: ['users'],
  tokenEndpointAuthMethod: 'none',
  firstParty: false,
  builtIn: false,
  roles: [],
  createdAt: 0,
} as unknown as OAuthClient;

const registry = {
  find: (id: string) => Promise.resolve(id === client.clientId ? client : undefined),
} as unknown as ClientRegistry;

/** Knows one ID token, of user-1. */
const hints = {
  verify: (token: string) =>
    Promise.resolve(
      token === 'id-token-of-user-1' ? { subject: 'user-1', clientId: 'reports' } : undefined,
    ),
} as unknown as IdTokenHintVerifier;

const challenge = createHash('sha256').update('v'.repeat(43)).digest('base64url');

const valid: Record<string, string> = {
  client_id: 'reports',
  redirect_uri: 'https://reports.example/callback',
  response_type: 'code',
  scope: 'openid email',
  state: 'xyz',
  nonce: 'n-1',
  code_challenge: challenge,
  code_challenge_method: 'S256',
};

/** RFC 6749 4.1.1 and 4.1.2.1, RFC 7636 4.3, OpenID Connect Core 3.1.2.1 and 3.1.2.6. */
describe('AuthorizationRequestParser', () => {
  const parser = new AuthorizationRequestParser(registry, hints);
  const parse = (changes: Record<string, string | string[] | undefined>) => {
    const params: Record<string, string | string[]> = { ...valid };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete params[name];
      else params[name] = value;
    }
    return parser.parse(new BrowserParams(params));
  };

  it('accepts a code request with S256 PKCE, carrying state and nonce', async () => {
    await expect(parse({ prompt: 'consent', max_age: '60' })).resolves.toMatchObject({
      client,
      redirectUri: valid.redirect_uri,
      scopes: ['openid', 'email'],
      state: 'xyz',
      nonce: 'n-1',
      codeChallenge: challenge,
      prompt: ['consent'],
      maxAge: 60,
    });
  });

  it('names the user of an id_token_hint, and ignores parameters it does not serve, repeated or not', async () => {
    await expect(
      parse({ id_token_hint: 'id-token-of-user-1', ui_locales: ['de', 'en'] }),
    ).resolves.toMatchObject({ hintedSubject: 'user-1' });
  });

  it('holds the request to the services its resource parameters name, each once (RFC 8707 2.1)', async () => {
    const users = 'urn:identity-platform:service:users';
    await expect(parse({ resource: [users, users] })).resolves.toMatchObject({
      resources: ['users'],
    });
    await expect(parse({})).resolves.toMatchObject({ resources: [] });
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['no client', { client_id: undefined }],
    ['no redirect URI', { redirect_uri: undefined }],
    ['a redirect URI not registered', { redirect_uri: 'https://attacker.example/callback' }],
    ['a registered URI with a suffix', { redirect_uri: `${valid.redirect_uri}/x` }],
    ['a registered URI with a query added', { redirect_uri: `${valid.redirect_uri}?a=1` }],
    ['a repeated redirect URI', { redirect_uri: [valid.redirect_uri, valid.redirect_uri] }],
  ])('shows an error page, never a redirect, for %s', async (_name, changes) => {
    await expect(parse(changes)).rejects.toBeInstanceOf(AuthorizationPageError);
  });

  it.each([
    ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
    [
      'no code_challenge_method (plain by default)',
      { code_challenge_method: undefined },
      'invalid_request',
    ],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['no response_type', { response_type: undefined }, 'invalid_request'],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type'],
    ['a hybrid flow', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['a scope the client may not have', { scope: 'openid admin' }, 'invalid_scope'],
    ['no scope', { scope: undefined }, 'invalid_scope'],
    ['prompt=none with another value', { prompt: 'none login' }, 'invalid_request'],
    ['an unknown prompt', { prompt: 'select_account' }, 'invalid_request'],
    ['a request object', { request: 'eyJ...' }, 'request_not_supported'],
    ['a repeated parameter', { scope: ['openid', 'email'] }, 'invalid_request'],
    ['a fragment response mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['a resource the server does not serve', { resource: 'https://api.example' }, 'invalid_target'],
    [
      'a resource the client may not reach',
      { resource: ['urn:identity-platform:service:users', 'urn:identity-platform:service:orders'] },
      'invalid_target',
    ],
    [
      'an id_token_hint that is no ID token of ours',
      { id_token_hint: 'forged' },
      'invalid_request',
    ],
  ])('answers %s at the redirect URI with %s and the state', async (_name, changes, error) => {
    const refusal = await parse(changes).catch((thrown: unknown) => thrown);
    expect(refusal).toBeInstanceOf(AuthorizationRedirectError);
    expect(refusal).toMatchObject({ redirectUri: valid.redirect_uri, state: 'xyz', error });
  });
});

/** RFC 8252 7.3 and RFC 9700 2.1: the one exception to exact matching, a loopback port. */
describe('AuthorizationRequestParser: loopback redirect URIs of native apps', () => {
  const native = {
    ...client,
    redirectUris: ['http://127.0.0.1/callback', 'http://[::1]:8400/cb', 'https://app.example/cb'],
  } as OAuthClient;
  const parser = new AuthorizationRequestParser(
    { find: () => Promise.resolve(native) } as unknown as ClientRegistry,
    hints,
  );
  const parse = (redirectUri: string) =>
    parser.parse(new BrowserParams({ ...valid, redirect_uri: redirectUri }));

  it.each([
    'http://127.0.0.1:51234/callback',
    'http://127.0.0.1/callback',
    'http://[::1]:9/cb',
    'http://[::1]/cb',
  ])('takes %s, whatever port the app was given, and answers there', async (redirectUri) => {
    await expect(parse(redirectUri)).resolves.toMatchObject({ redirectUri });
  });

  it.each([
    ['another path', 'http://127.0.0.1:51234/other'],
    ['a query added', 'http://127.0.0.1:51234/callback?x=1'],
    ['another loopback address', 'http://127.0.0.2:51234/callback'],
    ['https instead of http', 'https://127.0.0.1:51234/callback'],
    ['a port that is none', 'http://127.0.0.1:99999/callback'],
    ['port zero', 'http://127.0.0.1:0/callback'],
    ['user information', 'http://u@127.0.0.1:51234/callback'],
    ['a port on a host that is not loopback', 'https://app.example:8443/cb'],
  ])('shows an error page for %s', async (_name, redirectUri) => {
    await expect(parse(redirectUri)).rejects.toBeInstanceOf(AuthorizationPageError);
  });
});
