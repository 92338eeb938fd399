import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { newAccount, type TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { http } from './support/http';
import { discover, oauthErrorOf, RELYING_PARTY } from './support/oauth';
import { isSplit, Platform, SERVICE_CLIENT_SECRETS, shape } from './support/platform';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The authorization server as a relying party sees it: every call through `oauth4webapi`. */
describe(`OAuth 2.0 authorization server (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let as: oauth.AuthorizationServer;
  let admin: TestAccount;
  let user: TestAccount;

  beforeAll(async () => {
    platform = await Platform.start(shape, {}, { issuerAtGateway: true });
    baseUrl = platform.baseUrl;
    as = await discover(baseUrl);
    admin = await platform.admin();
    user = await newAccount(baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** Registers a client as an administrator; the RFC 7591 response, secret included. */
  async function register(metadata: Record<string, unknown>) {
    const created = await http(baseUrl, 'POST', '/v1/admin/clients', {
      headers: admin.authorization,
      json: metadata,
    });
    expect(created.status).toBe(201);
    return created.body as { client_id: string; client_secret?: string } & Record<string, unknown>;
  }

  /** A client's new secret, as an administrator rotates it. */
  async function rotateSecret(clientId: string): Promise<string> {
    const rotated = await http(baseUrl, 'POST', `/v1/admin/clients/${clientId}/secret`, {
      headers: admin.authorization,
    });
    expect(rotated.status).toBe(200);
    return rotated.body.client_secret as string;
  }

  const clientCredentials = (
    client: oauth.Client,
    auth: oauth.ClientAuth,
    parameters: Record<string, string> = {},
  ) =>
    oauth
      .clientCredentialsGrantRequest(as, client, auth, parameters, RELYING_PARTY)
      .then((response) => oauth.processClientCredentialsResponse(as, client, response));

  const exchange = (
    client: oauth.Client,
    auth: oauth.ClientAuth,
    subjectToken: string,
    parameters: Record<string, string>,
  ) =>
    oauth
      .genericTokenEndpointRequest(
        as,
        client,
        auth,
        TOKEN_EXCHANGE,
        { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, ...parameters },
        RELYING_PARTY,
      )
      .then((response) => oauth.processGenericTokenEndpointResponse(as, client, response));

  /** Validates an access token as a resource server would (RFC 9068 4). */
  const validate = (token: string, audience: string) =>
    oauth.validateJwtAccessToken(
      as,
      new Request(`${baseUrl}/resource`, { headers: { authorization: `Bearer ${token}` } }),
      audience,
      RELYING_PARTY,
    );

  const orders = { client_id: 'orders' };
  const ordersAuth = () => oauth.ClientSecretBasic(SERVICE_CLIENT_SECRETS.orders);
  const firstParty = { client_id: 'identity-platform' };

  describe('discovery', () => {
    it('serves RFC 8414 metadata at both well-known paths, listing what is implemented', async () => {
      expect(as.issuer).toBe(baseUrl);
      expect(as.token_endpoint).toBe(`${baseUrl}/oauth2/token`);
      expect(as.revocation_endpoint).toBe(`${baseUrl}/oauth2/revoke`);
      expect(as.introspection_endpoint).toBe(`${baseUrl}/oauth2/introspect`);
      expect(as.jwks_uri).toBe(`${baseUrl}/.well-known/jwks.json`);
      expect(as.grant_types_supported).toEqual(
        expect.arrayContaining(['client_credentials', 'refresh_token', TOKEN_EXCHANGE]),
      );
      expect(as.grant_types_supported).not.toContain('implicit');
      expect(as.grant_types_supported).not.toContain('password');
      expect(as.code_challenge_methods_supported).toEqual(['S256']);
      expect(as.token_endpoint_auth_methods_supported).toEqual(
        expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']),
      );
      const oidc = await discover(baseUrl, 'oidc');
      expect(oidc).toEqual(as);
    });
  });

  describe('client_credentials', () => {
    it('issues an RFC 9068 token whose subject is the client, for the audience asked', async () => {
      const registered = await register({
        client_name: 'reporting',
        grant_types: ['client_credentials'],
        scope: 'orders:read users:read',
        audiences: ['orders', 'users'],
      });
      expect(registered).toMatchObject({
        client_name: 'reporting',
        token_endpoint_auth_method: 'client_secret_basic',
        client_secret: expect.any(String),
        client_secret_expires_at: 0,
        client_type: 'confidential',
      });
      const client = { client_id: registered.client_id };
      const auth = oauth.ClientSecretBasic(registered.client_secret!);
      const tokens = await clientCredentials(client, auth, {
        resource: 'urn:identity-platform:service:orders',
        scope: 'orders:read',
      });
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'orders:read' });
      const claims = await validate(tokens.access_token, 'orders');
      expect(claims).toMatchObject({
        iss: baseUrl,
        sub: registered.client_id,
        client_id: registered.client_id,
        aud: ['orders'],
        scope: 'orders:read',
      });
      expect(claims.sid).toBeUndefined();

      // Without resource or audience: every audience of the client, every scope.
      const all = await clientCredentials(client, auth);
      const everything = await validate(all.access_token, 'users');
      expect(everything.aud).toEqual(['orders', 'users']);
      expect(everything.scope).toBe('orders:read users:read');

      // client_secret_post is another method than the one it registered.
      expect(
        await oauthErrorOf(
          clientCredentials(client, oauth.ClientSecretPost(registered.client_secret!)),
        ),
      ).toMatchObject({ error: 'invalid_client', status: 401 });
    });

    it('refuses an audience or a scope the client may not have', async () => {
      const registered = await register({ scope: 'orders:read', audiences: ['orders'] });
      const client = { client_id: registered.client_id };
      const auth = oauth.ClientSecretBasic(registered.client_secret!);
      expect(await oauthErrorOf(clientCredentials(client, auth, { audience: 'users' }))).toEqual({
        error: 'invalid_target',
        status: 400,
      });
      expect(
        await oauthErrorOf(clientCredentials(client, auth, { resource: 'https://elsewhere' })),
      ).toEqual({ error: 'invalid_target', status: 400 });
      expect(await oauthErrorOf(clientCredentials(client, auth, { scope: 'admin' }))).toEqual({
        error: 'invalid_scope',
        status: 400,
      });
    });

    it('refuses an unknown client and a wrong secret with 401 invalid_client and a Basic challenge', async () => {
      const unknown = await fetch(`${baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('nobody:whatever').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(unknown.headers.get('cache-control')).toBe('no-store');
      expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
      expect(
        await oauthErrorOf(clientCredentials(orders, oauth.ClientSecretBasic('not-the-secret'))),
      ).toMatchObject({ error: 'invalid_client', status: 401 });
    });

    it('refuses a parameter with a NUL character with 400 invalid_request, and such a client id in credentials with 401', async () => {
      const token = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${baseUrl}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
        });
      for (const body of [
        'grant_type=client_credentials&client_id=a%00',
        'grant_type=client_credentials%00&client_id=orders',
      ]) {
        const refused = await token(body);
        expect(refused.status).toBe(400);
        expect(refused.headers.get('cache-control')).toBe('no-store');
        expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
      }
      const basic = await token('grant_type=client_credentials', {
        authorization: `Basic ${Buffer.from('a%00:whatever').toString('base64')}`,
      });
      expect(basic.status).toBe(401);
      expect(await basic.json()).toMatchObject({ error: 'invalid_client' });
      // The client an assertion names is read before its signature is checked (RFC 7523 3).
      const claims = Buffer.from(JSON.stringify({ sub: 'a\u0000' })).toString('base64url');
      const asserted = await token(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: `eyJhbGciOiJFUzI1NiJ9.${claims}.c2lnbmF0dXJl`,
        }).toString(),
      );
      expect(asserted.status).toBe(401);
      expect(await asserted.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('refuses client_credentials to a public client', async () => {
      expect(await oauthErrorOf(clientCredentials(firstParty, oauth.None()))).toEqual({
        error: 'unauthorized_client',
        status: 400,
      });
      const refused = await http(baseUrl, 'POST', '/v1/admin/clients', {
        headers: admin.authorization,
        json: { token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_client_metadata' });
    });

    it('has no implicit and no password grant', async () => {
      for (const grantType of ['implicit', 'password']) {
        const response = await oauth.genericTokenEndpointRequest(
          as,
          orders,
          ordersAuth(),
          grantType,
          { username: user.email, password: user.password },
          RELYING_PARTY,
        );
        expect(
          await oauthErrorOf(oauth.processGenericTokenEndpointResponse(as, orders, response)),
        ).toEqual({ error: 'unsupported_grant_type', status: 400 });
      }
    });

    it('answers every invalid_client with 401 and a challenge, Basic or not (RFC 9110 15.5.2)', async () => {
      const registered = await register({
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'orders:read',
        audiences: ['orders'],
      });
      const post = (path: string, params: Record<string, string>) =>
        fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(params),
        });
      const wrongSecret = { client_id: registered.client_id, client_secret: 'not-the-secret' };
      for (const [path, params] of [
        ['/oauth2/token', { grant_type: 'client_credentials', ...wrongSecret }],
        ['/oauth2/token', { grant_type: 'client_credentials' }],
        ['/oauth2/token', { grant_type: 'client_credentials', client_id: 'nobody' }],
        ['/oauth2/revoke', { token: 'not-a-token', ...wrongSecret }],
        ['/oauth2/introspect', { token: 'not-a-token', ...wrongSecret }],
        // A public client proves nothing: it may not introspect (RFC 7662 2.1).
        ['/oauth2/introspect', { token: 'not-a-token', client_id: 'identity-platform' }],
      ] as const) {
        const refused = await post(path, params);
        expect([path, refused.status]).toEqual([path, 401]);
        expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
      }
    });
  });

  describe('refresh_token', () => {
    it('rotates a refresh token at the token endpoint; a spent one ends the whole family', async () => {
      const account = await newAccount(baseUrl);
      const refresh = (token: string) =>
        oauth
          .refreshTokenGrantRequest(as, firstParty, oauth.None(), token, RELYING_PARTY)
          .then((response) => oauth.processRefreshTokenResponse(as, firstParty, response));
      const first = await refresh(account.refreshToken);
      expect(first.refresh_token).toEqual(expect.any(String));
      expect(first.refresh_token).not.toBe(account.refreshToken);
      const claims = await validate(first.access_token, 'gateway');
      expect(claims).toMatchObject({ sub: account.id, client_id: 'identity-platform' });
      const me = await http(baseUrl, 'GET', '/v1/users/me', {
        headers: { authorization: `Bearer ${first.access_token}` },
      });
      expect(me.status).toBe(200);

      expect(await oauthErrorOf(refresh(account.refreshToken))).toEqual({
        error: 'invalid_grant',
        status: 400,
      });
      // The reuse ended the session: its newest refresh token is dead too.
      expect(await oauthErrorOf(refresh(first.refresh_token!))).toEqual({
        error: 'invalid_grant',
        status: 400,
      });
    });

    it('does not spend a refresh token presented by another client', async () => {
      const account = await newAccount(baseUrl);
      const other = await register({ grant_types: ['client_credentials', 'refresh_token'] });
      const response = await oauth.refreshTokenGrantRequest(
        as,
        { client_id: other.client_id },
        oauth.ClientSecretBasic(other.client_secret!),
        account.refreshToken,
        RELYING_PARTY,
      );
      expect(
        await oauthErrorOf(
          oauth.processRefreshTokenResponse(as, { client_id: other.client_id }, response),
        ),
      ).toMatchObject({ error: 'invalid_grant' });
      const own = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
      expect(own.status).toBe(200);
    });
  });

  describe('token exchange (RFC 8693)', () => {
    it('narrows a user token to one service, naming the acting client', async () => {
      const exchanged = await exchange(orders, ordersAuth(), user.accessToken, {
        audience: 'users',
        scope: 'users:read',
      });
      expect(exchanged).toMatchObject({
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'bearer',
        scope: 'users:read',
      });
      const claims = await validate(exchanged.access_token, 'users');
      expect(claims).toMatchObject({
        sub: user.id,
        aud: ['users'],
        scope: 'users:read',
        client_id: 'orders',
        act: { sub: 'orders' },
      });
      const subject = await validate(user.accessToken, 'gateway');
      expect(claims.exp).toBeLessThanOrEqual(subject.exp);
      expect(claims.sid).toBe(subject.sid);

      // Without scope: what the subject token holds that the target acts on.
      const all = await exchange(orders, ordersAuth(), user.accessToken, {
        resource: 'urn:identity-platform:service:users',
      });
      expect(all.scope!.split(' ').sort()).toEqual(['users:read', 'users:write']);
    });

    it('never widens: more scope than held, another target, a token not for the client', async () => {
      expect(
        await oauthErrorOf(
          exchange(orders, ordersAuth(), user.accessToken, { audience: 'users', scope: 'admin' }),
        ),
      ).toEqual({ error: 'invalid_scope', status: 400 });
      expect(
        await oauthErrorOf(
          exchange(orders, ordersAuth(), user.accessToken, {
            audience: 'users',
            scope: 'orders:read',
          }),
        ),
      ).toEqual({ error: 'invalid_scope', status: 400 });
      expect(
        await oauthErrorOf(exchange(orders, ordersAuth(), user.accessToken, { audience: 'nope' })),
      ).toEqual({ error: 'invalid_target', status: 400 });
      const narrowed = await exchange(orders, ordersAuth(), user.accessToken, {
        audience: 'users',
      });
      // That token is for users alone: orders cannot exchange it again, nor for orders. RFC
      // 8693 2.2.2: a subject_token refused "for any reason" MUST be invalid_request.
      expect(
        await oauthErrorOf(
          exchange(orders, ordersAuth(), narrowed.access_token, { audience: 'users' }),
        ),
      ).toEqual({ error: 'invalid_request', status: 400 });
      // A registered client may not exchange at all.
      const registered = await register({ grant_types: ['client_credentials'] });
      expect(
        await oauthErrorOf(
          exchange(
            { client_id: registered.client_id },
            oauth.ClientSecretBasic(registered.client_secret!),
            user.accessToken,
            { audience: 'users' },
          ),
        ),
      ).toEqual({ error: 'unauthorized_client', status: 400 });
    });

    it('refuses a revoked subject token with invalid_request (RFC 8693 2.2.2)', async () => {
      const account = await newAccount(baseUrl);
      const logout = await http(baseUrl, 'POST', '/v1/auth/logout', {
        headers: account.authorization,
      });
      expect(logout.status).toBe(204);
      expect(
        await oauthErrorOf(
          exchange(orders, ordersAuth(), account.accessToken, { audience: 'users' }),
        ),
      ).toEqual({ error: 'invalid_request', status: 400 });
    });
  });

  describe('revocation and introspection', () => {
    it('answers for the client’s own tokens and the audience’s, and nothing for others', async () => {
      const owner = await register({ scope: 'orders:read', audiences: ['orders'] });
      const stranger = await register({ scope: 'orders:read', audiences: ['orders'] });
      const ownerClient = { client_id: owner.client_id };
      const ownerAuth = oauth.ClientSecretBasic(owner.client_secret!);
      const introspect = (client: oauth.Client, auth: oauth.ClientAuth, token: string) =>
        oauth
          .introspectionRequest(as, client, auth, token, RELYING_PARTY)
          .then((response) => oauth.processIntrospectionResponse(as, client, response));

      const { access_token: token } = await clientCredentials(ownerClient, ownerAuth);
      expect(await introspect(ownerClient, ownerAuth, token)).toMatchObject({
        active: true,
        client_id: owner.client_id,
        sub: owner.client_id,
        aud: ['orders'],
        scope: 'orders:read',
        token_type: 'Bearer',
      });
      expect(
        await introspect(
          { client_id: stranger.client_id },
          oauth.ClientSecretBasic(stranger.client_secret!),
          token,
        ),
      ).toEqual({ active: false });
      // The audience may see it: orders is the service it is for.
      expect(await introspect(orders, ordersAuth(), token)).toMatchObject({ active: true });
      // A public client cannot introspect.
      expect(await oauthErrorOf(introspect(firstParty, oauth.None(), token))).toMatchObject({
        error: 'invalid_client',
      });

      // Revocation by another client is refused and changes nothing.
      const byStranger = await oauth.revocationRequest(
        as,
        { client_id: stranger.client_id },
        oauth.ClientSecretBasic(stranger.client_secret!),
        token,
        RELYING_PARTY,
      );
      expect(byStranger.status).toBe(400);
      expect(await introspect(ownerClient, ownerAuth, token)).toMatchObject({ active: true });

      await oauth.processRevocationResponse(
        await oauth.revocationRequest(as, ownerClient, ownerAuth, token, RELYING_PARTY),
      );
      expect(await introspect(ownerClient, ownerAuth, token)).toEqual({ active: false });
      // Revoking again, or revoking nonsense, is not an error (RFC 7009 2.2).
      for (const again of [token, 'not-a-token']) {
        await oauth.processRevocationResponse(
          await oauth.revocationRequest(as, ownerClient, ownerAuth, again, RELYING_PARTY),
        );
      }
    });

    it('gives a client’s own token no orders to list and none to place, without failing', async () => {
      const service = await register({
        scope: 'orders:read orders:write',
        audiences: ['gateway', 'orders'],
      });
      const { access_token: token } = await clientCredentials(
        { client_id: service.client_id },
        oauth.ClientSecretBasic(service.client_secret!),
      );
      const headers = { authorization: `Bearer ${token}` };
      const listed = await http(baseUrl, 'GET', '/v1/orders', { headers });
      expect(listed).toMatchObject({ status: 200, body: { items: [], total: 0 } });
      const placed = await http(baseUrl, 'POST', '/v1/orders', {
        headers,
        json: { items: [{ sku: 'SKU-1', quantity: 1 }] },
      });
      expect(placed).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });

    // Over NATS a restarted process reads revocations back from the event stream; in one
    // process with the in-process transport it asks auth for those in force.
    (shape === 'embedded' ? it : it.skip)(
      'keeps a revoked access token refused after the platform restarts',
      async () => {
        // The gateway is an audience too: the token is used at its HTTP edge.
        const owner = await register({ scope: 'orders:read', audiences: ['gateway', 'orders'] });
        const ownerClient = { client_id: owner.client_id };
        const ownerAuth = oauth.ClientSecretBasic(owner.client_secret!);
        const { access_token: recorded } = await clientCredentials(ownerClient, ownerAuth);
        // A first-party token has no issuance record; its revocation must outlive a restart too.
        const account = await newAccount(baseUrl);
        const firstParty = { client_id: 'identity-platform' };
        const listOrders = (token: string) =>
          http(baseUrl, 'GET', '/v1/orders', { headers: { authorization: `Bearer ${token}` } });
        for (const token of [recorded, account.accessToken]) {
          expect((await listOrders(token)).status).toBe(200);
        }
        for (const [client, auth, token] of [
          [ownerClient, ownerAuth, recorded],
          [firstParty, oauth.None(), account.accessToken],
        ] as const) {
          await oauth.processRevocationResponse(
            await oauth.revocationRequest(as, client, auth, token, RELYING_PARTY),
          );
          expect((await listOrders(token)).status).toBe(401);
        }
        await platform.service('all').stop();
        await platform.service('all').start();
        for (const token of [recorded, account.accessToken]) {
          expect((await listOrders(token)).status).toBe(401);
        }
      },
    );

    it('revokes a refresh token, ending its session, and introspects refresh tokens', async () => {
      const account = await newAccount(baseUrl);
      const introspectAsUsers = (token: string) =>
        oauth
          .introspectionRequest(
            as,
            { client_id: 'users' },
            oauth.ClientSecretBasic(SERVICE_CLIENT_SECRETS.users),
            token,
            RELYING_PARTY,
          )
          .then((response) =>
            oauth.processIntrospectionResponse(as, { client_id: 'users' }, response),
          );
      // users is an audience of the first-party token: it may see it.
      expect(await introspectAsUsers(account.accessToken)).toMatchObject({
        active: true,
        sub: account.id,
        client_id: 'identity-platform',
      });
      // A refresh token is its client's alone.
      expect(await introspectAsUsers(account.refreshToken)).toEqual({ active: false });

      await oauth.processRevocationResponse(
        await oauth.revocationRequest(
          as,
          firstParty,
          oauth.None(),
          account.refreshToken,
          RELYING_PARTY,
        ),
      );
      const refreshed = await http(baseUrl, 'POST', '/v1/auth/refresh', {
        json: { refresh_token: account.refreshToken },
      });
      expect(refreshed.status).toBe(401);
      // The session ended: its access token is refused everywhere.
      expect(await introspectAsUsers(account.accessToken)).toEqual({ active: false });
      // The gateway that relayed the revocation refuses it at once; every other verifier hears
      // of it from the outbox's event.
      expect(
        (await http(baseUrl, 'GET', '/v1/users/me', { headers: account.authorization })).status,
      ).toBe(401);
    });
  });

  describe('private_key_jwt (RFC 7523)', () => {
    /** A client_credentials request authenticated by `assertion` alone, as a raw form post. */
    const withAssertion = (assertion: string) =>
      fetch(`${baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: JWT_BEARER,
          client_assertion: assertion,
        }),
      });

    it('authenticates a client by its signed assertion, each assertion once', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
      const registered = await register({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwk] },
        grant_types: ['client_credentials'],
        audiences: ['orders'],
        scope: 'orders:read',
      });
      expect(registered.client_secret).toBeUndefined();
      const client = { client_id: registered.client_id };
      const tokens = await clientCredentials(
        client,
        oauth.PrivateKeyJwt({ key: privateKey, kid: 'k1' }),
      );
      expect(await validate(tokens.access_token, 'orders')).toMatchObject({
        sub: registered.client_id,
      });

      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(registered.client_id)
        .setSubject(registered.client_id)
        .setAudience(as.issuer)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
      const post = () => withAssertion(assertion);
      expect((await post()).status).toBe(200);
      const replayed = await post();
      expect(replayed.status).toBe(401);
      expect(await replayed.json()).toMatchObject({ error: 'invalid_client' });

      // An assertion for another audience, or living too long, is refused. So is one naming the
      // token endpoint, or the issuer among others (RFC 10070: the issuer is the sole audience;
      // another server the client trusts could pass such an assertion on).
      for (const [audience, lifetime] of [
        ['https://elsewhere.example', '1m'],
        [as.issuer, '2h'],
        [as.token_endpoint!, '1m'],
        [[as.issuer, 'https://elsewhere.example'], '1m'],
      ] as const) {
        const wrong = await new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(registered.client_id)
          .setSubject(registered.client_id)
          .setAudience(audience as string | string[])
          .setJti(randomUUID())
          .setExpirationTime(lifetime)
          .sign(privateKey);
        const refused = await withAssertion(wrong);
        expect(refused.status).toBe(401);
      }
    });

    it('refuses an assertion whose jti is not a string of 1 to 256 characters (RFC 7519 4.1.7)', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const registered = await register({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] },
        grant_types: ['client_credentials'],
        audiences: ['orders'],
        scope: 'orders:read',
      });
      const exp = Math.floor(Date.now() / 1000) + 60;
      const claims = { iss: registered.client_id, sub: registered.client_id, aud: as.issuer, exp };
      const odds: Record<string, unknown>[] = [
        { jti: 777001 },
        { jti: { a: 1 } },
        { jti: true },
        { jti: 1.5 },
        { jti: '' },
        { jti: ['x'] },
        // A list of one long string was past the length limit, which measured the list.
        { jti: ['a'.repeat(1000)] },
        { jti: 'a'.repeat(257) },
        { jti: randomUUID(), iss: [registered.client_id] },
      ];
      for (const odd of odds) {
        const assertion = await new SignJWT({ ...claims, ...odd })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .sign(privateKey);
        const refused = await withAssertion(assertion);
        expect([odd, refused.status]).toEqual([odd, 401]);
        expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
      }
    });
  });

  describe('the client registry', () => {
    it('shows a secret once, rotates and deletes, for administrators only', async () => {
      const signedOut = 'https://rotating.example/signed-out';
      const registered = await register({
        client_name: 'rotating',
        post_logout_redirect_uris: [signedOut],
      });
      expect(registered.post_logout_redirect_uris).toEqual([signedOut]);
      const client = { client_id: registered.client_id };
      // Used once before every change, so what auth knows of it is warm when it changes.
      await clientCredentials(client, oauth.ClientSecretBasic(registered.client_secret!), {
        scope: 'orders:write',
      });
      const read = await http(baseUrl, 'GET', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
      });
      expect(read.status).toBe(200);
      expect(read.body.client_secret).toBeUndefined();
      expect(read.body).toMatchObject({
        client_id: registered.client_id,
        client_name: 'rotating',
        post_logout_redirect_uris: [signedOut],
      });
      const listed = await http(baseUrl, 'GET', '/v1/admin/clients', {
        headers: admin.authorization,
      });
      expect(listed.body.map((client: any) => client.client_id)).toEqual(
        expect.arrayContaining(['identity-platform', 'orders', registered.client_id]),
      );
      expect(
        listed.body.map((client: any) => [client.client_id, client.post_logout_redirect_uris]),
      ).toEqual(
        expect.arrayContaining([
          ['identity-platform', []],
          [registered.client_id, [signedOut]],
        ]),
      );
      expect(JSON.stringify(listed.body)).not.toContain(registered.client_secret);

      const patched = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
        json: { client_name: 'renamed', scope: 'orders:read' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        client_name: 'renamed',
        scope: 'orders:read',
        post_logout_redirect_uris: [signedOut],
      });
      expect(patched.body.client_secret).toBeUndefined();
      const replaced = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
        json: { post_logout_redirect_uris: ['com.example.rotating:/bye', signedOut] },
      });
      expect(replaced.body).toMatchObject({
        client_name: 'renamed',
        post_logout_redirect_uris: ['com.example.rotating:/bye', signedOut],
      });
      const reread = await http(baseUrl, 'GET', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
      });
      expect(reread.body.post_logout_redirect_uris).toEqual([
        'com.example.rotating:/bye',
        signedOut,
      ]);
      expect(
        await oauthErrorOf(
          clientCredentials(client, oauth.ClientSecretBasic(registered.client_secret!), {
            scope: 'orders:write',
          }),
        ),
      ).toMatchObject({ error: 'invalid_scope' });

      const rotated = await rotateSecret(registered.client_id);
      expect(
        await oauthErrorOf(
          clientCredentials(client, oauth.ClientSecretBasic(registered.client_secret!)),
        ),
      ).toMatchObject({ error: 'invalid_client' });
      const issuedBefore = await clientCredentials(client, oauth.ClientSecretBasic(rotated));
      const ownOrders = () =>
        http(baseUrl, 'GET', '/v1/orders', {
          headers: { authorization: `Bearer ${issuedBefore.access_token}` },
        });
      expect((await ownOrders()).status).toBe(200);

      const deleted = await http(baseUrl, 'DELETE', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
      });
      expect(deleted.status).toBe(204);
      // Its tokens end with it, everywhere, not at their expiry: a deleted client may be one
      // whose credentials leaked.
      const introspected = await oauth
        .introspectionRequest(
          as,
          { client_id: 'users' },
          oauth.ClientSecretBasic(SERVICE_CLIENT_SECRETS.users),
          issuedBefore.access_token,
          RELYING_PARTY,
        )
        .then((response) =>
          oauth.processIntrospectionResponse(as, { client_id: 'users' }, response),
        );
      expect(introspected).toEqual({ active: false });
      await eventually(async () => (await ownOrders()).status === 401);
      expect(
        await oauthErrorOf(clientCredentials(client, oauth.ClientSecretBasic(rotated))),
      ).toMatchObject({ error: 'invalid_client' });
      const gone = await http(baseUrl, 'GET', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
      });
      expect(gone.status).toBe(404);

      const byUser = await http(baseUrl, 'GET', '/v1/admin/clients', {
        headers: user.authorization,
      });
      expect(byUser.status).toBe(403);
    });

    (isSplit() ? it : it.skip)(
      'stops a rotated secret on every auth replica, not only the one that rotated it',
      async () => {
        const second = await platform.startReplica('auth');
        try {
          const registered = await register({ client_name: 'replicated' });
          const client = { client_id: registered.client_id };
          const old = oauth.ClientSecretBasic(registered.client_secret!);
          // Requests spread over both replicas' queue group: each comes to know the client.
          for (let i = 0; i < 16; i++) await clientCredentials(client, old);
          const rotated = await rotateSecret(registered.client_id);
          // The other replica hears of it through the outbox within moments, not a cache's life.
          const refusedEverywhere = async () => {
            for (let i = 0; i < 16; i++) {
              const error = await oauthErrorOf(clientCredentials(client, old)).catch(() => ({}));
              if ((error as { error?: string }).error !== 'invalid_client') return false;
            }
            return true;
          };
          await eventually(refusedEverywhere, 5000);
          await clientCredentials(client, oauth.ClientSecretBasic(rotated));
        } finally {
          await second.stop();
        }
      },
    );

    it('documents post_logout_redirect_uris in the OpenAPI document, as taken and as shown', async () => {
      const { status, body: document } = await http(baseUrl, 'GET', '/docs-json');
      expect(status).toBe(200);
      const { ClientMetadataDto: taken, ClientInformationView: shown } =
        document.components.schemas;
      const uriList = { type: 'array', items: { type: 'string' } };
      expect(taken.properties.post_logout_redirect_uris).toMatchObject(uriList);
      expect(shown.properties.post_logout_redirect_uris).toMatchObject(uriList);
      expect(shown.required).toContain('post_logout_redirect_uris');
    });

    it('refuses bad metadata with the RFC 7591 error', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
        [{ redirect_uris: ['https://app.example/cb#x'] }, 'invalid_redirect_uri'],
        [{ grant_types: ['authorization_code'] }, 'invalid_redirect_uri'],
        [{ post_logout_redirect_uris: ['http://app.example/bye'] }, 'invalid_client_metadata'],
        [{ post_logout_redirect_uris: ['https://app.example/bye#x'] }, 'invalid_client_metadata'],
        [{ client_name: 'a\u0000b' }, 'invalid_client_metadata'],
        [{ client_name: 'a\ud800' }, 'invalid_client_metadata'],
        [{ redirect_uris: ['https://app.example/a\u0000b'] }, 'invalid_redirect_uri'],
        [{ redirect_uris: ['https://app.example/\udfff'] }, 'invalid_redirect_uri'],
        [{ post_logout_redirect_uris: ['https://app.example/a\u0000'] }, 'invalid_client_metadata'],
        [
          {
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'a\u0000' }] },
          },
          'invalid_client_metadata',
        ],
        [{ grant_types: ['implicit'] }, 'invalid_client_metadata'],
        [{ grant_types: ['password'] }, 'invalid_client_metadata'],
        [{ scope: 'everything' }, 'invalid_client_metadata'],
        [{ audiences: ['elsewhere'] }, 'invalid_client_metadata'],
        [{ token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
        [
          {
            token_endpoint_auth_method: 'private_key_jwt',
            jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
          },
          'invalid_client_metadata',
        ],
      ];
      for (const [metadata, error] of cases) {
        const refused = await http(baseUrl, 'POST', '/v1/admin/clients', {
          headers: admin.authorization,
          json: metadata,
        });
        expect([refused.status, refused.body.error]).toEqual([400, error]);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('refuses a JWK it cannot import, at registration and at update (RFC 7591 3.2.2)', async () => {
      const unusable = [
        [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }],
        [{ kty: 'RSA' }],
        [{ kty: 'RSA', n: 5, e: 'AQAB' }],
        [{ kty: 'OKP', crv: 'Ed25519', x: 'a' }],
      ];
      for (const keys of unusable) {
        const refused = await http(baseUrl, 'POST', '/v1/admin/clients', {
          headers: admin.authorization,
          json: { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys } },
        });
        expect([keys, refused.status, refused.body.error]).toEqual([
          keys,
          400,
          'invalid_client_metadata',
        ]);
      }
      const { publicKey } = await generateKeyPair('ES256');
      const registered = await register({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [await exportJWK(publicKey)] },
      });
      const patched = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
        headers: admin.authorization,
        json: { jwks: { keys: unusable[0] } },
      });
      expect([patched.status, patched.body.error]).toEqual([400, 'invalid_client_metadata']);
    });

    it('moves a private_key_jwt client to a secret: its keys go, a new secret comes', async () => {
      for (const jwks of [undefined, null]) {
        const { publicKey } = await generateKeyPair('ES256');
        const registered = await register({
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [await exportJWK(publicKey)] },
          scope: 'orders:read',
          audiences: ['orders'],
        });
        const moved = await http(baseUrl, 'PATCH', `/v1/admin/clients/${registered.client_id}`, {
          headers: admin.authorization,
          json: {
            token_endpoint_auth_method: 'client_secret_basic',
            ...(jwks === null ? { jwks } : {}),
          },
        });
        expect([moved.status, moved.body.error]).toEqual([200, undefined]);
        expect(moved.body.jwks).toBeUndefined();
        expect(moved.body.client_secret).toEqual(expect.any(String));
        const tokens = await clientCredentials(
          { client_id: registered.client_id },
          oauth.ClientSecretBasic(moved.body.client_secret),
        );
        expect(tokens.scope).toBe('orders:read');
        const read = await http(baseUrl, 'GET', `/v1/admin/clients/${registered.client_id}`, {
          headers: admin.authorization,
        });
        expect(read.body.jwks).toBeUndefined();
      }
    });

    it('answers with no-store and no-cache whatever shows a client_secret (RFC 6749 5.1, RFC 7591 3.2.1)', async () => {
      const created = await http(baseUrl, 'POST', '/v1/admin/clients', {
        headers: admin.authorization,
        json: { client_name: 'uncached' },
      });
      const rotated = await http(
        baseUrl,
        'POST',
        `/v1/admin/clients/${created.body.client_id}/secret`,
        {
          headers: admin.authorization,
        },
      );
      const published = await register({
        redirect_uris: ['https://uncached.example/cb'],
        token_endpoint_auth_method: 'none',
      });
      const moved = await http(baseUrl, 'PATCH', `/v1/admin/clients/${published.client_id}`, {
        headers: admin.authorization,
        json: { token_endpoint_auth_method: 'client_secret_basic' },
      });
      for (const answer of [created, rotated, moved]) {
        expect(answer.body.client_secret).toEqual(expect.any(String));
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('pragma')).toBe('no-cache');
      }
    });
  });
});
