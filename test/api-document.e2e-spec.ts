import Ajv2020 from 'ajv/dist/2020';
import { newAccount, TestAccount } from './support/accounts';
import { http } from './support/http';
import { registerClient } from './support/oauth-clients';
import { Platform, shape } from './support/platform';

type Operation = {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
};

/**
 * The OpenAPI document against what the gateway answers: a client generated from it (a third
 * party's, in any language) must find every answer it gets documented, in the content type and
 * shape the document says, and must be able to send what the document describes.
 */
describe(`the OpenAPI document (${shape})`, () => {
  let platform: Platform;
  let baseUrl: string;
  let admin: TestAccount;
  let user: TestAccount;
  let document: any;
  let ajv: Ajv2020;

  beforeAll(async () => {
    platform = await Platform.start();
    baseUrl = platform.baseUrl;
    admin = await platform.admin();
    user = await newAccount(baseUrl);
    document = (await http(baseUrl, 'GET', '/docs-json')).body;
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'document', components: document.components });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const operation = (method: string, template: string): Operation | undefined =>
    document.paths[template]?.[method.toLowerCase()];

  const schemaOf = (schema: object) =>
    ajv.compile(
      JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"document#/components/')),
    );

  /**
   * What is wrong with `answer` as the document describes `method template`: its status
   * undocumented, its content type not among the status's, or its body not of the schema.
   */
  function mismatches(
    method: string,
    template: string,
    answer: { status: number; headers: Headers; body: unknown },
  ): string[] {
    const call = `${method} ${template} ${answer.status}`;
    const documented = operation(method, template);
    if (!documented) return [`${call}: no such operation`];
    const response = documented.responses[String(answer.status)];
    if (!response) return [`${call}: status not documented`];
    const type = answer.headers.get('content-type')?.split(';')[0];
    if (type === undefined) return response.content ? [`${call}: no body, content documented`] : [];
    const content = response.content?.[type];
    if (!content) return [`${call}: ${type} not documented`];
    if (!content.schema) return [`${call}: ${type} without a schema`];
    const validate = schemaOf(content.schema);
    return validate(answer.body) ? [] : [`${call}: ${ajv.errorsText(validate.errors)}`];
  }

  it('documents what the JSON routes answer, successes and problem documents alike', async () => {
    const found: string[] = [];
    const check = async (
      method: string,
      template: string,
      path: string,
      options: Parameters<typeof http>[3] = {},
    ) => {
      const answer = await http(baseUrl, method, path, options);
      found.push(...mismatches(method, template, answer));
      return answer;
    };
    const asUser = { headers: user.authorization };
    const asAdmin = { headers: admin.authorization };

    await check('POST', '/v1/auth/register', '/v1/auth/register', {
      json: { email: user.email, password: 'another password' },
    });
    await check('POST', '/v1/auth/register', '/v1/auth/register', { json: { email: 'x' } });
    await check('POST', '/v1/auth/register', '/v1/auth/register', {
      body: 'email=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await check('POST', '/v1/auth/register', '/v1/auth/register', {
      json: { email: 'big@example.com', password: 'x'.repeat(2_000_000) },
    });
    await check('POST', '/v1/auth/login', '/v1/auth/login', {
      json: { email: user.email, password: 'not the password' },
    });
    await check('GET', '/v1/users/me', '/v1/users/me', asUser);
    await check('GET', '/v1/users/me', '/v1/users/me');
    await check('PATCH', '/v1/users/me', '/v1/users/me', { ...asUser, json: { displayName: 'D' } });
    await check('PATCH', '/v1/users/me', '/v1/users/me', {
      ...asUser,
      body: 'displayName=D',
      headers: { ...user.authorization, 'content-type': 'text/plain' },
    });
    await check('GET', '/v1/users', '/v1/users?limit=2', asAdmin);
    await check('GET', '/v1/users', '/v1/users', asUser);
    await check('GET', '/v1/users/{id}', `/v1/users/${user.id}`, asUser);
    await check('GET', '/v1/users/{id}', '/v1/users/not-a-uuid', asAdmin);
    const order = await check('POST', '/v1/orders', '/v1/orders', {
      ...asUser,
      json: { items: [{ sku: 'SKU-1', quantity: 2 }] },
    });
    await check('POST', '/v1/orders', '/v1/orders', { ...asUser, json: { items: [] } });
    await check('POST', '/v1/orders', '/v1/orders', {
      headers: { ...user.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [], padding: 'x'.repeat(2_000_000) }),
    });
    await check('GET', '/v1/orders', '/v1/orders', asUser);
    await check('GET', '/v1/orders/{id}', `/v1/orders/${order.body.id}`, asUser);
    await check(
      'GET',
      '/v1/orders/{id}',
      '/v1/orders/00000000-0000-4000-8000-000000000000',
      asUser,
    );
    const token = await check('POST', '/v1/api-tokens', '/v1/api-tokens', {
      ...asUser,
      json: { name: 'docs', scopes: ['orders:read'] },
    });
    await check('GET', '/v1/api-tokens', '/v1/api-tokens', asUser);
    await check('DELETE', '/v1/api-tokens/{id}', `/v1/api-tokens/${token.body.id}`, asUser);
    await check('DELETE', '/v1/api-tokens/{id}', `/v1/api-tokens/${token.body.id}`, asUser);
    await check('GET', '/v1/admin/security-events', '/v1/admin/security-events?limit=2', asAdmin);
    const client = await check('POST', '/v1/admin/clients', '/v1/admin/clients', {
      ...asAdmin,
      json: { client_name: 'docs', grant_types: ['client_credentials'], scope: 'orders:read' },
    });
    await check('GET', '/v1/admin/clients', '/v1/admin/clients', asAdmin);
    const clientPath = `/v1/admin/clients/${client.body.client_id}`;
    await check('GET', '/v1/admin/clients/{id}', clientPath, asAdmin);
    await check('PATCH', '/v1/admin/clients/{id}', clientPath, {
      ...asAdmin,
      json: { client_name: 'renamed' },
    });
    await check('POST', '/v1/admin/clients/{id}/secret', `${clientPath}/secret`, asAdmin);
    await check('DELETE', '/v1/admin/clients/{id}', clientPath, asAdmin);
    await check('GET', '/v1/admin/clients/{id}', clientPath, asAdmin);
    await check('GET', '/oauth2/userinfo', '/oauth2/userinfo', asUser);
    await check('GET', '/.well-known/openid-configuration', '/.well-known/openid-configuration');
    await check('GET', '/.well-known/jwks.json', '/.well-known/jwks.json');
    await check(
      'GET',
      '/.well-known/oauth-authorization-server/{path}',
      '/.well-known/oauth-authorization-server/not-the-issuer',
    );
    await check('GET', '/health/live', '/health/live');
    await check('GET', '/health/ready', '/health/ready');
    await check('GET', '/metrics', '/metrics');
    expect(found).toEqual([]);
  });

  it('documents the OAuth endpoints’ answers: RFC 6749 5.1 and 5.2 JSON, 200 and never 201', async () => {
    const client = await registerClient(baseUrl, admin, {
      client_name: 'docs-oauth',
      grant_types: ['client_credentials'],
      scope: 'orders:read',
    });
    const basic = {
      authorization: `Basic ${Buffer.from(
        `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret!)}`,
      ).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    const found: string[] = [];
    const post = async (path: string, form: Record<string, string>, headers = basic) => {
      const answer = await http(baseUrl, 'POST', path, {
        headers,
        body: new URLSearchParams(form).toString(),
      });
      found.push(...mismatches('POST', path, answer));
      return answer;
    };
    const issued = await post('/oauth2/token', { grant_type: 'client_credentials' });
    expect(issued.status).toBe(200);
    await post('/oauth2/token', { grant_type: 'password' });
    await post(
      '/oauth2/token',
      { grant_type: 'client_credentials', client_id: client.client_id, client_secret: 'wrong' },
      { 'content-type': 'application/x-www-form-urlencoded' } as typeof basic,
    );
    await post('/oauth2/introspect', { token: issued.body.access_token });
    await post('/oauth2/introspect', { token: 'nothing' });
    await post('/oauth2/revoke', { token: issued.body.access_token });
    expect(found).toEqual([]);
    for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect']) {
      const { responses } = operation('POST', path)!;
      expect({ path, statuses: Object.keys(responses) }).toEqual({
        path,
        statuses: expect.not.arrayContaining(['201']),
      });
      // Auth answers its own throttle and its absence as RFC 6749 5.2 errors.
      expect({ path, unavailable: responses['503']?.content }).toEqual({
        path,
        unavailable: { 'application/json': expect.anything() },
      });
      expect({ path, limited: Object.keys(responses['429']?.content ?? {}) }).toEqual({
        path,
        limited: expect.arrayContaining(['application/json', 'application/problem+json']),
      });
    }
  });
  it('offers each credential only on the operations that take it', async () => {
    const { securitySchemes } = document.components;
    expect(securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(securitySchemes['api-token']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const created = await http(baseUrl, 'POST', '/v1/api-tokens', {
      headers: user.authorization,
      json: { name: 'docs-security', scopes: ['openid', 'profile', 'orders:read'] },
    });
    const apiToken = { authorization: `Bearer ${created.body.token}` };
    // What each operation answers an API token it refuses: 401 where it reads only access
    // tokens, 403 where it needs a signed-in session.
    const refusals: [string, string, number][] = [
      ['GET', '/oauth2/userinfo', 401],
      ['POST', '/oauth2/userinfo', 401],
      ['POST', '/v1/auth/logout-all', 403],
      ['GET', '/v1/api-tokens', 403],
    ];
    for (const [method, path, status] of refusals) {
      expect({
        method,
        path,
        status: (await http(baseUrl, method, path, { headers: apiToken })).status,
      }).toEqual({ method, path, status });
      expect({ method, path, security: operation(method, path)!.security }).toEqual({
        method,
        path,
        security: [{ bearer: [] }],
      });
    }
    for (const [method, path] of [
      ['POST', '/v1/auth/password'],
      ['POST', '/v1/api-tokens'],
      ['DELETE', '/v1/api-tokens/{id}'],
    ]) {
      expect({ method, path, security: operation(method, path)!.security }).toEqual({
        method,
        path,
        security: [{ bearer: [] }],
      });
    }
    expect((await http(baseUrl, 'GET', '/v1/orders', { headers: apiToken })).status).toBe(200);
    expect(operation('GET', '/v1/orders')!.security).toEqual([
      { bearer: [] },
      { 'api-token': [] },
      { 'legacy-basic': [] },
    ]);
    // Public operations name no credential: the OAuth endpoints authenticate clients in the form
    // or with HTTP Basic of their own (RFC 6749 2.3), not as the API's security schemes.
    for (const [path, item] of Object.entries(document.paths) as [
      string,
      Record<string, Operation>,
    ][]) {
      for (const [method, { security }] of Object.entries(item)) {
        const isPublic =
          /^\/(\.well-known|health|metrics)/.test(path) ||
          (path.startsWith('/oauth2/') && path !== '/oauth2/userinfo') ||
          ['/v1/auth/register', '/v1/auth/login', '/v1/auth/refresh'].includes(path);
        expect({ method, path, secured: security !== undefined }).toEqual({
          method,
          path,
          secured: !isPublic,
        });
      }
    }
  });

  it('is an OpenAPI 3.1 document whose references, parameters and schemas all hold', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const text = JSON.stringify(document);
    const referenced = new Set(
      [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]),
    );
    for (const name of referenced)
      expect({ name, defined: name in document.components.schemas }).toEqual({
        name,
        defined: true,
      });
    // A schema no operation reaches is no part of the API: the contracts' message payloads
    // (NATS subjects, in the AsyncAPI document) must not turn into a third party's classes.
    expect(
      Object.keys(document.components.schemas).filter((name) => !referenced.has(name)),
    ).toEqual([]);
    const operationIds: string[] = [];
    for (const [path, item] of Object.entries(document.paths) as [
      string,
      Record<string, Operation & { operationId: string }>,
    ][]) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']).toContain(
          method,
        );
        operationIds.push(op.operationId);
        // OpenAPI 3.1 4.8.8.1: each template expression is a path parameter, and the reverse.
        const declared = (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        expect({ path, method, declared }).toEqual({ path, method, declared: templated });
        expect(Object.keys(op.responses).every((status) => /^[1-5]\d\d$/.test(status))).toBe(true);
        for (const response of Object.values(op.responses)) {
          for (const { schema } of Object.values(response.content ?? {}))
            if (schema) schemaOf(schema);
        }
        for (const { schema } of Object.values(op.requestBody?.content ?? {})) schemaOf(schema);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });
});
